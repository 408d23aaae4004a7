"""Every page needs a signed-in user; the API authenticates itself (session or token)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# /api/v1/ and /api/schema/ answer 401/403 themselves (session or token); the API docs page
# needs a signed-in session, or a token in the Authorization header (API_DOCS_PREFIXES).
OPEN_PREFIXES = (
    "/sign-in/",
    "/sign-out/",
    "/static/",
    "/api/v1/",
    "/api/schema/",
    "/admin/",
    "/healthz",
    # Linked from every page's footer, the sign-in page's included.
    "/accessibility/",
    "/privacy/",
    "/feedback/",
    "/signed-out/",
)
API_DOCS_PREFIXES = ("/api/docs/", "/api/redoc/")


def is_open(request) -> bool:
    """May someone not signed in (by session) open this address?"""
    if request.path.startswith(OPEN_PREFIXES):
        return True
    return request.path.startswith(API_DOCS_PREFIXES) and "HTTP_AUTHORIZATION" in request.META


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not is_open(request):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
