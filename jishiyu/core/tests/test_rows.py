"""The compiled insert refuses the models whose new row it could not write as Model.save() would."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.functions import Lower
from django.test.utils import isolate_apps

from jishiyu.core import rows


@isolate_apps("jishiyu.core")
def test_multi_table_inheritance_is_refused() -> None:
    class Place(models.Model):
        name = models.CharField(max_length=10)

    class Clinic(Place):
        beds = models.IntegerField()

    with pytest.raises(ImproperlyConfigured, match="multi-table inheritance"):
        rows.insert(Clinic(name="x", beds=1))


@isolate_apps("jishiyu.core")
def test_a_generated_column_is_refused() -> None:
    class Named(models.Model):
        name = models.CharField(max_length=10)
        lowered = models.GeneratedField(
            expression=Lower("name"), output_field=models.CharField(max_length=10), db_persist=True
        )

    with pytest.raises(ImproperlyConfigured, match="generated column"):
        rows.insert(Named(name="X"))


@isolate_apps("jishiyu.core")
def test_a_db_default_is_refused() -> None:
    class Counted(models.Model):
        n = models.IntegerField(db_default=0)

    with pytest.raises(ImproperlyConfigured, match="db_default"):
        rows.insert(Counted())


@isolate_apps("jishiyu.core")
def test_a_key_made_in_python_is_refused() -> None:
    class Keyed(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)

    with pytest.raises(ImproperlyConfigured, match="primary key"):
        rows.insert(Keyed())
