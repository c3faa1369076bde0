from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from plan_registry.models import Area
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    call_command("plan_load", verbosity=0)


def test_the_plan_tree_is_public_and_complete(api_client: APIClient, loaded: None) -> None:
    body = api_client.get("/api/v1/plan/").json()
    assert body["code"] == "kumamoto-welfare-5"
    assert [p["code"] for p in body["policies"]] == ["I", "II", "III", "IV"]
    initiatives = [i for p in body["policies"] for v in p["viewpoints"] for i in v["initiatives"]]
    assert [i["number"] for i in initiatives] == list(range(1, 17))
    third = initiatives[2]
    assert "ボランティアマッチングの機能強化" in [programme["name"] for programme in third["programmes"]]


def test_the_previous_plan_by_code_and_an_unknown_one(api_client: APIClient, loaded: None) -> None:
    assert api_client.get("/api/v1/plan/?plan=kumamoto-welfare-4").json()["start_fiscal_year"] == 2020
    missing = api_client.get("/api/v1/plan/?plan=nope")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_indicators_list_filters_by_plan_and_source(api_client: APIClient, loaded: None) -> None:
    body = api_client.get("/api/v1/plan/indicators/?plan=kumamoto-welfare-5&source=feed").json()
    assert body["count"] == 15  # the system's own fifteen (I-2 and I-3, POP-01 are entered)
    assert [i["code"] for i in body["results"]][:2] == ["SYS-01", "SYS-02"]
    entered = api_client.get("/api/v1/plan/indicators/?plan=kumamoto-welfare-5&source=manual").json()
    training = next(i for i in entered["results"] if i["code"] == "KPI5-I-2")
    assert training["baseline_label"] == "令和5年度（2023年度）"
    assert training["target_label"] == "令和13年度（2031年度）"


def test_a_bad_filter_is_a_400(api_client: APIClient, loaded: None) -> None:
    response = api_client.get("/api/v1/plan/indicators/?source=guess")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "source"


def test_indicator_detail_has_its_values_by_year(api_client: APIClient, loaded: None) -> None:
    body = api_client.get("/api/v1/plan/indicators/KPI4-02/").json()
    assert body["label"] == "②"
    assert [(v["fiscal_year"], Decimal(v["value"])) for v in body["values"]] == [
        (2020, Decimal(7)),
        (2021, Decimal(11)),
        (2022, Decimal(15)),
        (2023, Decimal(90)),
    ]
    assert body["values"][0]["fiscal_year_label"] == "令和2年度（2020年度）"
    assert api_client.get("/api/v1/plan/indicators/KPI9-99/").status_code == 404


def test_areas_are_a_nested_tree_with_neighbours(
    api_client: APIClient, school_district: Area, other_school_district: Area
) -> None:
    school_district.neighbours.add(other_school_district)
    tree: list[dict[str, Any]] = api_client.get("/api/v1/areas/").json()
    assert [node["code"] for node in tree] == ["kumamoto"]
    wards = {ward["code"]: ward for ward in tree[0]["children"]}
    assert set(wards) == {"chuo", "kita"}
    district = wards["chuo"]["children"][0]["children"][0]
    assert (district["code"], district["kind"], district["neighbours"]) == (
        "chuo-01",
        "school_district",
        ["kita-01"],
    )


def test_the_database_keeps_the_city_as_the_only_root(city: Area) -> None:
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        AreaFactory(kind=Area.Kind.WARD, code="orphan", parent=None)
