from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = "Families"

    def ready(self) -> None:
        from .services.audit_chain import audit_chain_attach

        # After every migrate (and test database flush): chain every audited table, including
        # history tables added since.
        post_migrate.connect(_attach, sender=self, dispatch_uid="families-audit-chain")
        self._attach = audit_chain_attach


def _attach(sender, using, **kwargs) -> None:
    sender._attach(using=using)
