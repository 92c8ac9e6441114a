"""Lists of people read in pinyin order (安 before 北 before 张), not in code-point order (北 before 安)."""

from __future__ import annotations

from django.apps import apps

from jishiyu.core.pinyin import fill_pinyin, pinyin_key
from jishiyu.people.models import Person
from jishiyu.people.services import person_update
from jishiyu.people.tests.factories import make_person

NAMES = ["张伟", "北辰", "安宁"]  # code points: 北 < 安 < 张; pinyin: an < bei < zhang


def test_the_key_orders_an_before_bei_before_zhang():
    assert sorted(["张", "北", "安"], key=pinyin_key) == ["安", "北", "张"]
    assert pinyin_key("李明") < pinyin_key("林")  # syllable by syllable: "li ming" before "lin"


def test_a_saved_person_carries_the_key_and_a_rename_updates_it(tree, personas):
    person = make_person("张伟", tree.grid, seq=1)
    assert Person.objects.get(pk=person.pk).name_pinyin == "zhang1 wei3"
    person_update(actor=personas["district_admin"], person=person, name="安宁")
    assert Person.objects.get(pk=person.pk).name_pinyin == "an1 ning2"


def test_the_people_api_lists_in_pinyin_order(client, tree, personas):
    for seq, name in enumerate(NAMES, start=1):
        make_person(name, tree.grid, seq=seq)
    client.force_login(personas["community_worker"])
    names = [i["name"] for i in client.get("/api/v1/people").json()["items"]]
    assert names == ["安宁", "北辰", "张伟"]


def test_the_people_page_lists_in_pinyin_order(client, tree, personas):
    for seq, name in enumerate(NAMES, start=1):
        make_person(name, tree.grid, seq=seq)
    client.force_login(personas["community_worker"])
    html = client.get("/people/").content.decode()
    assert html.index("安宁") < html.index("北辰") < html.index("张伟")


def test_the_data_migration_fills_the_key_of_rows_written_before_it(tree):
    for seq, name in enumerate(NAMES, start=1):
        make_person(name, tree.grid, seq=seq)
    Person.objects.update(name_pinyin="")  # as the rows stood before the column existed
    fill_pinyin("people", "Person")(apps, None)
    assert list(Person.objects.order_by("name_pinyin").values_list("name", flat=True)) == ["安宁", "北辰", "张伟"]
