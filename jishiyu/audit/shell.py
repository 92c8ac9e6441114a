"""Audit in the shells (jishiyu.core.shells): the staff menu entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jishiyu.core.shells import MenuEntry, register_menu

register_menu(MenuEntry("audit", _("Audit"), "audit:entry-list", "audit.view", order=90))
