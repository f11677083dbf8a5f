"""Transparency page: aggregates only (being built)."""
