"""The workbench's own menu entry (jishiyu.core.shells)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jishiyu.core.shells import MenuEntry, register_menu

register_menu(MenuEntry("workbench", _("Workbench"), "workbench:home", None, order=0))
