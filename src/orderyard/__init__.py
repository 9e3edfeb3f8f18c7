"""Orderyard: a self-hosted order management system."""
