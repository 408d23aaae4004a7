"""API token sign-in that names its user in the database history (core/history.py)."""

from rest_framework.authentication import TokenAuthentication

from .history import NamesUserInHistory


class HistoryTokenAuthentication(NamesUserInHistory, TokenAuthentication):
    """An API token, whose user history names for what the request changes."""
