from django.db import migrations

from jishiyu.core.migration_ops import c_collation


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [c_collation("audit_auditentry", "region_path")]
