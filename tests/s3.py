"""A real S3 API on loopback (moto's server) and the storage settings that point at it,
as geoportal/settings.py builds them for MEDIA_STORAGE=storages.backends.s3.S3Storage."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def storage_options(endpoint: str, bucket: str, expire: int) -> dict[str, Any]:
    """The settings' S3 options (private objects, presigned URLs), for this server."""
    return {"bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1",
            "access_key": KEYS["aws_access_key_id"], "secret_key": KEYS["aws_secret_access_key"],
            "querystring_auth": True, "querystring_expire": expire, "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False}  # fmt: skip


@pytest.fixture
def s3(settings: Any, tmp_path: Any) -> Iterator[Any]:
    """Photos stored in a fresh bucket of a moto server; the local media folder stays empty.
    The boto3 client it yields carries the bucket's name as `client.bucket`."""
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
        bucket = f"geoportal-media-{uuid.uuid4().hex[:8]}"  # moto keeps buckets per process
        client.create_bucket(Bucket=bucket)
        client.bucket = bucket
        options = storage_options(endpoint, bucket, settings.PHOTO_URL_SECONDS)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        }
        yield client
    finally:
        server.stop()
