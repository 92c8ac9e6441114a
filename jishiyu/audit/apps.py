from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jishiyu.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from jishiyu.audit import registry

        registry.connect()
