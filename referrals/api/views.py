"""API viewsets for the referrals app."""


def register(router) -> None:
    """Register this app's viewsets on the API router."""
