"""Wire <-> core translations, one module per resource."""
