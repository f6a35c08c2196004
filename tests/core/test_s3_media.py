"""Photos on S3-compatible storage through django-storages, against a real S3 API server
on loopback (moto's server): stored there, served from there, removed on a failed save."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from geoportal.reports.models import Report
from tests.reports.conftest import file_report, jpeg

KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(name="s3")  # named apart: tests/core/test_restore.py imports it too
def s3_fixture(settings: Any, tmp_path: Any) -> Iterator[Any]:
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
    bucket = f"geoportal-media-{uuid.uuid4().hex[:8]}"  # moto keeps buckets per process
    client.create_bucket(Bucket=bucket)
    client.bucket = bucket
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint,
                        "region_name": "us-east-1", "access_key": KEYS["aws_access_key_id"],
                        "secret_key": KEYS["aws_secret_access_key"], "querystring_auth": False,
                        "default_acl": None, "file_overwrite": False},
        },
    }  # fmt: skip
    yield client
    server.stop()


def keys(client: Any) -> list[str]:
    listed = client.list_objects_v2(Bucket=client.bucket).get("Contents", [])
    return sorted(item["Key"] for item in listed)


def test_photos_are_stored_and_served_from_the_bucket(pokrovsk, s3, settings):
    report = file_report(photos=[jpeg(gps=(48.2790, 37.1801))])
    photo = report.photos.get()
    assert keys(s3) == sorted([str(photo.image.name), str(photo.thumbnail.name)])
    stored = s3.get_object(Bucket=s3.bucket, Key=photo.image.name)["Body"].read()
    assert stored[:2] == b"\xff\xd8" and b"Exif" not in stored  # a JPEG without EXIF
    assert photo.image.url.startswith(f"{s3.meta.endpoint_url}/{s3.bucket}/reports/photos/")
    assert not settings.MEDIA_ROOT.exists()  # nothing on the local disk


def test_a_failed_save_removes_its_objects_from_the_bucket(pokrovsk, s3, monkeypatch):
    from geoportal.reports import intake

    def broken(report, event):
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(intake, "notify_event", broken)
    with pytest.raises(RuntimeError):
        file_report(photos=[jpeg(), jpeg()])
    assert keys(s3) == [] and not Report.objects.exists()
