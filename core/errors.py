"""Domain errors raised by services; views and the API turn them into clear messages."""


class DomainError(Exception):
    """A request that breaks a rule of the service. The message tells the user what to do."""

    http_status = 400


class InvalidTransition(DomainError):
    """A record cannot move to the requested state from the state it is in."""
