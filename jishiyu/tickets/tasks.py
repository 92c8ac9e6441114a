"""Background work of the tickets app (huey): warnings before expiry and overdue escalation (预警与超期升级)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jishiyu.tickets.services import tickets_check_deadlines


@db_periodic_task(crontab(minute="*/10"))
def tickets_check_deadlines_periodic() -> dict[str, int]:
    """Every ten minutes: warn handlers of tickets due soon; escalate overdue tickets to the level above."""
    return tickets_check_deadlines()


# routing: the nightly retraining of the handler suggestion lives beside routing
# 12345 callbacks: delivery and retries (huey discovers tasks.py only)
# intake: the analysis of new tickets (suggestion, duplicates) and its sweep
from jishiyu.tickets.tasks_hotline import callback_deliver_task, callbacks_retry_task  # noqa: E402, F401
from jishiyu.tickets.tasks_intake import tickets_analyse_missed_task, tickets_analyse_task  # noqa: E402, F401
from jishiyu.tickets.tasks_routing import suggestion_model_retrain  # noqa: E402, F401
