"""Background work of intake (huey): the analysis of new tickets (受理后分析) and its safety sweep."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jishiyu.tickets.analysis import tickets_analyse, tickets_analyse_missed


@db_task()
def tickets_analyse_task(ticket_ids: list[int]) -> int:
    """Words, routing suggestion and duplicate flag of the tickets one request (or import chunk) stored."""
    return tickets_analyse(ticket_ids)


@db_periodic_task(crontab(minute="*/2"))
def tickets_analyse_missed_task() -> int:
    """Every two minutes: analyse tickets waiting for dispatch whose task was lost."""
    return tickets_analyse_missed()
