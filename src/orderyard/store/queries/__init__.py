"""Read side: SQL straight to frozen view dataclasses, never through aggregates."""
