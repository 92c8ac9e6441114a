"""Regions are listed in pinyin order within their level (安 before 北 before 张), whatever their ids."""

from __future__ import annotations

from jishiyu.regions.models import Region
from jishiyu.regions.services import region_bulk_create, region_create


def test_the_children_of_a_community_are_listed_in_pinyin_order(client, tree, personas):
    for name in ["张家网格", "北门网格", "安康网格"]:
        region_create(kind="grid", name=name, parent=tree.other_community)
    client.force_login(personas["district_admin"])
    items = client.get(f"/api/v1/regions?parent={tree.other_community.pk}&kind=grid").json()["items"]
    assert [i["name"] for i in items] == ["安康网格", "北门网格", "新林第一网格", "张家网格"]


def test_regions_created_in_bulk_carry_the_key(tree):
    made = region_bulk_create(tree.other_community, [Region(kind="grid", name="北门网格")])
    assert Region.objects.get(pk=made[0].pk).name_pinyin == "bei3 men2 wang3 ge2"
