"""The subject access page: data officers and administrators only (everyone else: 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from families.models import AccessLog, Family
from families.services import access_log_record

from . import selectors, services
from .forms import SubjectAccessForm
from .permissions import can_prepare_subject_access


@require_http_methods(["GET", "HEAD", "POST"])
def subject_access(request, person):
    if not can_prepare_subject_access(request.user):
        raise PermissionDenied(
            "Only a data officer or an administrator can prepare a subject access export."
        )
    person = selectors.person_for_subject_access(key=person)
    families = list(
        Family.objects.filter(memberships__person=person).distinct().order_by("reference")
    )
    form = SubjectAccessForm(request.POST or None, initial={"format": "pdf"})
    if request.method == "POST" and form.is_valid():
        try:
            export = services.subject_access_export(
                actor=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                format=form.cleaned_data["format"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = HttpResponse(export.content, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
    access_log_record(
        user=request.user,
        families=families,
        via=AccessLog.Via.PAGE,
        action="Viewed the subject access page",
        path=request.path,
    )
    return render(
        request,
        "privacy/subject_access.html",
        {
            "person": person,
            "families": families,
            "form": form,
            "exports": selectors.subject_access_export_list(person=person),
        },
    )
