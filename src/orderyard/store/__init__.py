"""The only place that talks SQL: tables, engines, the unit of work, repositories and queries."""
