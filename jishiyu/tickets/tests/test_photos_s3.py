"""Uploaded files on S3-compatible object storage (FILE_STORAGE=storages.backends.s3.S3Storage): the
settings read the bucket from the environment, and a ticket's photo goes to the private bucket and comes
back only through the app's scoped URL. S3 itself is the outside world: moto stands in for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from jishiyu.tickets.models import Ticket, TicketPhoto
from jishiyu.tickets.tests.test_photos import JPEG, post_photos, upload

BUCKET = "jishiyu-media"
ROOT = Path(__file__).resolve().parents[3]


def settings_storage(**environment: str) -> dict[str, Any]:
    """The default storage as config.settings builds it from this environment (a fresh interpreter)."""
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "FILE_STORAGE"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **environment})
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise AssertionError(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout)


def test_the_s3_storage_takes_its_bucket_and_endpoint_from_the_environment() -> None:
    storage = settings_storage(
        FILE_STORAGE="storages.backends.s3.S3Storage",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL="https://oss.internal",
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == BUCKET and options["endpoint_url"] == "https://oss.internal"
    assert options["default_acl"] is None and options["querystring_auth"] is True  # private bucket
    assert options["access_key"] is None  # not given: boto3's own chain (an instance role) decides
    assert "OPTIONS" not in settings_storage()  # the default install keeps files on local disk


def test_the_s3_storage_without_a_bucket_refuses_to_start_naming_the_variable() -> None:
    with pytest.raises(AssertionError, match="AWS_STORAGE_BUCKET_NAME"):
        settings_storage(FILE_STORAGE="storages.backends.s3.S3Storage")
    with pytest.raises(AssertionError, match="AWS_STORAGE_BUCKET_NAME"):
        settings_storage(FILE_STORAGE="storages.backends.s3.S3Storage", AWS_STORAGE_BUCKET_NAME=" ")


@pytest.fixture()
def s3(settings: Any) -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "location": "media", "default_acl": None, "file_overwrite": False},
            },
        }
        yield client


@pytest.mark.django_db
def test_a_photo_goes_to_the_private_bucket_and_comes_back_only_through_the_scoped_url(
    client: Any, personas: Any, ticket: Ticket, s3: Any, settings: Any
) -> None:
    client.force_login(personas["resident"])
    response = post_photos(client, ticket, upload())
    assert response.status_code == 201, response.content
    photo = TicketPhoto.objects.get()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"media/{photo.file.name}"]  # in the bucket, not on local disk
    assert not list(Path(settings.MEDIA_ROOT).rglob(Path(photo.file.name).name))
    grants = s3.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert all("AllUsers" not in json.dumps(g) for g in grants)  # nobody reads it without the app
    served = client.get(response.json()[0]["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == JPEG
    client.force_login(personas["outsider"])
    assert client.get(response.json()[0]["url"]).status_code == 404
