from django.db import migrations, models


def fill(apps, schema_editor):
    """Older tickets: a resolved one with coordinates was placed by its point, one without by its address
    (or by hand: the two cannot be told apart afterwards), an unresolved one not at all."""
    Ticket = apps.get_model("tickets", "Ticket")
    rows = Ticket.objects.filter(place_basis__isnull=True)
    rows.filter(place_resolved=False).update(place_basis="none")
    rows.filter(place_resolved=True, lon__isnull=False, lat__isnull=False).update(place_basis="point")
    rows.filter(place_resolved=True).update(place_basis="address")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_intake_analysis"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="place_basis",
            field=models.CharField(
                blank=True,
                choices=[
                    ("chosen", "chosen by hand"),
                    ("point", "from the point on the map"),
                    ("address", "from the address"),
                    ("home", "from the reporter's registered community"),
                    ("none", "not placed"),
                ],
                editable=False,
                max_length=8,
                null=True,
                verbose_name="placed by",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
