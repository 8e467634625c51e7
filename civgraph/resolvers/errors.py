"""Errors that are the client's to fix: shown to clients as they are, never masked."""

from __future__ import annotations


class UserError(Exception):
    """Bad input the client can correct; its message is safe to show."""
