"""Background work of the circles app: coverage runs (覆盖计算) outside the web process."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def coverage_task(run_id: int) -> None:
    """Compute one coverage run."""
    from jishiyu.circles.services import coverage_compute

    coverage_compute(run_id)
