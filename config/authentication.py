"""API token sign-in that names the user in the database history of what the request changes
(the history middleware runs before the API knows whose token it is)."""

import pghistory
from rest_framework import authentication


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            pghistory.context(user=result[0].pk)
        return result
