from django.db import migrations

from jishiyu.core.migration_ops import c_collation


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [c_collation("regions_region", "path")]
