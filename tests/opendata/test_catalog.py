"""The open-data catalogue: every layer and the reports, with passports and downloads that
GDAL opens, as a page and as DCAT-style JSON."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pyogrio
import pytest
from django.test import Client

from tests.reports.conftest import file_report

SUFFIX = {"GeoJSON": ".geojson", "CSV": ".csv", "GeoPackage": ".gpkg"}


def test_the_catalogue_lists_every_layer_and_the_reports(client: Client, pokrovsk, pokrov):
    catalogue = client.get("/open-data/catalog.json").json()
    assert catalogue["@type"] == "dcat:Catalog"
    identifiers = [d["identifier"] for d in catalogue["dataset"]]
    for slug in ("pokrov", "pokrovsk"):
        for layer in ("maf", "advertising", "land", "zoning", "reports"):
            assert f"{slug}-{layer}" in identifiers
    land = next(d for d in catalogue["dataset"] if d["identifier"] == "pokrovsk-land")
    assert land["accrualPeriodicity"] == "R/P1M"  # monthly (DOMAIN.md, update regulations)
    assert land["license"] == "https://creativecommons.org/licenses/by/4.0/"
    formats = [d["format"] for d in land["distribution"]]
    assert formats == ["GeoJSON", "CSV", "GeoPackage", "OGC API - Features"]
    page = client.get("/en/open-data/").content.decode()
    assert "catalog.json" in page and page.count('class="dataset"') == len(identifiers)


@pytest.mark.django_db(transaction=True)
def test_every_listed_download_opens_in_gdal(
    live_server, settings, tmp_path: Path, pokrovsk, moderator, kiosk, trade_plot
):
    settings.SITE_URL = live_server.url
    report = file_report(reporter_email="catalogue.private@example.org")
    report.approve(moderator)
    catalogue = Client().get("/open-data/catalog.json").json()
    opened = 0
    for dataset in catalogue["dataset"]:
        for distribution in dataset["distribution"]:
            if "downloadURL" not in distribution:
                continue
            target = tmp_path / f"{dataset['identifier']}{SUFFIX[distribution['format']]}"
            with urllib.request.urlopen(distribution["downloadURL"], timeout=60) as answer:  # noqa: S310 (the live test server)
                target.write_bytes(answer.read())
            info = pyogrio.read_info(target)
            assert info["features"] >= 0, target
            if dataset["identifier"] == "pokrovsk-maf":
                assert info["features"] == 1
            if dataset["identifier"] == "pokrovsk-reports":
                frame = pyogrio.read_dataframe(target)
                assert list(frame["id"].astype(int)) == [report.pk]
                assert "catalogue.private" not in target.read_bytes().decode("utf-8", "replace")
            opened += 1
    assert opened == 3 * len(catalogue["dataset"])  # GeoJSON, CSV and GeoPackage of each
