"""Fixtures of the browser journeys (the harness itself is tests/navigateur.py)."""

from tests.navigateur import boite_mail  # noqa: F401
