"""In-app inbox for every user, and the development SMS outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # {language code: [title, body]} for every language of the site, written when sent; ``title`` and
    # ``body`` above hold the recipient's own language (the SMS, and messages sent before texts existed).
    texts = models.JSONField(_("in every language"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]

    def _shown(self) -> list[str]:
        return self.texts.get(get_language() or "") or [self.title, self.body]

    @property
    def shown_title(self) -> str:
        """The title in the language the reader uses now."""
        return self._shown()[0]

    @property
    def shown_body(self) -> str:
        return self._shown()[1]


class OutboxMessage(models.Model):
    """A text message the development SMS sender 'sent': shown on the outbox page, never delivered.
    Kept in the clear on purpose (a developer must read the code); production senders do not write here."""

    phone = models.CharField(_("mobile number"), max_length=20, db_index=True)
    body = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-id"]
