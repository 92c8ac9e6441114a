"""The import job's region path in the "C" collation on PostgreSQL, like every materialised path
(docs/decisions/0001-materialised-paths.md)."""

from django.db import migrations

from jishiyu.core.migration_ops import c_collation


class Migration(migrations.Migration):
    dependencies = [("core", "0003_import_job_language")]
    operations = [c_collation("core_importjob", "region_path")]
