from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jishiyu.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app declares its menu entries, to-dos, portal cards and dashboard figures in its shell.py
        # (jishiyu.core.shells); importing them here fills the registry the shells read.
        autodiscover_modules("shell")
        # Each app grants its permissions to roles in its permissions.py (jishiyu.core.grants).
        autodiscover_modules("permissions")
