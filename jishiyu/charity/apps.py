from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "jishiyu.charity"
    verbose_name = _("Charity (公益行)")
