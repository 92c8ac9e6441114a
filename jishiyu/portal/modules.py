"""The modules of the resident portal. They are not written here: each module declares its card in its
shell.py (``register_portal`` of ``jishiyu.core.shells``); each landing page says what the module holds and
links to what residents can already use, so no card leads nowhere."""

from __future__ import annotations

from jishiyu.core.shells import PortalCard, portal_cards

Module = PortalCard


def modules() -> list[PortalCard]:
    """The portal's modules, in their declared order."""
    return portal_cards()


def module_get(slug: str) -> PortalCard | None:
    return next((m for m in portal_cards() if m.slug == slug), None)
