"""Errors raised by the claims services; views and the API turn them into clear messages."""

from core.errors import DomainError


class SeparationOfDutiesError(DomainError):
    """The same person may not take both steps (for example prepare and approve)."""

    http_status = 403
