"""Background work of the 12345 / Open311 exchange (huey): sending callbacks (发送回调)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jishiyu.tickets.callbacks import callback_deliver, callbacks_send_due


@db_task()
def callback_deliver_task(delivery_id: int) -> None:
    """发送一条回调 (the first send, right after the step is committed)."""
    callback_deliver(delivery_id)


@db_periodic_task(crontab(minute="*"))
def callbacks_retry_task() -> None:
    """每分钟重发到期回调: the backoff schedule lives in the rows, so a restart loses nothing."""
    callbacks_send_due()
