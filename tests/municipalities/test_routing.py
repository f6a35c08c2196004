"""RoutingRule.route(): which department a report goes to (DOMAIN.md routing rules)."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from geoportal.municipalities.models import Category, Department, Municipality, RoutingRule

CENTRE = Point(37.1772, 48.2771, srid=4326)  # Pokrovsk centre, DOMAIN.md
FAR_EAST = Point(37.30, 48.28, srid=4326)  # inside the hromada, outside the district below


def district() -> MultiPolygon:
    """A ~3 km square around the centre: the area of a district's communal enterprise."""
    return MultiPolygon(Polygon.from_bbox((37.155, 48.262, 37.200, 48.292)), srid=4326)


@pytest.fixture
def waste(pokrovsk: Municipality) -> Category:
    return pokrovsk.categories.get(code="waste")


@pytest.fixture
def district_enterprise(pokrovsk: Municipality) -> Department:
    return Department.objects.create(
        municipality=pokrovsk, code="kp-centre", name_uk="КП «Центр»", name_en="Centre enterprise"
    )


def test_shipped_rules_route_by_category(pokrovsk):
    # Expected departments: DOMAIN.md, "Problem categories and default routing".
    expected = {
        "roads": "zhkg",
        "illegal-advertising": "arch",
        "illegal-maf": "arch",
        "land-misuse": "arch",
        "stray-animals": "eco",
        "accessibility": "uszn",
        "public-order": "police",
    }
    for code, department in expected.items():
        routed = RoutingRule.route(CENTRE, pokrovsk.categories.get(code=code))
        assert routed is not None and routed.code == department, code


def test_no_rule_means_no_department(pokrovsk):
    # "Інше / Other: (moderator decides)" has no rule.
    assert RoutingRule.route(CENTRE, pokrovsk.categories.get(code="other")) is None


def test_area_rule_beats_general_rule_inside_its_area(waste, district_enterprise):
    RoutingRule.objects.create(category=waste, department=district_enterprise, area=district())
    assert RoutingRule.route(CENTRE, waste) == district_enterprise


def test_general_rule_applies_outside_the_area(waste, district_enterprise, zhkg):
    RoutingRule.objects.create(category=waste, department=district_enterprise, area=district())
    assert RoutingRule.route(FAR_EAST, waste) == zhkg


def test_higher_priority_wins_over_area(waste, district_enterprise, zhkg):
    RoutingRule.objects.create(category=waste, department=district_enterprise, area=district())
    RoutingRule.objects.filter(category=waste, area__isnull=True).update(priority=10)
    assert RoutingRule.route(CENTRE, waste) == zhkg


def test_inactive_rule_is_ignored(waste, district_enterprise, zhkg):
    RoutingRule.objects.create(
        category=waste, department=district_enterprise, area=district(), is_active=False
    )
    assert RoutingRule.route(CENTRE, waste) == zhkg


def test_rule_of_inactive_department_is_ignored(waste, district_enterprise, zhkg):
    RoutingRule.objects.create(category=waste, department=district_enterprise, area=district())
    district_enterprise.is_active = False
    district_enterprise.save()
    assert RoutingRule.route(CENTRE, waste) == zhkg


def test_point_in_another_crs_is_transformed(waste, district_enterprise):
    RoutingRule.objects.create(category=waste, department=district_enterprise, area=district())
    in_ucs2000 = CENTRE.transform(6386, clone=True)  # UCS-2000 / Ukraine TM zone 12
    assert RoutingRule.route(in_ucs2000, waste) == district_enterprise


def test_department_of_another_municipality_is_refused(waste, pokrov):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    rule = RoutingRule(category=waste, department=pokrov.departments.get(code="zhkg"))
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            rule.full_clean()
        assert caught.value.message_dict == {
            "department": ["The department belongs to another municipality than the category."]
        }
