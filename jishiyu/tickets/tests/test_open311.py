"""Open311 GeoReport v2 conformance: the whole spec walked in JSON and in XML."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from jishiyu.tickets import hotline
from jishiyu.tickets.models import Status, Ticket
from jishiyu.tickets.tests.hotline_fixtures import category, hotline_source, open311_source, push_payload

__all__ = ["category", "hotline_source", "open311_source"]

BASE = "/open311/v2"
FORMATS = ["json", "xml"]


def parse(fmt: str, response: Any) -> Any:
    """The body as plain Python: XML lists become lists of dicts (by the spec's element names)."""
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    return _element(root)


LISTS = {"services", "service_requests", "errors", "attributes", "values", "endpoints", "formats"}


def _element(el: ET.Element) -> Any:
    children = list(el)
    if el.tag in LISTS:
        return [_element(c) for c in children]
    if not children:
        return el.text or ""
    return {c.tag: _element(c) for c in children}


def errors_of(fmt: str, response: Any) -> list[dict[str, Any]]:
    body = parse(fmt, response)
    assert isinstance(body, list) and body, body
    for error in body:
        assert set(error) == {"code", "description"}
        assert str(error["code"]) == str(response.status_code)
        assert error["description"]
    return body


def post(client: Any, fmt: str, data: dict[str, str]) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data)  # form-encoded, as the spec says


@pytest.fixture
def form(open311_source: Any, category: Any) -> dict[str, str]:
    return {
        "api_key": open311_source.key,
        "service_code": category.code,
        "lat": "31.99",
        "long": "118.78",
        "address_string": "雨花街道翠竹园小区3栋",
        "description": "路灯坏了，晚上很黑，联系我13912345678",
        "first_name": "明",
        "last_name": "李",
        "phone": "13912345678",
        "attribute[kind]": "help",
        "attribute[urgency]": "urgent",
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_open311_walks_the_whole_spec(client: Any, fmt: str, form: dict[str, str], category: Any) -> None:
    # discovery
    discovery = parse(fmt, client.get(f"{BASE}/discovery.{fmt}"))
    endpoint = discovery["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}

    # service list
    services = parse(fmt, client.get(f"{BASE}/services.{fmt}"))
    service = next(s for s in services if s["service_code"] == category.code)
    assert service["service_name"] == "电梯故障（测试）"
    assert str(service["metadata"]) in ("True", "true")
    assert service["type"] == "realtime"
    assert {"keywords", "group", "description"} <= set(service)

    # service definition with attributes
    definition = parse(fmt, client.get(f"{BASE}/services/{category.code}.{fmt}"))
    assert definition["service_code"] == category.code
    codes = {a["code"] for a in definition["attributes"]}
    assert codes == {"kind", "urgency", "anonymous", "confidential"}
    kind = next(a for a in definition["attributes"] if a["code"] == "kind")
    assert kind["datatype"] == "singlevaluelist"
    assert {"key", "name"} == set(kind["values"][0])
    assert {"variable", "required", "datatype_description", "order", "description"} <= set(kind)

    # POST a request: the id comes back as a string
    created = client.post(f"{BASE}/requests.{fmt}", form)
    assert created.status_code == 201, created.content
    answer = parse(fmt, created)[0]
    request_id = answer["service_request_id"]
    assert isinstance(request_id, str) and request_id.isdigit()
    assert "token" not in answer
    ticket = Ticket.objects.get(pk=int(request_id))
    assert (ticket.channel, ticket.kind, ticket.urgency, ticket.caller_name) == ("open311", "help", "urgent", "李 明")

    # GET one request
    one = parse(fmt, client.get(f"{BASE}/requests/{request_id}.{fmt}"))
    assert len(one) == 1
    item = one[0]
    assert item["service_request_id"] == request_id
    assert item["status"] == "open"
    assert item["status_notes"]
    assert item["service_code"] == category.code
    assert "13912345678" not in json.dumps(item, ensure_ascii=False)
    for field in (
        "service_name",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ):
        assert field in item
    assert not {"first_name", "last_name", "phone", "email", "caller_name"} & set(item)

    # GET requests with the spec's filters
    listed = parse(fmt, client.get(f"{BASE}/requests.{fmt}", {"service_code": category.code, "status": "open"}))
    assert [r["service_request_id"] for r in listed] == [request_id]
    assert parse(fmt, client.get(f"{BASE}/requests.{fmt}", {"status": "closed"})) == []
    by_id = parse(fmt, client.get(f"{BASE}/requests.{fmt}", {"service_request_id": f"{request_id},999999"}))
    assert [r["service_request_id"] for r in by_id] == [request_id]

    # a token, through the extension, resolves to its request
    tokened = parse(fmt, client.post(f"{BASE}/requests.{fmt}", {**form, "respond_with": "token"}))[0]
    assert "service_request_id" not in tokened
    resolved = parse(fmt, client.get(f"{BASE}/tokens/{tokened['token']}.{fmt}"))[0]
    assert resolved["token"] == tokened["token"]
    assert resolved["service_request_id"].isdigit()

    # errors: the spec's list of {code, description}
    assert errors_of(fmt, client.get(f"{BASE}/services/NOPE.{fmt}"))[0]["code"] in (404, "404")
    assert client.get(f"{BASE}/requests/999999.{fmt}").status_code == 404
    assert client.get(f"{BASE}/tokens/forged.{fmt}").status_code == 404
    assert post(client, fmt, {**form, "api_key": "wrong"}).status_code == 403
    missing = post(client, fmt, {k: v for k, v in form.items() if k not in ("service_code", "description")})
    assert missing.status_code == 400
    assert len(errors_of(fmt, missing)) == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_closed_ticket_reads_closed_with_its_step_in_the_notes(client: Any, fmt: str, form: dict[str, str]) -> None:
    request_id = parse(fmt, post(client, fmt, form))[0]["service_request_id"]
    Ticket.objects.filter(pk=int(request_id)).update(status=Status.CLOSED)
    item = parse(fmt, client.get(f"{BASE}/requests/{request_id}.{fmt}"))[0]
    assert item["status"] == "closed"
    assert item["status_notes"] == str(Status.CLOSED.label)


def test_get_leaves_out_confidential_tickets_and_reports(client: Any, form: dict[str, str]) -> None:
    public = parse("json", post(client, "json", form))[0]["service_request_id"]
    secret = parse("json", post(client, "json", {**form, "attribute[confidential]": "true"}))[0]["service_request_id"]
    report = parse("json", post(client, "json", {**form, "attribute[kind]": "report"}))[0]["service_request_id"]
    listed = [r["service_request_id"] for r in parse("json", client.get(f"{BASE}/requests.json"))]
    assert listed == [public]
    assert client.get(f"{BASE}/requests/{secret}.json").status_code == 404
    assert client.get(f"{BASE}/requests/{report}.json").status_code == 404


def test_get_shows_tickets_of_every_channel_but_never_the_caller(
    client: Any, hotline_source: Any, category: Any
) -> None:
    intake = hotline.Intake(**{k: v for k, v in push_payload().items() if k in ("external_id", "content", "kind")})
    intake.caller_name, intake.caller_phone = "王先生", "13912345678"
    hotline.ticket_receive(source=hotline_source.source, intake=intake)
    body = client.get(f"{BASE}/requests.json").content.decode()
    assert "王先生" not in body and "13912345678" not in body and "5678" not in body


def test_the_default_window_is_the_last_90_days(client: Any, form: dict[str, str]) -> None:
    old = parse("json", post(client, "json", form))[0]["service_request_id"]
    new = parse("json", post(client, "json", form))[0]["service_request_id"]
    Ticket.objects.filter(pk=int(old)).update(received_at=timezone.now() - timedelta(days=100))
    assert [r["service_request_id"] for r in parse("json", client.get(f"{BASE}/requests.json"))] == [new]
    window = {"start_date": (timezone.now() - timedelta(days=120)).isoformat(), "end_date": timezone.now().isoformat()}
    assert client.get(f"{BASE}/requests.json", window).status_code == 400  # over 90 days


def test_start_and_end_date_select_by_time_received(client: Any, form: dict[str, str]) -> None:
    old = parse("json", post(client, "json", form))[0]["service_request_id"]
    parse("json", post(client, "json", form))
    Ticket.objects.filter(pk=int(old)).update(received_at=timezone.now() - timedelta(days=100))
    start = (timezone.now() - timedelta(days=110)).isoformat()
    end = (timezone.now() - timedelta(days=95)).isoformat()
    listed = parse("json", client.get(f"{BASE}/requests.json", {"start_date": start, "end_date": end}))
    assert [r["service_request_id"] for r in listed] == [old]


def test_updated_after_and_before_select_by_last_change(client: Any, form: dict[str, str]) -> None:
    first = parse("json", post(client, "json", form))[0]["service_request_id"]
    second = parse("json", post(client, "json", form))[0]["service_request_id"]
    Ticket.objects.filter(pk=int(first)).update(updated_at=timezone.now() - timedelta(days=3))
    cut = (timezone.now() - timedelta(days=1)).isoformat()
    after = parse("json", client.get(f"{BASE}/requests.json", {"updated_after": cut}))
    before = parse("json", client.get(f"{BASE}/requests.json", {"updated_before": cut}))
    assert [r["service_request_id"] for r in after] == [second]
    assert [r["service_request_id"] for r in before] == [first]


def test_page_and_page_size_walk_the_list(client: Any, form: dict[str, str]) -> None:
    ids = [parse("json", post(client, "json", form))[0]["service_request_id"] for _ in range(3)]
    page1 = parse("json", client.get(f"{BASE}/requests.json", {"page_size": 2}))
    page2 = parse("json", client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 2}))
    assert len(page1) == 2 and len(page2) == 1
    assert {r["service_request_id"] for r in page1 + page2} == set(ids)
    assert client.get(f"{BASE}/requests.json", {"page_size": 5000}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [{"status": "pending"}, {"start_date": "last week"}, {"page": "zero"}, {"updated_after": "soon"}],
)
def test_bad_filters_answer_400_in_the_spec_format(client: Any, params: dict[str, str]) -> None:
    response = client.get(f"{BASE}/requests.xml", params)
    assert response.status_code == 400
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root[0].tag == "error" and root[0].find("code").text == "400"  # type: ignore[union-attr]


def test_a_post_without_a_location_names_it(client: Any, form: dict[str, str]) -> None:
    data = {k: v for k, v in form.items() if k not in ("lat", "long", "address_string")}
    response = post(client, "json", data)
    assert response.status_code == 400
    assert "lat" in errors_of("json", response)[0]["description"]
    assert Ticket.objects.count() == 0


def test_a_post_with_an_unknown_attribute_value_is_refused(client: Any, form: dict[str, str]) -> None:
    response = post(client, "json", {**form, "attribute[urgency]": "yesterday"})
    assert response.status_code == 400
    assert "urgency" in errors_of("json", response)[0]["description"]


def test_a_post_over_4000_characters_is_refused(client: Any, form: dict[str, str]) -> None:
    assert post(client, "json", {**form, "description": "长" * 4001}).status_code == 400


def test_a_get_on_post_only_behaviour_is_refused_by_method(client: Any) -> None:
    response = client.delete(f"{BASE}/requests.json")
    assert response.status_code == 405


def test_a_post_without_an_api_key_names_api_key_not_the_12345_header(client: Any, form: dict[str, str]) -> None:
    response = post(client, "json", {k: v for k, v in form.items() if k != "api_key"})
    descriptions = " ".join(e["description"] for e in errors_of("json", response))
    assert "api_key" in descriptions
    assert "X-Source-Key" not in descriptions


@pytest.mark.parametrize(("field", "value", "named"), [("lat", "95", "lat"), ("long", "200", "long")])
def test_a_coordinate_out_of_range_is_named_by_its_own_field(
    client: Any, form: dict[str, str], field: str, value: str, named: str
) -> None:
    response = post(client, "json", {**form, field: value})
    assert response.status_code == 400
    descriptions = [e["description"] for e in errors_of("json", response)]
    assert len(descriptions) == 1
    assert descriptions[0].startswith(f"{named}: ")


def test_an_english_client_is_given_the_english_service_names(client: Any, category: Any) -> None:
    category.name_en = "Lift breakdown (test)"
    category.save(update_fields=["name_en"])
    chinese = json.loads(client.get(f"{BASE}/services.json").content)
    english = json.loads(client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en").content)
    name = {s["service_code"]: s["service_name"] for s in chinese}
    name_en = {s["service_code"]: s["service_name"] for s in english}
    assert (name[category.code], name_en[category.code]) == ("电梯故障（测试）", "Lift breakdown (test)")
