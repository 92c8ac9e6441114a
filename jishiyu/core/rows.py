"""One-row inserts with their SQL built once per model and database (一次编译的插入).

``Model.save()`` compiles a fresh INSERT every time: for a wide model such as a ticket that costs several
times what the database spends on the row. Intake paths that must take hundreds of rows a second
(the 12345 push, Open311) insert through ``insert`` instead: the statement is built once from the model's
own field names and column types, values are converted by the fields themselves wherever the database
needs a conversion (dates, JSON, decimals …) and passed through where it does not (text, numbers,
booleans, foreign keys to integer keys).

What ``insert`` does not do, by design: send ``pre_save``/``post_save`` signals or call an overridden
``save()``. Use it only for models that rely on neither (the audit registry's models must keep ``save``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router

# Field classes whose Python value the database drivers take as it is (exact classes: a subclass may
# convert in get_prep_value, so it goes through the field).
_PLAIN: tuple[type[models.Field[Any, Any]], ...] = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.FloatField,
    models.IntegerField,
    models.PositiveBigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
)


def _is_plain(field: models.Field[Any, Any]) -> bool:
    if isinstance(field, models.ForeignKey):
        return _is_plain(field.target_field)
    return type(field) in _PLAIN


@dataclass(frozen=True)
class _Plan:
    sql: str
    fields: tuple[models.Field[Any, Any], ...]
    # per field: 0 = take the attribute as it is, 1 = convert with get_db_prep_save, 2 = pre_save first
    modes: tuple[int, ...]
    pk: models.Field[Any, Any]
    returning: bool


_plans: dict[tuple[type[models.Model], str], _Plan] = {}


def _plan(model: type[models.Model], alias: str) -> _Plan:
    connection = connections[alias]
    meta, quote = model._meta, connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    fields = tuple(f for f in meta.concrete_fields if f is not pk)
    modes = tuple(
        2 if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else (0 if _is_plain(f) else 1)
        for f in fields
    )
    returning = bool(connection.features.can_return_columns_from_insert)
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(  # noqa: S608 (quoted model names, no input)
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
        f" RETURNING {quote(pk.column)}" if returning else "",
    )
    return _Plan(sql, fields, modes, pk, returning)


def insert(obj: models.Model) -> models.Model:
    """INSERT ``obj`` (a new instance whose primary key the database assigns) and set its pk."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    plan = _plans.get((model, alias))
    if plan is None:
        plan = _plans[(model, alias)] = _plan(model, alias)
    connection = connections[alias]
    params: list[Any] = []
    for field, mode in zip(plan.fields, plan.modes, strict=True):
        if mode == 0:
            value = getattr(obj, field.attname)
        else:
            value = field.pre_save(obj, add=True) if mode == 2 else getattr(obj, field.attname)
            value = field.get_db_prep_save(value, connection)
        params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        if plan.returning:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table, plan.pk.column)
    setattr(obj, plan.pk.attname, pk)
    obj._state.adding, obj._state.db = False, alias
    return obj
