"""URLs for recording and correcting evidence (included in the outcomes namespace)."""

urlpatterns: list = []
