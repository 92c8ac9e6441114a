"""The ticket's region path in the "C" collation on PostgreSQL, like every materialised path: under a
locale collation "/1/2/45/" does not sort below "/1/2/~", and a street's subtree range would silently
drop tickets (docs/decisions/0001-materialised-paths.md)."""

from django.db import migrations

from jishiyu.core.migration_ops import c_collation


class Migration(migrations.Migration):
    dependencies = [("tickets", "0007_queue_partial_indexes")]
    operations = [c_collation("tickets_ticket", "region_path")]
