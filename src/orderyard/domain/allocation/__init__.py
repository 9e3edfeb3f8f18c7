"""Deciding which location ships which quantity."""
