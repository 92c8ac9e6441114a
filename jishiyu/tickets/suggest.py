"""The learned handler suggestion (智能派单建议), from the district's own past dispatch decisions.

Each signed-for ticket is a decision: its text, category and place → the handler who took it
("region:<id>" or "org:<id>"). Text is segmented with jieba; category and place become tokens of
their own ("c:12", "p:42"), so that the same words can point to different handlers in different
places. TF-IDF over those tokens, then a logistic regression (a linear model whose
probability is the confidence shown to the dispatcher, who decides).

Training (a huey periodic task) holds out the newest ``HOLDOUT`` share of the history, measures the
accuracy on it, then fits the model kept on the whole history. Each model is a ``SuggestionModel`` row
(its id is the version); the newest active one is loaded once per process and re-checked at most every
``RELOAD_SECONDS``. The pickle is written only by this module, from this database.
"""

from __future__ import annotations

import logging
import math
import pickle
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jieba
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jishiyu.tickets.models import Status, SuggestionModel, Ticket

jieba.setLogLevel(logging.WARNING)

HOLDOUT = 0.2
MIN_SAMPLES = 20
MIN_CLASS_SAMPLES = 2
RELOAD_SECONDS = 60.0
FORMAT = 1
# Statuses whose handler was a real decision: the ticket went past sign-for and was not merged away.
_DECIDED_EXCLUDE = (Status.MERGED, Status.RECALLED)

_tokenizer = jieba.Tokenizer()
_tokenizer.initialize()
_lock = threading.Lock()
_state: dict[str, Any] = {"model": None, "checked": 0.0}


def tokens(text: str, category_id: int | None = None, place_id: int | None = None) -> list[str]:
    """jieba words (no one-character punctuation) plus a category token and a place token."""
    words = [w for w in _tokenizer.lcut(text or "", HMM=False) if w.strip() and (len(w) > 1 or w.isalnum())]
    if category_id:
        words.append(f"c:{category_id}")
    if place_id:
        words.append(f"p:{place_id}")
    return words


def _identity(doc: list[str]) -> list[str]:
    """The documents are already token lists (a module-level function, so the pipeline pickles)."""
    return doc


@dataclass
class Sample:
    text: str
    category_id: int | None
    place_id: int | None
    label: str

    @property
    def doc(self) -> list[str]:
        return tokens(self.text, self.category_id, self.place_id)


@dataclass
class Trained:
    """A fitted pipeline with its labels and how it did on the held-out history."""

    pipeline: Any
    labels: list[str]
    samples: int
    accuracy: float | None
    holdout: int
    format: int = FORMAT
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class Suggestion:
    """A suggested handler with its confidence and the model version that made it."""

    label: str
    name: str
    confidence: float
    version: int | None
    alternatives: list[tuple[str, str, float]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        kind, _sep, pk = self.label.partition(":")
        return {
            "handler": self.label,
            "kind": kind,
            "id": int(pk) if pk.isdigit() else None,
            "name": self.name,
            "confidence": round(self.confidence, 3),
            "version": self.version,
            "alternatives": [{"handler": a, "name": n, "confidence": round(c, 3)} for a, n, c in self.alternatives],
        }


def _make_pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1)
    return make_pipeline(vectorizer, LogisticRegression(C=5.0, max_iter=300))


def fit(samples: Sequence[Sample], *, holdout: float = HOLDOUT, names: dict[str, str] | None = None) -> Trained:
    """Train on the samples (oldest first): accuracy on the newest share, then the model on all of them."""
    samples = _frequent(samples)
    labels = sorted({s.label for s in samples})
    if len(samples) < MIN_SAMPLES or len(labels) < 2:
        raise ValueError("Not enough dispatch history to learn from.")
    docs = [s.doc for s in samples]
    y = [s.label for s in samples]
    cut = int(len(samples) * (1 - holdout))
    accuracy: float | None = None
    held = len(samples) - cut
    if 0 < cut < len(samples) and len(set(y[:cut])) >= 2:
        probe = _make_pipeline().fit(docs[:cut], y[:cut])
        predicted = probe.predict(docs[cut:])
        accuracy = sum(int(p == t) for p, t in zip(predicted, y[cut:], strict=True)) / held
    else:
        held = 0
    pipeline = _make_pipeline().fit(docs, y)
    return Trained(pipeline, [str(c) for c in pipeline.classes_], len(samples), accuracy, held, names=names or {})


def _frequent(samples: Sequence[Sample]) -> list[Sample]:
    """Handlers seen fewer than ``MIN_CLASS_SAMPLES`` times teach nothing yet."""
    counts = Counter(s.label for s in samples)
    return [s for s in samples if counts[s.label] >= MIN_CLASS_SAMPLES]


def probabilities(trained: Trained, doc: list[str]) -> Any:
    """The model's probability of each handler for one ticket's tokens, as ``pipeline.predict_proba`` gives
    them, computed directly: the few tokens' TF-IDF weights (sublinear tf, idf, l2 norm) times the
    coefficients, then softmax. For one document sklearn's validation and sparse machinery cost a
    hundred times the arithmetic; a pipeline built otherwise goes through sklearn."""
    import numpy as np

    vectorizer, model = trained.pipeline[0], trained.pipeline[-1]
    if not (vectorizer.sublinear_tf and vectorizer.use_idf and vectorizer.norm == "l2"):
        return trained.pipeline.predict_proba([doc])[0]
    vocabulary, idf = vectorizer.vocabulary_, vectorizer.idf_
    counts = Counter(vocabulary[t] for t in doc if t in vocabulary)
    columns = list(counts)
    weights = np.array([(1.0 + math.log(counts[j])) * idf[j] for j in columns])
    norm = float(np.sqrt((weights**2).sum()))
    if norm:
        weights /= norm
    scores = model.coef_[:, columns] @ weights + model.intercept_ if columns else model.intercept_.copy()
    if scores.shape[0] == 1:  # two handlers: one logistic score
        p = 1.0 / (1.0 + math.exp(-float(scores[0])))
        return np.array([1.0 - p, p])
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()


def predict(trained: Trained, *, text: str, category_id: int | None, place_id: int | None, top: int = 3) -> Suggestion:
    """The most probable handler and the next ones."""
    probs = probabilities(trained, tokens(text, category_id, place_id))
    order = sorted(range(len(probs)), key=lambda i: -probs[i])[:top]
    classes = trained.pipeline.classes_
    ranked = [(str(classes[i]), trained.names.get(str(classes[i]), ""), float(probs[i])) for i in order]
    label, name, confidence = ranked[0]
    return Suggestion(label, name, confidence, None, ranked[1:])


# --- history, storage, loading ----------------------------------------------------------------


def handler_label(ticket: Ticket) -> str:
    if ticket.handler_org_id:
        return f"org:{ticket.handler_org_id}"
    return f"region:{ticket.handler_region_id}" if ticket.handler_region_id else ""


def history(*, limit: int | None = None) -> list[Sample]:
    """The district's dispatch decisions, oldest first: tickets signed for by the handler they went to."""
    limit = limit or int(getattr(settings, "TICKETS_SUGGEST_MAX_SAMPLES", 200_000))
    qs = (
        Ticket.objects.filter(signed_for_at__isnull=False)
        .filter(Q(handler_org__isnull=False) | Q(handler_region__isnull=False))
        .exclude(status__in=_DECIDED_EXCLUDE)
        .order_by("-signed_for_at")
        .values_list("content", "category_id", "region_id", "handler_org_id", "handler_region_id")[:limit]
    )
    rows = list(qs)
    rows.reverse()
    return [
        Sample(content, category, place, f"org:{org}" if org else f"region:{region}")
        for content, category, place, org, region in rows
    ]


def _names(labels: Iterable[str]) -> dict[str, str]:
    from jishiyu.organisations.models import Organisation
    from jishiyu.regions.models import Region

    ids: dict[str, list[int]] = {"org": [], "region": []}
    for label in labels:
        kind, _sep, pk = label.partition(":")
        if kind in ids and pk.isdigit():
            ids[kind].append(int(pk))
    names = {f"org:{pk}": name for pk, name in Organisation.objects.filter(pk__in=ids["org"]).values_list("pk", "name")}
    names.update(
        {f"region:{pk}": name for pk, name in Region.objects.filter(pk__in=ids["region"]).values_list("pk", "name")}
    )
    return names


def suggestion_model_train(*, limit: int | None = None) -> SuggestionModel | None:
    """训练派单建议模型 on the history and keep it as the new active version (None without enough history)."""
    samples = history(limit=limit)
    try:
        trained = fit(samples, names=_names({s.label for s in samples}))
    except ValueError:
        return None
    blob = pickle.dumps(trained, protocol=pickle.HIGHEST_PROTOCOL)
    with transaction.atomic():
        SuggestionModel.objects.filter(active=True).update(active=False)
        row = SuggestionModel.objects.create(
            trained_at=timezone.now(), samples=trained.samples, accuracy=trained.accuracy, blob=blob, active=True
        )
    keep = int(getattr(settings, "TICKETS_SUGGEST_KEEP_VERSIONS", 5))
    old = list(SuggestionModel.objects.order_by("-pk").values_list("pk", flat=True)[keep:])
    if old:
        SuggestionModel.objects.filter(pk__in=old).delete()
    _state["checked"] = 0.0
    return row


def current() -> tuple[int, Trained] | None:
    """The active model (version, fitted) of this process, refreshed when a newer one is active."""
    now = time.monotonic()
    loaded: tuple[int, Trained] | None = _state["model"]
    if loaded is not None and now - _state["checked"] < RELOAD_SECONDS:
        return loaded
    with _lock:
        _state["checked"] = now
        latest = SuggestionModel.objects.filter(active=True).order_by("-pk").values_list("pk", flat=True).first()
        if latest is None:
            _state["model"] = None
            return None
        if loaded is None or loaded[0] != latest:
            blob = SuggestionModel.objects.filter(pk=latest).values_list("blob", flat=True).first()
            trained = pickle.loads(bytes(blob)) if blob is not None else None  # noqa: S301 - our own model rows
            _state["model"] = (latest, trained) if isinstance(trained, Trained) else None
        return _state["model"]  # type: ignore[no-any-return]


def forget() -> None:
    """Drop the loaded model (tests, after deleting rows)."""
    _state["model"] = None
    _state["checked"] = 0.0


def suggest(*, text: str, category_id: int | None, place_id: int | None) -> Suggestion | None:
    """派单建议: the learned handler with its confidence, or None before the first model is trained."""
    loaded = current()
    if loaded is None:
        return None
    version, trained = loaded
    suggestion = predict(trained, text=text, category_id=category_id, place_id=place_id)
    suggestion.version = version
    return suggestion


def suggest_for_ticket(ticket: Ticket) -> Suggestion | None:
    return suggest(text=ticket.content, category_id=ticket.category_id, place_id=ticket.region_id)
