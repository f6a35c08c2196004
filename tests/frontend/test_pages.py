"""Public pages, in Ukrainian by default and in English under /en/."""

from django.urls import reverse
from django.utils import translation


def test_front_page_shows_the_default_municipality_in_ukrainian(client, pokrovsk, pokrov):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="uk">' in html
    assert "Покровськ" in html and "Донецька область" in html
    assert 'data-boundary-url="/api/v1/municipalities/pokrovsk/"' in html
    assert "Відкрите Місто" in html


def test_english_page_under_en_prefix(client, pokrov):
    with translation.override("en"):
        url = reverse("frontend:map-detail", kwargs={"slug": "pokrov"})
    assert url == "/en/m/pokrov/"
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert "Pokrov" in html and "Dnipropetrovsk oblast" in html
    assert "Open City" in html


def test_unknown_municipality_is_404(client, pokrovsk):
    assert client.get("/m/atlantis/").status_code == 404


def test_leaflet_is_served_locally_never_from_a_cdn(client, pokrovsk):
    html = client.get("/").content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert "/static/vendor/locatecontrol/L.Control.Locate.min.js" in html
    for cdn in ("unpkg.com", "cdnjs", "jsdelivr"):
        assert cdn not in html


def test_admin_edits_the_boundary_on_a_leaflet_map(client, admin_user, pokrovsk):
    client.force_login(admin_user)
    response = client.get(f"/admin/municipalities/municipality/{pokrovsk.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "leaflet" in html.lower()
    assert "id_boundary" in html


def test_admin_lists_departments_to_coordinators(client, coordinator, pokrovsk):
    client.force_login(coordinator)
    response = client.get("/admin/municipalities/department/")
    assert response.status_code == 200
    assert "Житлово-комунальний відділ" in response.content.decode()


def test_investor_page_works_without_javascript(client, pokrovsk):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from layers.models import LandPlot

    def plot(number: int, ownership: str, status: str) -> None:
        LandPlot.objects.create(
            municipality=pokrovsk,
            geometry=MultiPolygon(
                Polygon.from_bbox((37.17 + number * 0.002, 48.27, 37.171 + number * 0.002, 48.271)),
                srid=4326,
            ),
            cadastral_number=f"1412600000:01:001:{number:04d}",
            ownership=ownership,
            investor_status=status,
        )

    plot(1, "200", "free")
    plot(2, "200", "auction")
    plot(3, "200", "leased")
    plot(4, "100", "free")
    html = client.get("/investors/").content.decode()
    assert "1412600000:01:001:0001" in html and "1412600000:01:001:0002" in html
    assert "1412600000:01:001:0003" not in html and "1412600000:01:001:0004" not in html
    assert "/api/v1/layers/land/export.geojson?municipality=pokrovsk" in html
