"""The dialect's wire models."""
