"""Who holds the notifications app's permission (jishiyu.core.grants): the development SMS outbox holds
sign-up and reset codes, so only the system admin reads it (and only where the outbox is on)."""

from __future__ import annotations

from jishiyu.core import grants

OUTBOX_READ = "notifications.outbox"

grants.declare("notifications", {"system_admin": {OUTBOX_READ}})
