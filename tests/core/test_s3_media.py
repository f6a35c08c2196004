"""Photos on S3-compatible storage through django-storages, against a real S3 API server
on loopback (moto's server): stored there, private there, removed on a failed save."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.conf import settings as django_settings

from geoportal.reports.models import Report
from tests.reports.conftest import file_report, jpeg


def keys(client: Any) -> list[str]:
    listed = client.list_objects_v2(Bucket=client.bucket).get("Contents", [])
    return sorted(item["Key"] for item in listed)


def unsigned_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback)
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def test_photos_are_stored_in_the_bucket_and_private_there(pokrovsk, s3, settings):
    report = file_report(photos=[jpeg(gps=(48.2790, 37.1801))])
    photo = report.photos.get()
    assert keys(s3) == sorted([str(photo.image.name), str(photo.thumbnail.name)])
    stored = s3.get_object(Bucket=s3.bucket, Key=photo.image.name)["Body"].read()
    assert stored[:2] == b"\xff\xd8" and b"Exif" not in stored  # a JPEG without EXIF
    assert not settings.MEDIA_ROOT.exists()  # nothing on the local disk
    # Pages and the API name the checked view, never the bucket.
    assert photo.image.url == f"/photos/{photo.pk}/photo.jpg"
    # The objects answer nobody without a signature, whatever the report's state.
    for name in (photo.image.name, photo.thumbnail.name):
        assert unsigned_get(f"{s3.meta.endpoint_url}/{s3.bucket}/{name}") == 403


def test_the_settings_keep_the_bucket_private():
    """geoportal/settings.py itself, loaded as in production with S3: signed URLs that
    expire, no public ACL, no custom domain (django-storages would drop the signature)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    env = {"MEDIA_STORAGE": "storages.backends.s3.S3Storage", "S3_BUCKET": "photos",
           "S3_CUSTOM_DOMAIN": "media.example.org", "S3_SIGNED_URLS": "0",
           "PHOTO_URL_SECONDS": "120", "DJANGO_SETTINGS_MODULE": "geoportal.settings",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env,
                         capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    options = json.loads(out.stdout)["OPTIONS"]
    assert options["querystring_auth"] is True and options["querystring_expire"] == 120
    assert options["signature_version"] == "s3v4"
    assert options["default_acl"] is None and "custom_domain" not in options


def test_a_failed_save_removes_its_objects_from_the_bucket(pokrovsk, s3, monkeypatch):
    from geoportal.reports import intake

    def broken(report, event):
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(intake, "notify_event", broken)
    with pytest.raises(RuntimeError):
        file_report(photos=[jpeg(), jpeg()])
    assert keys(s3) == [] and not Report.objects.exists()
