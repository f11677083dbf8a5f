"""Kiosk pages (being built)."""
