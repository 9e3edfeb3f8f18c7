"""Alembic migrations, shipped inside the package so the SQLite default can self-migrate."""
