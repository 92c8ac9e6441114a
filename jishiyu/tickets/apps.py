from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "jishiyu.tickets"
    verbose_name = _("Tickets (社区通)")

    def ready(self) -> None:
        # 12345 callbacks listen to ticket_changed in every process (web and worker);
        # the intake lookups drop their memo when a source, category, policy or holiday changes
        from jishiyu.tickets import (
            callbacks,  # noqa: F401
            lookups,  # noqa: F401
        )
