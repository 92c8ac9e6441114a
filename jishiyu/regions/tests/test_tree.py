from __future__ import annotations

from jishiyu.regions.models import Region
from jishiyu.regions.selectors import region_subtree
from jishiyu.regions.services import region_create


def test_a_subtree_holds_the_node_and_its_descendants_only(tree):
    names = set(region_subtree(tree.street).values_list("name", flat=True))
    assert names == {"雨花街道", "翠竹园社区", "凤台社区", "翠竹园第一网格", "翠竹园第二网格", "翠竹园"}


def test_a_node_whose_id_extends_anothers_is_not_in_its_subtree(db):
    # Ids 1 and 12 (say): "/1/" must not contain "/12/"; build enough nodes to get such ids.
    district = region_create(kind="district", name="区")
    streets = [region_create(kind="street", name=f"街道{i}", parent=district) for i in range(25)]
    first = streets[0]
    longer = [s for s in streets if str(s.pk).startswith(str(first.pk)) and s.pk != first.pk]
    region_create(kind="community", name="社区", parent=first, community_kind="commercial")
    subtree = set(region_subtree(first).values_list("pk", flat=True))
    assert first.pk in subtree
    assert not subtree & {s.pk for s in longer}
    assert len(subtree) == 2


def test_paths_are_materialised_from_ids(tree):
    community = Region.objects.get(pk=tree.community.pk)
    assert community.path == f"/{tree.district.pk}/{tree.street.pk}/{tree.community.pk}/"
    assert community.depth == 2
    assert tree.district.division_code == "320114000000"
