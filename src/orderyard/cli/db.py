"""``orderyard db upgrade|downgrade|check``."""

from typing import Annotated

import typer

from orderyard.settings import Settings
from orderyard.store import migrate

app = typer.Typer(no_args_is_help=True, help="Database migrations.")


@app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply pending migrations to the configured database."""
    migrate.upgrade(Settings().database.url, revision)
    typer.echo(f"database at {revision}")


@app.command("downgrade")
def downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Revert migrations down to ``revision``."""
    migrate.downgrade(Settings().database.url, revision)


@app.command("check")
def check() -> None:
    """Fail if the database schema differs from the code's tables."""
    migrate.check(Settings().database.url)
    typer.echo("schema matches")
