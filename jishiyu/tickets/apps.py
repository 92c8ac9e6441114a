from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "jishiyu.tickets"
    verbose_name = _("Tickets (社区通)")

    def ready(self) -> None:
        # routing: suggestion and duplicate check on intake
        # 12345 callbacks listen to ticket_changed in every process (web and worker)
        from jishiyu.tickets import (
            callbacks,  # noqa: F401
            receivers_routing,  # noqa: F401
        )
