"""API viewsets for family records (filled in by the API work)."""


def register(router) -> None:
    """Register this app's viewsets on the API router."""
