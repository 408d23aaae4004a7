"""Row history kept by PostgreSQL triggers (django-pghistory), the authoritative record.

django-simple-history (the family page's "what changed") only sees changes made through a
model's `save()`; a `QuerySet.update()`, a bulk write or raw SQL passes it by. The triggers
installed here record every insert, update and delete whatever made it, with the context
(who, which page or job) that `pghistory.context` and its middleware attach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pghistory
import pgtrigger

INSERT = "insert"
UPDATE = "update"
DELETE = "delete"


def tracked(*, exclude: Iterable[str] = ()) -> Callable[[type], type]:
    """Record every insert, update and delete of the decorated model in `<Model>Change`."""

    def decorate(model: type) -> type:
        return pghistory.track(
            pghistory.InsertEvent(INSERT),
            pghistory.UpdateEvent(UPDATE),
            pghistory.DeleteEvent(DELETE),
            exclude=list(exclude) or None,
            model_name=f"{model.__name__}Change",
            # `events` (the default) is the timeline's and the claim batch log's name already.
            obj_field=pghistory.ObjForeignKey(related_name="row_changes"),
            # One history insert per statement, not per row: a bulk COPY or update stays fast.
            level=pgtrigger.Statement,
        )(model)

    return decorate


class NamesUserInHistory:
    """Mixin for an API authentication class: the user it signs in is named in the database
    history of what the request changes (the history middleware runs before the API knows who
    the caller is). Put it first: ``class X(NamesUserInHistory, TokenAuthentication)``."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            pghistory.context(user=result[0].pk)
        return result
