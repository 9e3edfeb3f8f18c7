"""Ceiling apps: the fastest the same web stack and database can go, measured in the same run."""
