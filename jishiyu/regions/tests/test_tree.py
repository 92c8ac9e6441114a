from __future__ import annotations

import pytest

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


def test_moving_a_community_rewrites_the_paths_of_its_whole_subtree(tree):
    from jishiyu.regions.services import region_move

    region_move(actor=None, region=tree.community, parent=tree.other_street, nbs_code="")
    grid = Region.objects.get(pk=tree.grid.pk)
    assert grid.path == f"/{tree.district.pk}/{tree.other_street.pk}/{tree.community.pk}/{tree.grid.pk}/"
    assert grid.depth == 3
    assert tree.grid.pk in set(region_subtree(tree.other_street).values_list("pk", flat=True))
    assert tree.grid.pk not in set(region_subtree(tree.street).values_list("pk", flat=True))


def test_a_move_leaves_nodes_whose_path_merely_starts_alike_untouched(db):
    from jishiyu.regions.services import region_move

    district = region_create(kind="district", name="区")
    first = region_create(kind="street", name="街道", parent=district)
    # Ids chosen so their paths start like the first street's ("/7/" and "/70/", "/71/").
    lookalikes = [region_create(kind="street", name=f"街道{i}", parent=district, id=first.pk * 10 + i) for i in (0, 1)]
    community = region_create(kind="community", name="社区", parent=lookalikes[0], community_kind="village")
    region_move(actor=None, region=community, parent=first)
    for s in lookalikes:
        assert Region.objects.get(pk=s.pk).path == f"/{district.pk}/{s.pk}/"
    assert Region.objects.get(pk=community.pk).path == f"/{district.pk}/{first.pk}/{community.pk}/"


def test_a_node_cannot_move_under_its_own_descendant(tree):
    from jishiyu.core.errors import DomainError
    from jishiyu.regions.services import MOVE_INTO_ITSELF, region_move

    with pytest.raises(DomainError) as err:
        region_move(actor=None, region=tree.street, parent=tree.community)
    assert err.value.message == MOVE_INTO_ITSELF


def test_a_grid_cannot_move_under_a_street(tree):
    from jishiyu.core.errors import DomainError
    from jishiyu.regions.services import region_move

    with pytest.raises(DomainError) as err:
        region_move(actor=None, region=tree.grid, parent=tree.other_street)
    assert err.value.field == "parent"
    assert Region.objects.get(pk=tree.grid.pk).parent_id == tree.community.pk


def test_a_move_with_a_code_of_the_old_street_is_refused(tree):
    from jishiyu.core.errors import DomainError
    from jishiyu.regions.services import region_move

    with pytest.raises(DomainError) as err:
        region_move(actor=None, region=tree.community, parent=tree.other_street)
    assert err.value.field == "nbs_code"
    assert Region.objects.get(pk=tree.community.pk).parent_id == tree.street.pk


def test_only_a_regions_change_holder_may_move_a_node(tree, personas):
    from jishiyu.core.errors import NotFound, PermissionDenied
    from jishiyu.regions.services import region_move

    with pytest.raises(PermissionDenied):
        region_move(actor=personas["community_worker"], region=tree.community, parent=tree.other_street, nbs_code="")
    with pytest.raises(NotFound):
        region_move(actor=personas["outsider"], region=tree.community, parent=tree.other_street, nbs_code="")
    region_move(actor=personas["district_admin"], region=tree.community, parent=tree.other_street, nbs_code="")
    assert Region.objects.get(pk=tree.community.pk).parent_id == tree.other_street.pk
