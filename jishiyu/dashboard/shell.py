"""The dashboard's own menu entry (jishiyu.core.shells); the module cards it shows are declared by each
module's shell.py (``register_figures``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jishiyu.core.shells import MenuEntry, register_menu
from jishiyu.dashboard.selectors import DASHBOARD_PERMISSION

register_menu(MenuEntry("dashboard", _("Dashboard"), "dashboard:home", DASHBOARD_PERMISSION, order=95))
