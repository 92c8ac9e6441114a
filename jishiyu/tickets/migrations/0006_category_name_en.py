"""Categories get an English name, filled from the catalogue by code; C03 is renamed 市容环境设施 so that it no
longer shares its name with the event class E01 市容环境."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from jishiyu.tickets.catalogue import NAMES_EN

OLD_C03, NEW_C03 = "市容环境", "市容环境设施"


def forwards(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("tickets", "Category")
    # Only a row still bearing the shipped name: a district that renamed C03 itself keeps its own name.
    Category.objects.filter(code="C03", name=OLD_C03).update(name=NEW_C03)
    for code, name_en in NAMES_EN.items():
        Category.objects.filter(code=code, name_en="").update(name_en=name_en)


def backwards(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("tickets", "Category")
    Category.objects.filter(code="C03", name=NEW_C03).update(name=OLD_C03)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_place_basis"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="English name"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
