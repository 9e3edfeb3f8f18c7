"""Plumbing shared by every HTTP surface: application state and units of work per request."""
