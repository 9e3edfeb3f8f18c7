"""Vendor dialects: each translates one vendor's HTTP shape onto the core, and decides nothing."""
