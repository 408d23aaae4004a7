"""URLs for eligibility runs and notifications (included in the claims namespace)."""

urlpatterns: list = []
