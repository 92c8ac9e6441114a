"""Load the shipped facility catalogue (设施目录, GB 50180-2018)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jishiyu.circles.catalogue import load_catalogue

    load_catalogue(apps.get_model("circles", "Circle"), apps.get_model("circles", "Category"))


class Migration(migrations.Migration):
    dependencies = [("circles", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
