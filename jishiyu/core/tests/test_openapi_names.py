"""Each schema of the API has its own name. The OpenAPI document keys its components by class name, so two
classes both called RegionRefOut (one with ``kind``) became one component, and 11 endpoints answered with
bodies that broke their own published schema (found by schemathesis)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from ninja import Schema


def all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | all_subclasses(sub)
    return found


@pytest.mark.django_db
def test_no_two_api_schemas_share_a_name(client: Any) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200  # every router's schemas are imported
    by_name: dict[str, list[str]] = defaultdict(list)
    for cls in all_subclasses(Schema):
        if cls.__module__.startswith(("jishiyu.", "config.")):
            by_name[cls.__name__].append(cls.__module__)
    twice = {name: modules for name, modules in by_name.items() if len(modules) > 1}
    assert not twice, twice


@pytest.mark.django_db
def test_every_component_the_document_references_is_defined(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    text = str(document)
    components = set(document.get("components", {}).get("schemas", {}))
    import re

    referenced = set(re.findall(r"#/components/schemas/([A-Za-z0-9_]+)", text))
    assert referenced <= components, referenced - components
