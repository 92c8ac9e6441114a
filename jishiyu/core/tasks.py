"""Background work of the shared kernel (huey): running spreadsheet imports (执行导入)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from jishiyu.core.imports import import_job_run


@db_task()
def import_job_task(job_id: int) -> None:
    """执行导入任务."""
    import_job_run(job_id)
