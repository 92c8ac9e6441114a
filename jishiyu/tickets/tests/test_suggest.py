"""The learned handler suggestion: trained on a small synthetic history, it predicts the obvious cases."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from jishiyu.organisations.models import Organisation
from jishiyu.tickets import suggest
from jishiyu.tickets.models import Status, SuggestionModel
from jishiyu.tickets.tests.routing_factories import ticket

pytestmark = pytest.mark.django_db

LAMPS = ["路灯不亮了", "晚上路灯坏了很黑", "楼下路灯一直闪", "路灯杆倒了"]
RUBBISH = ["垃圾桶满了没人清运", "小区垃圾堆放发臭", "垃圾清运不及时", "楼道里堆满垃圾"]
NOISE = ["夜间施工噪音扰民", "工地晚上施工太吵", "施工噪音影响休息", "凌晨还在施工打桩"]


@pytest.fixture(autouse=True)
def _fresh_model():
    suggest.forget()
    yield
    suggest.forget()


@pytest.fixture
def history(tree):
    """Lamps go to the grid, rubbish to the community, night-time building noise to a department."""
    dept = Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, name="城管局", region=tree.district)
    rng = random.Random(3)
    start = timezone.now() - timedelta(days=100)
    for i in range(90):
        texts, handler = rng.choice(
            [
                (LAMPS, {"handler_region": tree.grid}),
                (RUBBISH, {"handler_region": tree.community}),
                (NOISE, {"handler_org": dept}),
            ]
        )
        at = start + timedelta(hours=i)
        ticket(tree.grid, content=rng.choice(texts), status=Status.CLOSED, received_at=at, signed_for_at=at, **handler)
    return dept


def test_without_a_trained_model_there_is_no_suggestion(tree) -> None:
    assert suggest.suggest(text="路灯不亮", category_id=None, place_id=tree.grid.pk) is None


def test_too_little_history_trains_no_model(tree) -> None:
    ticket(tree.grid, content="路灯不亮", signed_for_at=timezone.now(), handler_region=tree.grid)
    assert suggest.suggestion_model_train() is None
    assert SuggestionModel.objects.count() == 0


def test_a_model_trained_on_the_history_predicts_the_obvious_cases(tree, history) -> None:
    suggest.suggestion_model_train()
    lamp = suggest.suggest(text="我家楼下的路灯坏了", category_id=None, place_id=tree.grid.pk)
    noise = suggest.suggest(text="隔壁工地夜间施工噪音", category_id=None, place_id=tree.grid.pk)
    assert lamp is not None and lamp.label == f"region:{tree.grid.pk}" and lamp.name == tree.grid.name
    assert noise is not None and noise.label == f"org:{history.pk}" and noise.name == "城管局"


def test_the_suggestion_carries_its_confidence_and_model_version(tree, history) -> None:
    row = suggest.suggestion_model_train()
    result = suggest.suggest(text="垃圾没人清运", category_id=None, place_id=tree.grid.pk)
    assert row is not None and result is not None
    assert result.version == row.pk
    assert 0.5 < result.confidence <= 1.0
    assert result.as_json()["alternatives"][0]["confidence"] < result.confidence


def test_training_reports_the_accuracy_on_the_held_out_newest_history(tree, history) -> None:
    row = suggest.suggestion_model_train()
    assert row is not None and row.samples == 90
    assert row.accuracy is not None and row.accuracy >= 0.9


def test_a_new_training_becomes_the_active_version(tree, history) -> None:
    first = suggest.suggestion_model_train()
    second = suggest.suggestion_model_train()
    assert first is not None and second is not None
    assert list(SuggestionModel.objects.filter(active=True).values_list("pk", flat=True)) == [second.pk]
    assert suggest.current() is not None and suggest.current()[0] == second.pk  # type: ignore[index]


def test_merged_tickets_are_not_learned_from(tree, history) -> None:
    ticket(tree.grid, content="路灯", status=Status.MERGED, signed_for_at=timezone.now(), handler_region=tree.street)
    labels = {s.label for s in suggest.history()}
    assert f"region:{tree.street.pk}" not in labels


def test_the_periodic_task_trains_a_model(tree, history) -> None:
    from jishiyu.tickets.tasks_routing import suggestion_model_retrain

    suggestion_model_retrain.call_local()
    assert SuggestionModel.objects.filter(active=True).count() == 1


@pytest.mark.parametrize("handlers", [2, 5])
def test_the_direct_computation_gives_the_pipelines_own_probabilities(handlers) -> None:
    rng = random.Random(3)
    topics = ["路灯 不亮 晚上", "垃圾 清运 发臭", "施工 噪音 夜间", "停车 占道 堵塞", "漏水 水管 楼道"][:handlers]
    samples = [
        suggest.Sample(rng.choice(topics[i].split()) + rng.choice(topics[i].split()), i, 100 + i, f"region:{i}")
        for i in range(handlers)
        for _ in range(12)
    ]
    trained = suggest.fit(samples, holdout=0.0)
    for text in ("小区路灯不亮", "垃圾没人清运发臭", "和什么都无关", ""):
        doc = suggest.tokens(text, 1, 101)
        direct = suggest.probabilities(trained, doc)
        assert list(map(float, direct)) == pytest.approx(list(trained.pipeline.predict_proba([doc])[0]))
