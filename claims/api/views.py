"""API viewsets for the claims app."""


def register(router) -> None:
    """Register this app's viewsets on the API router."""
