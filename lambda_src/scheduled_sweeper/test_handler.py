"""The sweeper against moto's S3, fed with the scheduled event EventBridge sends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from scheduled_sweeper import handler

BUCKET = "files-bucket"
OLD = datetime(2024, 1, 1, 12, 0, 0)
RECENT = datetime(2024, 2, 25, 12, 0, 0)
# 2024-03-01 minus 30 days is 2024-01-31: OLD is past it, RECENT is not.
SCHEDULED = "2024-03-01T02:00:00Z"


def scheduled_event(time: str = SCHEDULED) -> dict:
    return {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": time,
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/nightly-sweep"],
        "detail": {},
    }


class Context:
    aws_request_id = "req-2"

    def __init__(self, remaining_ms: int = 300_000) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("SWEEP_BUCKET", BUCKET)
    monkeypatch.setenv("SWEEP_PREFIX", "tmp/")
    monkeypatch.setenv("SWEEP_MAX_AGE_DAYS", "30")
    monkeypatch.delenv("DRY_RUN", raising=False)
    handler._s3.cache_clear()
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client
    handler._s3.cache_clear()


def put(s3: Any, when: datetime, *keys: str) -> None:
    # moto stamps LastModified with its own clock; set that clock to the object's age.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("moto.s3.models.utcnow", lambda: when)
        for key in keys:
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"12345")


def keys(s3: Any) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.fixture
def objects(s3) -> None:
    put(s3, OLD, "tmp/old-1.csv", "tmp/deep/old-2.csv", "keep/old.csv")
    put(s3, RECENT, "tmp/recent.csv")


def test_deletes_only_old_objects_under_the_prefix(s3, objects, capsys):
    result = handler.handler(scheduled_event(), Context())

    assert keys(s3) == ["keep/old.csv", "tmp/recent.csv"]
    assert result["scanned"] == 3
    assert result["deleted"] == 2
    assert result["deleted_bytes"] == 10
    assert result["complete"] is True
    assert result["cutoff"] == "2024-01-31T02:00:00+00:00"
    summary = log_lines(capsys)[-1]
    assert summary["message"] == "sweep finished"
    assert summary["level"] == "INFO"
    assert summary["deleted"] == 2
    assert summary["request_id"] == "req-2"


def test_dry_run_deletes_nothing_and_logs_each_key(s3, objects, monkeypatch, capsys):
    monkeypatch.setenv("DRY_RUN", "true")

    result = handler.handler(scheduled_event(), Context())

    assert len(keys(s3)) == 4
    assert (result["expired"], result["deleted"], result["dry_run"]) == (2, 0, True)
    would = sorted(e["key"] for e in log_lines(capsys) if e["message"] == "would delete")
    assert would == ["tmp/deep/old-2.csv", "tmp/old-1.csv"]


def test_age_is_measured_from_the_scheduled_time(s3, objects):
    # Scheduled before RECENT + 30 days and also before OLD + 30 days: nothing is old yet.
    result = handler.handler(scheduled_event("2024-01-15T02:00:00Z"), Context())

    assert result["deleted"] == 0
    assert len(keys(s3)) == 4


def test_stops_cleanly_when_time_runs_out(s3, monkeypatch):
    monkeypatch.setattr(handler, "DELETE_BATCH", 2)
    put(s3, OLD, *(f"tmp/{n}.csv" for n in range(5)))

    result = handler.handler(scheduled_event(), Context(remaining_ms=1_000))

    assert result["complete"] is False
    assert result["deleted"] == 2
    assert len(keys(s3)) == 3


def test_empty_prefix_is_a_clean_no_op(s3):
    result = handler.handler(scheduled_event(), Context())

    assert (result["scanned"], result["deleted"], result["errors"]) == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SWEEP_BUCKET", "", "SWEEP_BUCKET is not set"),
        ("SWEEP_PREFIX", "", "non-empty key prefix"),
        ("SWEEP_PREFIX", "tmp", "ending with '/'"),
        ("SWEEP_MAX_AGE_DAYS", "", "whole number of days"),
        ("SWEEP_MAX_AGE_DAYS", "0", "at least 1"),
        ("DRY_RUN", "perhaps", "must be 'true' or 'false'"),
    ],
)
def test_bad_configuration_names_the_variable(s3, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)

    with pytest.raises(handler.ConfigError, match=message):
        handler.handler(scheduled_event(), Context())
