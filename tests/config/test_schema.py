"""The OpenAPI document is the app team's contract."""

from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client: APIClient) -> dict[str, Any]:
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_documented_endpoint_is_there(schema: dict[str, Any]) -> None:
    assert {
        "/api/v1/me/",
        "/api/v1/areas/",
        "/api/v1/skills/",
        "/api/v1/categories/",
        "/api/v1/plan/",
        "/api/v1/plan/indicators/",
        "/api/v1/plan/indicators/{code}/",
        "/api/v1/organisations/",
        "/api/v1/staff/organisations/{organisation_id}/approve/",
        "/api/v1/offers/",
        "/api/v1/offers/{offer_id}/",
        "/api/v1/needs/",
        "/api/v1/needs/{need_id}/",
        "/api/v1/matches/",
        "/api/v1/matches/{match_id}/accept/",
        "/api/v1/matches/{match_id}/decline/",
        "/api/v1/staff/matches/",
        "/api/v1/staff/matches/{match_id}/confirm/",
        "/api/v1/staff/matches/{match_id}/reject/",
        "/api/v1/notifications/",
        "/api/v1/notifications/read/",
        "/api/v1/devices/",
        "/api/v1/devices/{device_id}/",
    } <= set(schema["paths"])


def test_errors_share_one_documented_shape(schema: dict[str, Any]) -> None:
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "message", "errors"}
    me_patch = schema["paths"]["/api/v1/me/"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "415", "429", "503"} <= set(me_patch)
    for status_code, response in me_patch.items():
        if status_code >= "400":
            error, _ = response["content"]["application/json"]["schema"]["allOf"]
            assert error == {"$ref": "#/components/schemas/Error"}, status_code


def _codes(response: dict[str, Any]) -> list[str]:
    _, narrowed = response["content"]["application/json"]["schema"]["allOf"]
    return list(narrowed["properties"]["code"]["enum"])


def test_each_operation_lists_the_codes_it_can_answer_under_each_status(schema: dict[str, Any]) -> None:
    accept = schema["paths"]["/api/v1/matches/{match_id}/accept/"]["post"]["responses"]
    assert _codes(accept["409"]) == ["idempotency_key_reused", "match_already_decided", "use_suspended"]
    assert _codes(accept["403"]) == ["consent_required", "permission_denied"]
    assert "- `match_already_decided`: " in accept["409"]["description"]
    # The public plan asks no session; a stale token sent anyway is refused with 401.
    plan = schema["paths"]["/api/v1/plan/"]["get"]["responses"]
    assert _codes(plan["401"]) == ["invalid_session"]
    assert _codes(plan["404"]) == ["not_found"]
    assert "403" not in plan
    redeem = schema["paths"]["/api/v1/points/redemptions/"]["post"]
    assert "idempotency_key_required" in _codes(redeem["responses"]["400"])
    assert "Idempotent-Replayed" in redeem["responses"]["201"]["headers"]
    assert redeem["responses"]["503"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
    pdf = schema["paths"]["/api/v1/certificates/{certificate_id}/pdf/"]["get"]["responses"]
    assert _codes(pdf["406"]) == ["not_acceptable"]
    assert _codes(pdf["503"]) == ["certificate_font_missing", "database_busy", "overloaded"]
    verify = schema["paths"]["/api/v1/certificates/verify/"]["post"]["responses"]
    assert "401" not in verify  # no authentication at all: a token is not even read


def test_the_session_token_is_the_security_scheme(schema: dict[str, Any]) -> None:
    scheme = schema["components"]["securitySchemes"]["sessionToken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-Session-Token")


def test_docs_page_loads_its_assets_from_this_server(api_client: APIClient) -> None:
    page = api_client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert (
        api_client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code
        == 200
    )


def test_allauths_own_spec_is_served_beside_it(api_client: APIClient) -> None:
    response = api_client.get("/_allauth/openapi.json")
    assert response.status_code == 200
    assert "/_allauth/app/v1/auth/signup" in response.json()["paths"]


def test_the_home_page_links_both_specs(api_client: APIClient) -> None:
    page = api_client.get("/").content.decode()
    assert "/api/docs/" in page
    assert "/_allauth/openapi.json" in page


def test_every_input_list_documents_its_maximum_and_ids_stay_integers(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    unbounded = [
        f"{name}.{field}"
        for name, component in components.items()
        if name.endswith("Request")
        for field, spec in component.get("properties", {}).items()
        if spec.get("type") == "array" and "maxItems" not in spec
    ]
    assert unbounded == []
    assert components["OfferInputRequest"]["properties"]["categories"]["maxItems"] == 50
    (offer_id,) = schema["paths"]["/api/v1/offers/{offer_id}/"]["get"]["parameters"]
    assert offer_id["schema"] == {"type": "integer", "format": "int64", "minimum": 0, "maximum": 2**63 - 1}


def _resolved(schema: dict[str, Any], node: Any, seen: frozenset[str] = frozenset()) -> Any:
    """The node with every $ref replaced by its component; a component met again inside itself (an
    area's children are areas) stays a reference, which is a type."""
    if isinstance(node, list):
        return [_resolved(schema, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return {"type": "object", "$recursive": name}
        return _resolved(schema, schema["components"]["schemas"][name], seen | {name})
    return {key: _resolved(schema, value, seen) for key, value in node.items()}


def _untyped(node: Any, path: str = "") -> list[str]:
    """Where a schema admits any value: no type, no enum, no composition (or a free map/list)."""
    if isinstance(node, list):
        return [where for index, item in enumerate(node) for where in _untyped(item, f"{path}[{index}]")]
    if not isinstance(node, dict):
        return []
    typed = {"type", "enum", "allOf", "oneOf", "anyOf"} & set(node)
    loose = [key for key in ("items", "additionalProperties") if node.get(key) in ({}, True)]
    here = ([path or "."] if not typed else []) + [f"{path}.{key}" for key in loose]
    nested = [
        where
        for key in ("properties",)
        for name, value in node.get(key, {}).items()
        for where in _untyped(value, f"{path}.{name}")
    ]
    nested += [
        where
        for key in ("items", "additionalProperties", "allOf", "oneOf", "anyOf")
        if isinstance(node.get(key), dict | list) and node.get(key) != {}
        for where in _untyped(node[key], f"{path}.{key}")
    ]
    return here + nested


TYPED_FIELDS = [
    ("Me", "languages"),
    ("Me", "weekly_availability"),
    ("Offer", "weekly_availability"),
    ("Offer", "specific_dates"),
    ("Need", "required_languages"),
    ("IndicatorValue", "provenance"),
    ("ManualValue", "provenance"),
    ("ReportValue", "provenance"),
    ("ReportProxy", "provenance"),
    ("StaffMatch", "reasons"),
    ("StaffMatch", "need"),
    ("StaffMatch", "volunteer"),
    ("MatchNeed", "category"),
    ("MatchNeed", "school_district"),
    ("Event", "organisation"),
    ("Event", "programme"),
    ("Programme", "lead"),
    ("Programme", "features"),
    ("Certificate", "activities"),
    ("Entry", "event"),
    ("Entry", "kind"),
    ("Participant", "person"),
    ("AreaNode", "children"),
]


def test_the_fields_the_app_reads_have_precise_types(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    untyped = {
        f"{component}.{field}": _untyped(_resolved(schema, components[component]["properties"][field]))
        for component, field in TYPED_FIELDS
    }
    assert {name: where for name, where in untyped.items() if where} == {}


class _AnyInteger:
    """Equal to any integer schema (its bounds and description aside)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, dict) and other.get("type") == "integer"

    def __repr__(self) -> str:
        return "{'type': 'integer', …}"


ANY_INTEGER = _AnyInteger()


def test_the_notifications_data_is_typed_by_kind(schema: dict[str, Any]) -> None:
    notification = schema["components"]["schemas"]["Notification"]
    assert notification["discriminator"]["propertyName"] == "kind"
    assert set(notification["discriminator"]["mapping"]) == {
        "match_proposed",
        "match_confirmed",
        "match_scheduled",
        "match_declined",
        "match_withdrawn",
        "event_place_offered",
        "points_awarded",
    }
    assert _untyped(_resolved(schema, notification)) == []
    data = {
        kind: _resolved(schema, {"$ref": ref})["properties"]["data"]
        for kind, ref in notification["discriminator"]["mapping"].items()
    }
    match = (["match_id", "need_id"], {"match_id": ANY_INTEGER, "need_id": ANY_INTEGER})
    assert {kind: (sorted(d["required"]), d["properties"]) for kind, d in data.items()} == {
        "match_proposed": match,
        "match_confirmed": match,
        "match_scheduled": match,
        "match_declined": match,
        "match_withdrawn": match,
        "event_place_offered": (["event"], {"event": ANY_INTEGER}),
        "points_awarded": (["participation"], {"participation": ANY_INTEGER}),
    }
    for kind, ref in notification["discriminator"]["mapping"].items():
        assert kind in _resolved(schema, {"$ref": ref})["properties"]["kind"]["enum"]


def test_both_views_of_a_match_name_the_category_and_district_alike(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    code_name = {"$ref": "#/components/schemas/CodeName"}
    assert set(components["CodeName"]["required"]) == {"code", "name", "name_en"}
    resident, staff = components["MatchNeed"]["properties"], components["StaffMatchNeed"]["properties"]
    for field in ("category", "school_district"):
        assert code_name in [resident[field], *resident[field].get("allOf", [])]
        assert code_name in [staff[field], *staff[field].get("allOf", [])]
    assert components["StaffMatchVolunteer"]["properties"]["school_district"]["allOf"] == [code_name]


def test_the_public_provenance_leaves_out_the_counts(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    public = _resolved(schema, components["IndicatorValue"]["properties"]["provenance"])
    staff = _resolved(schema, components["ReportValue"]["properties"]["provenance"])
    (public,) = public["allOf"]
    assert set(staff["properties"]) - set(public["properties"]) == {"rows_counted"}
    assert staff["properties"]["rows_counted"]["type"] == "integer"
    assert staff["properties"]["computed_at"] == {
        "type": "string",
        "format": "date-time",
        "description": "Source feed: when it was counted.",
    }
