from __future__ import annotations

import pytest

from jishiyu.regions.gazetteer import resolve
from jishiyu.regions.services import region_update

FULL = "雨花台区板桥街道新林社区新林苑3栋2单元501"


@pytest.mark.parametrize(
    "address",
    [
        FULL,
        "板桥新林苑3-2-501",
        "新林苑3幢2单元501室",
        "新林苑3号楼2单元501",
        "新林苑三栋二单元五零一室",
        "江苏省南京市雨花台区板桥街道新林苑3栋2单元501",
        "板乔街道新林社区新林苑3栋2单元501",
        "雨花台区 板桥街道 新林社区 新林苑 3栋 2单元 501",
        "新林苑３－２－５０１",
    ],
)
def test_variants_of_one_address_resolve_to_the_same_dwelling(addresses, address):
    result = resolve(address)
    assert result.region is not None and result.region.id == addresses.xinlinyuan.pk
    assert result.dwelling == {"id": addresses.dwelling.pk, "number": "501"}
    assert result.entrance == {"id": addresses.entrance.pk, "number": "2"}


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("雨花台区板桥街道", "other_street"),
        ("板桥街道新林社区", "other_community"),
        ("新林社区", "other_community"),
        ("翠竹园第一网格", "grid"),
        ("雨花街道翠竹园社区", "community"),
        ("翠竹园小区", "compound"),
    ],
)
def test_an_address_without_a_building_resolves_to_the_deepest_place_named(tree, address, expected):
    result = resolve(address)
    assert result.region is not None and result.region.id == getattr(tree, expected).pk
    assert result.building is None


def test_a_compound_named_like_its_community_resolves_to_the_compound_with_its_building(addresses, tree):
    result = resolve("翠竹园5栋1单元101")
    assert result.region.id == tree.compound.pk
    assert result.dwelling["id"] == addresses.cuizhu_dwelling.pk


def test_a_typo_in_the_compound_still_finds_the_compound_under_the_named_community(addresses):
    result = resolve("新林社区新林园3栋2单元501")
    assert result.region.id == addresses.xinlinyuan.pk
    assert result.building["id"] == addresses.building.pk
    assert any(m.get("fuzzy") for m in result.matched)


@pytest.mark.parametrize("address", ["火星基地1号", "", "   ", "12345"])
def test_an_unknown_address_resolves_to_nothing_with_zero_confidence(addresses, address):
    result = resolve(address)
    assert result.region is None and result.confidence == 0


def test_confidence_falls_from_exact_to_missing_levels_to_typos_to_unknown(addresses):
    exact = resolve(FULL).confidence
    missing = resolve("板桥新林苑3-2-501").confidence
    typo = resolve("板乔街道新林社区新林园3栋2单元501").confidence
    unknown = resolve("火星基地1号").confidence
    assert exact == 1.0
    assert exact > missing > typo > unknown == 0


def test_a_building_that_does_not_exist_lowers_the_confidence_and_stops_at_the_compound(addresses):
    result = resolve("雨花台区板桥街道新林社区新林苑9栋")
    assert result.region.id == addresses.xinlinyuan.pk
    assert result.building is None
    assert result.confidence < 1


def test_the_matched_parts_name_each_level(addresses):
    names = [m.get("name") for m in resolve(FULL).matched if "name" in m]
    assert names == ["雨花台区", "板桥街道", "新林社区", "新林苑"]


def test_a_renamed_place_is_found_by_its_new_name_at_once(addresses):
    assert resolve("新林苑3栋").region is not None
    region_update(actor=None, region=addresses.xinlinyuan, name="新林花园")
    assert resolve("新林花园3栋").region.id == addresses.xinlinyuan.pk


def test_without_a_shared_cache_another_processs_rename_is_seen_once_the_index_is_old_enough(addresses, monkeypatch):
    """Another process renamed it (here: a write that tells this process nothing). With the per-process
    cache no version bump arrives; the index's age bounds how long the old name resolves."""
    from jishiyu.regions import gazetteer
    from jishiyu.regions.models import Region

    assert not gazetteer._shared_cache()  # the suite's locmem cache
    assert resolve("新林苑3栋").region is not None
    Region.objects.filter(pk=addresses.xinlinyuan.pk).update(name="新林雅苑")
    stale = resolve("新林雅苑3栋").region
    assert getattr(stale, "id", None) != addresses.xinlinyuan.pk  # still the old index: within the bound
    monkeypatch.setattr(gazetteer, "LOCAL_MAX_AGE_SECONDS", 0.0)  # the bound has passed
    assert resolve("新林雅苑3栋").region.id == addresses.xinlinyuan.pk
