"""API for family records under /api/v1/: families, members, interventions, case notes, consent.

Every read is scoped with `selectors.family_scope`: a family outside the user's scope, and
anything recorded on it, is a 404. Every read of a family record is written to AccessLog
(one row for a detail read; one row per family on the page, in one insert, for a list).
Writes check the role, parse the request and call ONE service; a service's ValidationError
becomes a 400 with field errors (config.api.exception_handler), PermissionDenied a 403.
"""

from .families import FamilyViewSet
from .records import CaseNoteViewSet, ConsentViewSet, InterventionViewSet, MembershipViewSet

__all__ = [
    "CaseNoteViewSet",
    "ConsentViewSet",
    "FamilyViewSet",
    "InterventionViewSet",
    "MembershipViewSet",
    "register",
]


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("families", FamilyViewSet, basename="family")
    router.register("members", MembershipViewSet, basename="member")
    router.register("interventions", InterventionViewSet, basename="intervention")
    router.register("notes", CaseNoteViewSet, basename="note")
    router.register("consents", ConsentViewSet, basename="consent")
