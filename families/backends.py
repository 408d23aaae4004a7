"""The lockout check that runs before the password check (AUTHENTICATION_BACKENDS)."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout for every sign-in that comes with a request: the sign-in page, the
    admin's and the API token endpoint all pass one. A check with no request (a management
    command, the test client's `login`) has no address to lock out, so it is not refused here;
    the password check that follows still applies."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
