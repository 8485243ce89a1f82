"""The thumbnailer against moto's S3, fed with the ObjectCreated notifications S3 sends."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote_plus

import boto3
import pytest
from moto import mock_aws
from PIL import Image

from image_thumbnailer import handler

BUCKET = "files-bucket"


class Context:
    aws_request_id = "req-3"


def s3_event(key: str, name: str = "ObjectCreated:Put", size: int = 1024) -> dict:
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": "2024-03-01T10:00:00.000Z",
                "eventName": name,
                "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
                "requestParameters": {"sourceIPAddress": "203.0.113.10"},
                "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "thumbnails",
                    "bucket": {
                        "name": BUCKET,
                        "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                        "arn": f"arn:aws:s3:::{BUCKET}",
                    },
                    # S3 URL-encodes keys in notifications, with "+" for spaces.
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                        "sequencer": "0055AED6DCD90281E5",
                    },
                },
            }
        ]
    }


def image_bytes(fmt: str, size: tuple[int, int] = (1200, 800), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color=0).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("SOURCE_PREFIX", "uploads/")
    monkeypatch.setenv("THUMBNAIL_PREFIX", "thumbnails/")
    for name in ("THUMBNAIL_MAX_PX", "MAX_SOURCE_BYTES", "MAX_SOURCE_PIXELS"):
        monkeypatch.delenv(name, raising=False)
    handler._s3.cache_clear()
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client
    handler._s3.cache_clear()


def thumbnails(s3: Any) -> list[str]:
    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix="thumbnails/")
    return sorted(item["Key"] for item in listing.get("Contents", []))


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    ("fmt", "mode", "content_type"),
    [
        ("JPEG", "RGB", "image/jpeg"),
        ("PNG", "RGBA", "image/png"),
        ("GIF", "P", "image/gif"),
        ("WEBP", "RGB", "image/webp"),
    ],
)
def test_upload_gets_a_thumbnail_in_the_same_format(s3, fmt, mode, content_type):
    key = f"uploads/album/photo.{fmt.lower()}"
    s3.put_object(Bucket=BUCKET, Key=key, Body=image_bytes(fmt, mode=mode))

    result = handler.handler(s3_event(key), Context())

    assert result == {"created": 1, "ignored": 0, "rejected": 0}
    target = f"thumbnails/album/photo.{fmt.lower()}"
    obj = s3.get_object(Bucket=BUCKET, Key=target)
    assert obj["ContentType"] == content_type
    assert obj["Metadata"] == {"source-key": key}
    with Image.open(io.BytesIO(obj["Body"].read())) as thumb:
        assert thumb.format == fmt
        assert thumb.size == (256, 171)


def test_key_with_spaces_is_decoded(s3):
    key = "uploads/summer holiday/beach day.png"
    s3.put_object(Bucket=BUCKET, Key=key, Body=image_bytes("PNG"))

    handler.handler(s3_event(key), Context())

    assert thumbnails(s3) == ["thumbnails/summer holiday/beach day.png"]


def test_size_limit_is_configurable(s3, monkeypatch):
    monkeypatch.setenv("THUMBNAIL_MAX_PX", "64")
    s3.put_object(Bucket=BUCKET, Key="uploads/a.png", Body=image_bytes("PNG", (100, 400)))

    handler.handler(s3_event("uploads/a.png"), Context())

    body = s3.get_object(Bucket=BUCKET, Key="thumbnails/a.png")["Body"].read()
    with Image.open(io.BytesIO(body)) as thumb:
        assert thumb.size == (16, 64)


def test_its_own_thumbnails_do_not_trigger_it_again(s3, capsys):
    s3.put_object(Bucket=BUCKET, Key="thumbnails/a.png", Body=image_bytes("PNG"))

    result = handler.handler(s3_event("thumbnails/a.png"), Context())

    assert result == {"created": 0, "ignored": 1, "rejected": 0}
    assert thumbnails(s3) == ["thumbnails/a.png"]
    assert any(e["message"].startswith("ignored") for e in log_lines(capsys))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"%PDF-1.4 definitely not an image", "not a readable image"),
        (b"", "not a readable image"),
        (image_bytes("PNG")[:200], "corrupt image"),
        (image_bytes("BMP"), "format BMP is not one of"),
    ],
)
def test_non_images_are_rejected_cleanly(s3, capsys, body, reason):
    s3.put_object(Bucket=BUCKET, Key="uploads/file.jpg", Body=body)

    result = handler.handler(s3_event("uploads/file.jpg"), Context())

    assert result == {"created": 0, "ignored": 0, "rejected": 1}
    assert thumbnails(s3) == []
    [rejected] = [e for e in log_lines(capsys) if e["message"].startswith("rejected")]
    assert rejected["level"] == "WARNING"
    assert rejected["key"] == "uploads/file.jpg"
    assert reason in rejected["reason"]


def test_too_many_pixels_is_rejected_before_decoding(s3, monkeypatch):
    monkeypatch.setenv("MAX_SOURCE_PIXELS", "1000")
    s3.put_object(Bucket=BUCKET, Key="uploads/big.png", Body=image_bytes("PNG", (100, 100)))

    result = handler.handler(s3_event("uploads/big.png"), Context())

    assert result["rejected"] == 1
    assert thumbnails(s3) == []


def test_too_many_bytes_is_rejected(s3, monkeypatch):
    monkeypatch.setenv("MAX_SOURCE_BYTES", "10")
    s3.put_object(Bucket=BUCKET, Key="uploads/a.png", Body=image_bytes("PNG"))

    assert handler.handler(s3_event("uploads/a.png"), Context())["rejected"] == 1


def test_object_deleted_before_processing_is_ignored(s3):
    assert handler.handler(s3_event("uploads/gone.png"), Context())["ignored"] == 1


def test_other_event_types_are_ignored(s3):
    result = handler.handler(s3_event("uploads/a.png", name="ObjectRemoved:Delete"), Context())

    assert result == {"created": 0, "ignored": 1, "rejected": 0}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SOURCE_PREFIX", "", "SOURCE_PREFIX '' must be a non-empty key prefix"),
        ("THUMBNAIL_PREFIX", "thumbs", "ending with '/'"),
        ("THUMBNAIL_PREFIX", "uploads/thumbs/", "must not overlap"),
        ("THUMBNAIL_MAX_PX", "big", "whole number"),
        ("MAX_SOURCE_BYTES", "0", "at least 1"),
    ],
)
def test_bad_configuration_names_the_variable(s3, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)

    with pytest.raises(handler.ConfigError, match=message):
        handler.handler(s3_event("uploads/a.png"), Context())
