"""``orderyard db upgrade|downgrade|check``."""

from typing import Annotated

import typer

from orderyard.cli.common import database_errors, load_settings
from orderyard.store import migrate

app = typer.Typer(no_args_is_help=True, help="Database migrations.")


@app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply pending migrations to the configured database."""
    url = load_settings().database.url
    with database_errors():
        migrate.upgrade(url, revision)
    typer.echo(f"database at {revision}")


@app.command("downgrade")
def downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Revert migrations down to ``revision``."""
    url = load_settings().database.url
    with database_errors():
        migrate.downgrade(url, revision)


@app.command("check")
def check() -> None:
    """Fail if the database is not migrated to the head or differs from the code's tables."""
    url = load_settings().database.url
    with database_errors():
        migrate.check(url)
    typer.echo("schema matches")
