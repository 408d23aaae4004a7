from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared building blocks"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .views import mark_session_start

        # The session's end, recorded when it starts, lets the page warn before it comes.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: mark_session_start(request.session),
            weak=False,
            dispatch_uid="core.session_start",
        )
