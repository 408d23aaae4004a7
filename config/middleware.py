"""Every page needs a signed-in user; the API authenticates itself (session or token)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

OPEN_PREFIXES = (
    "/sign-in/",
    "/sign-out/",
    "/static/",
    "/api/",
    "/admin/",
    "/healthz",
    # Linked from every page's footer, the sign-in page's included.
    "/accessibility/",
    "/privacy/",
    "/feedback/",
    "/signed-out/",
)


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
