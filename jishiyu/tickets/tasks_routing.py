"""Background work of routing: retrain the handler suggestion (派单建议模型) every night."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jishiyu.tickets.suggest import suggestion_model_train

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="30", hour="2"))
def suggestion_model_retrain() -> None:
    """Learn again from the day's dispatch decisions (02:30, when the desks are quiet)."""
    row = suggestion_model_train()
    if row is None:
        log.info("suggestion model: not enough dispatch history yet")
    else:
        log.info("suggestion model %s: %s samples, held-out accuracy %s", row.pk, row.samples, row.accuracy)
