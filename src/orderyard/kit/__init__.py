"""Domain-free helpers: clock, key generation."""
