"""One-row inserts with their SQL built once per model and database (一次编译的插入).

``Model.save()`` compiles a fresh INSERT every time: for a wide model such as a ticket that costs several
times what the database spends on the row. Intake paths that must take hundreds of rows a second
(the 12345 push, Open311) insert through ``insert`` instead: the statement is built once from the model's
own field names and column types, values are converted by the fields themselves wherever the database
needs a conversion (dates, JSON, decimals …) and passed through where it does not (text, numbers,
booleans, foreign keys to integer keys).

``insert_with`` stores a new row and rows that point at it (a ticket, its external id, its first event):
on PostgreSQL as one statement (data-modifying CTEs), so the database makes one round trip and one commit
instead of five; elsewhere as consecutive inserts in one transaction.

What these do not do, by design: send ``pre_save``/``post_save`` signals or call an overridden
``save()``. They refuse (``ImproperlyConfigured``) a model that has save receivers (the audit registry's
models among them) or overrides ``save()`` without declaring ``compiled_insert_ok = True`` (its ``save``
adds nothing a new row needs), so a receiver added later cannot be skipped silently.

They also refuse what a one-table INSERT of the model's own columns cannot write the way Django's
``Model._save_table`` would: multi-table inheritance (a row in two tables), generated columns and columns
with a ``db_default`` (the ORM leaves those to the database and reads them back), and a primary key the
database does not assign. The columns are the model's ``local_concrete_fields``, as the ORM's own INSERT
has them (a test compares the two statements). See docs/decisions/0005-compiled-inserts.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.models.signals import post_save, pre_save

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


def _check(model: type[models.Model]) -> None:
    """Refuse a model whose saving does more than an INSERT (asked on every call: receivers can be connected
    after the first insert; ``has_listeners`` is a cached dictionary lookup)."""
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise ImproperlyConfigured(
            f"{model._meta.label} has pre_save/post_save receivers (the audit log?): save it with save(), "
            "not jishiyu.core.rows, which would skip them."
        )
    if model.save is not models.Model.save and not getattr(model, "compiled_insert_ok", False):
        raise ImproperlyConfigured(
            f"{model._meta.label} overrides save(): set compiled_insert_ok = True on it if a new row needs "
            "nothing from that save(), or save it with save()."
        )


def _refuse_shape(model: type[models.Model]) -> None:
    """Refuse a model whose new row is more than its own columns filled from Python (checked once, when
    the statement is planned: a model's shape does not change while the process runs)."""
    meta, label = model._meta, model._meta.label
    if meta.parents:
        raise ImproperlyConfigured(
            f"{label} inherits from another concrete model (multi-table inheritance): its row spans two "
            "tables, which jishiyu.core.rows does not write. Save it with save()."
        )
    if meta.auto_field is None or meta.pk is not meta.auto_field:
        raise ImproperlyConfigured(
            f"{label} has a primary key the database does not assign: jishiyu.core.rows only inserts rows "
            "whose key comes back from the database. Save it with save()."
        )
    for field in meta.local_concrete_fields:
        if getattr(field, "generated", False):
            raise ImproperlyConfigured(
                f"{label}.{field.name} is a generated column: the ORM leaves it to the database and reads it "
                "back, which jishiyu.core.rows does not. Save it with save()."
            )
        if getattr(field, "has_db_default", lambda: False)():
            raise ImproperlyConfigured(
                f"{label}.{field.name} has a db_default: the ORM leaves it to the database and reads it "
                "back, which jishiyu.core.rows does not. Save it with save()."
            )


def _plan(model: type[models.Model], alias: str) -> _Plan:
    _refuse_shape(model)
    connection = connections[alias]
    meta, quote = model._meta, connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    # The ORM's own INSERT takes local_concrete_fields less the auto-assigned key (Model._save_table).
    fields = tuple(f for f in meta.local_concrete_fields if f is not pk)
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


def _get_plan(model: type[models.Model], alias: str) -> _Plan:
    _check(model)
    plan = _plans.get((model, alias))
    if plan is None:
        plan = _plans[(model, alias)] = _plan(model, alias)
    return plan


def _params(obj: models.Model, plan: _Plan, connection: Any, skip: str = "") -> list[Any]:
    params: list[Any] = []
    for field, mode in zip(plan.fields, plan.modes, strict=True):
        if field.attname == skip:
            continue
        if mode == 0:
            value = getattr(obj, field.attname)
        elif mode == 1:
            value = getattr(obj, field.attname)
            if value is not None:  # NULL needs no conversion (most of a new ticket's dates)
                value = field.get_db_prep_save(value, connection)
        else:
            value = field.get_db_prep_save(field.pre_save(obj, add=True), connection)
        params.append(value)
    return params


def insert(obj: models.Model) -> models.Model:
    """INSERT ``obj`` (a new instance whose primary key the database assigns) and set its pk."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    plan = _get_plan(model, alias)
    connection = connections[alias]
    params = _params(obj, plan, connection)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        if plan.returning:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table, plan.pk.column)
    setattr(obj, plan.pk.attname, pk)
    obj._state.adding, obj._state.db = False, alias
    return obj


_family_sql: dict[tuple[Any, ...], str] = {}


def _family(parent: type[models.Model], children: Sequence[tuple[type[models.Model], str]], alias: str) -> str:
    """``WITH p AS (INSERT … RETURNING pk), c0 AS (INSERT … SELECT …, p.pk FROM p RETURNING pk), …
    SELECT p.pk, c0.pk, … FROM p, c0, …`` (one row: each CTE inserts one)."""
    key = (parent, tuple(children), alias)
    sql = _family_sql.get(key)
    if sql is None:
        quote = connections[alias].ops.quote_name
        head = _get_plan(parent, alias)
        parts = [f"p AS ({head.sql})"]
        for n, (model, link) in enumerate(children):
            plan, fk = _get_plan(model, alias), cast("models.Field[Any, Any]", model._meta.get_field(link))
            own = [f for f in plan.fields if f is not fk]
            parts.append(
                "c{} AS (INSERT INTO {} ({}) SELECT {}, p.{} FROM p RETURNING {})".format(  # noqa: S608 (names)
                    n,
                    quote(model._meta.db_table),
                    ", ".join([*(quote(str(f.column)) for f in own), quote(str(fk.column))]),
                    ", ".join(["%s"] * len(own)),
                    quote(head.pk.column),
                    quote(plan.pk.column),
                )
            )
        picks = [f"p.{quote(head.pk.column)}"]
        picks += [f"c{n}.{quote(_get_plan(m, alias).pk.column)}" for n, (m, _) in enumerate(children)]
        sources = ", ".join(["p", *(f"c{n}" for n in range(len(children)))])
        sql = "WITH {} SELECT {} FROM {}".format(", ".join(parts), ", ".join(picks), sources)  # noqa: S608
        _family_sql[key] = sql
    return sql


def insert_with(parent: models.Model, children: Sequence[tuple[models.Model, str]]) -> models.Model:
    """INSERT ``parent`` and each ``(child, link)``, ``link`` naming the child's foreign key to the parent,
    all or nothing; sets every primary key and link. One statement on PostgreSQL."""
    model = type(parent)
    alias = router.db_for_write(model, instance=parent)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=alias):
            insert(parent)
            for child, link in children:
                setattr(child, link, parent)
                insert(child)
        return parent
    sql = _family(model, [(type(child), link) for child, link in children], alias)
    params = _params(parent, _get_plan(model, alias), connection)
    for child, link in children:
        attname = type(child)._meta.get_field(link).attname  # type: ignore[union-attr]
        params += _params(child, _get_plan(type(child), alias), connection, skip=attname)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pks = cursor.fetchone()
    setattr(parent, _get_plan(model, alias).pk.attname, pks[0])
    parent._state.adding, parent._state.db = False, alias
    for (child, link), pk in zip(children, pks[1:], strict=True):
        setattr(child, link, parent)
        setattr(child, _get_plan(type(child), alias).pk.attname, pk)
        child._state.adding, child._state.db = False, alias
    return parent
