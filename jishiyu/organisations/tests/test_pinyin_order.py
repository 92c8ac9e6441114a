"""Organisations of one kind are listed in pinyin order (安 before 北 before 张)."""

from __future__ import annotations

from jishiyu.organisations.models import Organisation


def test_organisations_of_a_kind_are_listed_in_pinyin_order(client, tree, personas):
    for name in ["张家志愿队", "北门志愿队", "安康志愿队"]:
        Organisation.objects.create(kind=Organisation.Kind.SOCIAL, name=name, region=tree.community)
    client.force_login(personas["district_admin"])
    items = client.get("/api/v1/organisations?kind=social").json()["items"]
    assert [i["name"] for i in items] == ["安康志愿队", "北门志愿队", "张家志愿队"]
    html = client.get("/organisations/?kind=social").content.decode()
    assert html.index("安康志愿队") < html.index("北门志愿队") < html.index("张家志愿队")
