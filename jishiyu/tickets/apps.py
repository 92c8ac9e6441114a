from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "jishiyu.tickets"
    verbose_name = _("Tickets (社区通)")
