"""API viewsets for the outcomes app."""


def register(router) -> None:
    """Register this app's viewsets on the API router."""
