"""Orderyard's load benchmark: Orderyard's endpoints beside the ceilings of its own stack.

Run it with ``make bench`` (``python -m bench.run`` from the repository root); ``bench/README.md``
says what is measured and how to read the results.
"""
