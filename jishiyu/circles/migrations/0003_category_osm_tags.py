"""OSM tags per category (分类的 OSM 标签), filled from the shipped mapping."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from jishiyu.circles.catalogue import shipped_osm_tags

    Category = apps.get_model("circles", "Category")
    for code, tags in shipped_osm_tags().items():
        Category.objects.filter(code=code, osm_tags="").update(osm_tags=tags)


class Migration(migrations.Migration):
    dependencies = [("circles", "0002_catalogue")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="osm_tags",
            field=models.TextField(
                blank=True, help_text="one key=value per line, e.g. shop=convenience", verbose_name="OpenStreetMap tags"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
