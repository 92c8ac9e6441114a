"""Messages in the shells (jishiyu.core.shells): unread messages as a to-do of every staff member."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jishiyu.core.shells import Todo, bounded_count, register_todos
from jishiyu.notifications.selectors import notification_list

register_todos(
    Todo(
        "notifications",
        _("Unread messages"),
        _("Messages in your inbox"),
        lambda actor: bounded_count(notification_list(actor=actor, unread_only=True)),
        "notifications:inbox",
        order=90,
    )
)
