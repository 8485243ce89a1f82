"""The archiver against moto's S3, fed with Kinesis events shaped like the ones Lambda sends."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from event_archiver import handler

BUCKET = "archive-bucket"
SHARD = "shardId-000000000006"
# 2024-02-29T23:59:59Z and 2024-03-01T00:00:01Z: one batch spanning two days.
BEFORE_MIDNIGHT = 1709251199.25
AFTER_MIDNIGHT = 1709251201.5


class Context:
    aws_request_id = "req-1"


def kinesis_record(sequence: int, data: bytes | str, arrived: float = BEFORE_MIDNIGHT) -> dict:
    encoded = base64.b64encode(data).decode() if isinstance(data, bytes) else data
    number = f"4959{sequence:050d}"
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": f"key-{sequence}",
            "sequenceNumber": number,
            "data": encoded,
            "approximateArrivalTimestamp": arrived,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{SHARD}:{number}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/archiver",
        "awsRegion": "us-east-1",
        "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/events",
    }


def sequence_of(record: dict) -> str:
    return record["kinesis"]["sequenceNumber"]


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("ARCHIVE_BUCKET", BUCKET)
    monkeypatch.delenv("ARCHIVE_PREFIX", raising=False)
    monkeypatch.delenv("REPORT_BATCH_ITEM_FAILURES", raising=False)
    handler._s3.cache_clear()
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client
    handler._s3.cache_clear()


def archived(s3: Any) -> dict[str, list[dict]]:
    result = {}
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        body = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        result[item["Key"]] = [json.loads(line) for line in gzip.decompress(body).splitlines()]
    return result


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_good_batch_is_archived_by_day_and_nothing_is_reported(s3, capsys):
    records = [
        kinesis_record(1, b'{"type": "click", "n": 1}'),
        kinesis_record(2, b'{"type": "view", "n": 2}'),
        kinesis_record(3, b'{"type": "click", "n": 3}', arrived=AFTER_MIDNIGHT),
    ]

    response = handler.handler({"Records": records}, Context())

    assert response == {"batchItemFailures": []}
    objects = archived(s3)
    first, second, third = (sequence_of(r) for r in records)
    assert sorted(objects) == [
        f"events/year=2024/month=02/day=29/{SHARD}/{first}-{second}.jsonl.gz",
        f"events/year=2024/month=03/day=01/{SHARD}/{third}-{third}.jsonl.gz",
    ]
    lines = objects[f"events/year=2024/month=02/day=29/{SHARD}/{first}-{second}.jsonl.gz"]
    assert [line["event"] for line in lines] == [
        {"type": "click", "n": 1},
        {"type": "view", "n": 2},
    ]
    assert lines[0]["sequence_number"] == first
    assert lines[0]["partition_key"] == "key-1"
    assert lines[0]["arrived_at"] == "2024-02-29T23:59:59.250000+00:00"
    summary = log_lines(capsys)[-1]
    assert summary["message"] == "batch archived"
    assert summary["request_id"] == "req-1"
    assert (summary["records"], summary["archived"], summary["failed"]) == (3, 3, 0)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("not base64!!", "not base64"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"type": "click", ', "not JSON"),
        (b"[1, 2, 3]", "JSON list, not an object"),
    ],
)
def test_bad_records_are_reported_and_good_ones_still_archived(s3, capsys, data, reason):
    good_before = kinesis_record(1, b'{"ok": 1}')
    bad = kinesis_record(2, data)
    good_after = kinesis_record(3, b'{"ok": 3}')

    response = handler.handler({"Records": [good_before, bad, good_after]}, Context())

    assert response == {"batchItemFailures": [{"itemIdentifier": sequence_of(bad)}]}
    [lines] = archived(s3).values()
    assert [line["event"] for line in lines] == [{"ok": 1}, {"ok": 3}]
    rejected = [entry for entry in log_lines(capsys) if entry["message"] == "record rejected"]
    assert len(rejected) == 1
    assert rejected[0]["sequence_number"] == sequence_of(bad)
    assert reason in rejected[0]["reason"]
    assert rejected[0]["level"] == "WARNING"


def test_retried_batch_overwrites_its_object(s3):
    records = [kinesis_record(1, b'{"a": 1}'), kinesis_record(2, b'{"a": 2}')]

    handler.handler({"Records": records}, Context())
    handler.handler({"Records": records}, Context())

    assert len(archived(s3)) == 1


def test_failed_write_reports_every_record_of_that_object(s3, monkeypatch):
    monkeypatch.setenv("ARCHIVE_BUCKET", "bucket-that-does-not-exist")
    records = [kinesis_record(1, b'{"a": 1}'), kinesis_record(2, b'{"a": 2}')]

    response = handler.handler({"Records": records}, Context())

    assert response == {
        "batchItemFailures": [{"itemIdentifier": sequence_of(r)} for r in records],
    }


def test_without_partial_batch_response_a_bad_record_raises_after_archiving(s3, monkeypatch):
    monkeypatch.setenv("REPORT_BATCH_ITEM_FAILURES", "false")
    good, bad = kinesis_record(1, b'{"a": 1}'), kinesis_record(2, b"nope")

    with pytest.raises(handler.BatchFailedError, match=sequence_of(bad)):
        handler.handler({"Records": [good, bad]}, Context())

    assert len(archived(s3)) == 1


def test_custom_prefix_is_used(s3, monkeypatch):
    monkeypatch.setenv("ARCHIVE_PREFIX", "raw/clicks/")

    handler.handler({"Records": [kinesis_record(1, b'{"a": 1}')]}, Context())

    [key] = archived(s3)
    assert key.startswith("raw/clicks/year=2024/month=02/day=29/")


def test_empty_batch_writes_nothing(s3):
    assert handler.handler({"Records": []}, Context()) == {"batchItemFailures": []}
    assert archived(s3) == {}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ARCHIVE_BUCKET", "", "ARCHIVE_BUCKET is not set"),
        ("ARCHIVE_PREFIX", "events", "must end with '/'"),
        ("REPORT_BATCH_ITEM_FAILURES", "maybe", "must be 'true' or 'false'"),
    ],
)
def test_bad_configuration_names_the_variable(s3, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)

    with pytest.raises(handler.ConfigError, match=message):
        handler.handler({"Records": [kinesis_record(1, b"{}")]}, Context())
