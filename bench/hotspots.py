"""The hottest functions of a pyinstrument session: self time, summed per function.

pyinstrument's own reports are call trees; under a server's load the cost is spread over many
branches, so this sums every function's self time over the whole tree, leaves out the event
loop waiting for work, and prints the top N with their share of the busy time.

Profile a server under load, then read the session::

    ORDERYARD_DATABASE__URL=postgresql+asyncpg://postgres@127.0.0.1:5432/orderyard_bench \\
      .venv/bin/pyinstrument -r pyisession -o /tmp/create.pyisession \\
      -m uvicorn --factory orderyard.app:create_app_from_env --port 8100 \\
      --loop uvloop --http httptools      # load it with wrk, then Ctrl-C (SIGINT)
    .venv/bin/python -m bench.hotspots /tmp/create.pyisession --top 10
"""

import argparse
from collections.abc import Sequence

from pyinstrument.frame import Frame
from pyinstrument.session import Session

IDLE = ("select", "poll", "epoll", "run_forever", "_run_once")
"""Functions whose self time is the event loop waiting, not work."""


def self_times(root: Frame) -> dict[str, float]:
    """Sum the self time of every function in the tree, keyed by ``function (file:line)``.

    pyinstrument files a function's self time under a synthetic ``[self]`` child; it is
    credited to the function. ``[await]`` (time suspended in an await) is left out.
    """
    totals: dict[str, float] = {}
    stack = [root]
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        own = frame.time - sum(child.time for child in frame.children)
        own += sum(child.time for child in frame.children if child.function == "[self]")
        if own > 0 and frame.function not in ("[self]", "[await]"):
            name = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
            totals[name] = totals.get(name, 0.0) + own
    return totals


def main(argv: Sequence[str] | None = None) -> None:
    """Print the top functions of a saved session by self time."""
    parser = argparse.ArgumentParser(prog="python -m bench.hotspots", description=__doc__)
    parser.add_argument("session", help="a file written with pyinstrument -r pyisession")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    root = Session.load(args.session).root_frame()
    if root is None:
        raise SystemExit("the session holds no samples")
    totals = self_times(root)
    idle = sum(t for name, t in totals.items() if name.split(" ")[0] in IDLE)
    busy = sum(totals.values()) - idle
    print(f"busy {busy:.2f} s of {root.time:.2f} s sampled (idle {idle:.2f} s)")
    ranked = sorted(
        ((n, t) for n, t in totals.items() if n.split(" ")[0] not in IDLE), key=lambda nt: -nt[1]
    )
    for name, seconds in ranked[: args.top]:
        print(f"{seconds:7.2f} s {100 * seconds / busy:5.1f} %  {name}")


if __name__ == "__main__":
    main()
