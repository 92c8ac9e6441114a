"""Pinyin sort keys (拼音排序键): Chinese lists are read in pinyin order (安 before 北 before 张), which
neither the databases' code-point order nor a locale collation gives. The key is computed once, when a
name is saved, and stored beside it (``name_pinyin``), so a list orders by an indexed column.
See docs/decisions/0004-stored-texts-and-pinyin-keys.md."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

PINYIN_MAX = 255


@lru_cache(maxsize=65536)  # names repeat (a district's 王秀英s), and bulk builders ask for each
def pinyin_key(name: str) -> str:
    """Sort key of a name, "张三" → "zhang1 san1": syllables with tone numbers (so 妈 sorts before 马),
    separated by a space (so "li ming" sorts before "lin"); other letters and digits kept, lowercased."""
    syllables = lazy_pinyin(str(name or "").strip(), style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(s.strip().lower() for s in syllables if s.strip())[:PINYIN_MAX]


class PinyinNamed(models.Model):
    """A model with a ``name`` whose lists are ordered by its pinyin: ``name_pinyin`` is filled on every
    save (and by a data migration for rows that existed before); bulk writers call ``pinyin_key``."""

    name: Any
    name_pinyin = models.CharField(
        _("name in pinyin"), max_length=PINYIN_MAX, blank=True, editable=False, db_index=True
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_pinyin = pinyin_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin"}
        super().save(*args, **kwargs)


def fill_pinyin(app_label: str, model_name: str) -> Any:
    """A data migration's forwards function: compute ``name_pinyin`` for every existing row."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        batch: list[Any] = []
        for obj in model.objects.only("pk", "name").iterator(chunk_size=2000):
            obj.name_pinyin = pinyin_key(obj.name)
            batch.append(obj)
            if len(batch) >= 2000:
                model.objects.bulk_update(batch, ["name_pinyin"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["name_pinyin"])

    return forwards
