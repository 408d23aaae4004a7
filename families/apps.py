from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = "Families"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save, pre_save

        from . import security
        from .models import User

        # Every sign-in, failure, lockout and sign-out goes in the security event log, and a
        # disabled account's sessions and API tokens end however it was disabled.
        user_logged_in.connect(security.on_signed_in, dispatch_uid="security-signed-in")
        user_login_failed.connect(security.on_sign_in_failed, dispatch_uid="security-failed")
        user_logged_out.connect(security.on_signed_out, dispatch_uid="security-signed-out")
        user_locked_out.connect(security.on_locked_out, dispatch_uid="security-locked-out")
        pre_save.connect(security.on_user_saving, sender=User, dispatch_uid="security-user-pre")
        post_save.connect(security.on_user_saved, sender=User, dispatch_uid="security-user-post")

        from .services.audit_chain import audit_chain_attach

        # After every migrate (and test database flush): chain every audited table, including
        # history tables added since.
        post_migrate.connect(_attach, sender=self, dispatch_uid="families-audit-chain")
        self._attach = audit_chain_attach


def _attach(sender, using, **kwargs) -> None:
    sender._attach(using=using)
