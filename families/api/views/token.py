"""The API's token endpoint: a username and password give a token that lasts API_TOKEN_LIFETIME.
Five failures for a username from one address lock it out for a while (django-axes), as on the
sign-in page."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from families import security
from families.views_signin import LOCKED_OUT_MESSAGE

LOCKED_OUT = LOCKED_OUT_MESSAGE.format(
    minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
)

TokenResponse = inline_serializer(
    "ApiToken",
    {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
)


def _locked_out(request) -> bool:
    return bool(
        getattr(request, "axes_locked_out", False)
        or getattr(request._request, "axes_locked_out", False)
    )


class ApiTokenView(ObtainAuthToken):
    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: TokenResponse,
            400: OpenApiResponse(description="The username or password is not right."),
            429: OpenApiResponse(description="Locked out after repeated failures."),
        },
        summary="Get an API token",
        description=(
            "Give a username and password for the token to send as `Authorization: Token <key>`."
            " The same token comes back until it expires (API_TOKEN_LIFETIME, 30 days by "
            "default) or is revoked; then a new one."
        ),
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        if _locked_out(request):
            return Response({"detail": LOCKED_OUT}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if not valid:
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        token = security.token_issue(request, serializer.validated_data["user"])
        return Response({"token": token.key, "expires_at": security.token_expires_at(token)})


api_token = ApiTokenView.as_view()
