"""Nightly sweep: delete the objects under one prefix that are older than a number of days.

Triggered by an EventBridge (CloudWatch Events) schedule. The age is measured from the event's
``time``, so a late or retried invocation deletes what the scheduled run would have deleted.
When the invocation runs out of time it stops cleanly and logs ``complete: false``; the next run
picks up the rest. On a versioned bucket a delete adds a delete marker: pair the bucket with a
lifecycle rule that expires noncurrent versions.

For a plain age limit on a bucket you own, an S3 lifecycle rule does the same job without code.
This function is for prefixes where the rule does not fit: a bucket owned elsewhere, a dry run
before turning deletion on, or a per-run summary in the logs.

Environment:
    SWEEP_BUCKET        bucket to sweep (required)
    SWEEP_PREFIX        key prefix to sweep, non-empty and ending in "/" (required)
    SWEEP_MAX_AGE_DAYS  delete objects last modified more than this many days ago (required)
    DRY_RUN             "true" logs what would be deleted and deletes nothing (default "false")
    LOG_LEVEL           logging level (default INFO)
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Mapping

import boto3

from blueprint_lambda import ConfigError, FunctionLogger, env_flag

LOG = FunctionLogger("scheduled_sweeper")
# DeleteObjects takes at most 1000 keys per call.
DELETE_BATCH = 1000
# Stop this long before Lambda's timeout, so that the summary is always logged.
SAFETY_MARGIN_MS = 10_000


@dataclass(frozen=True)
class Config:
    bucket: str
    prefix: str
    max_age: timedelta
    dry_run: bool

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Config:
        bucket = environ.get("SWEEP_BUCKET", "").strip()
        if not bucket:
            raise ConfigError("SWEEP_BUCKET is not set: set it to the bucket to sweep")
        prefix = environ.get("SWEEP_PREFIX", "").strip()
        # An empty prefix would sweep the whole bucket; make that impossible by mistake.
        if not prefix or not prefix.endswith("/"):
            raise ConfigError(
                f"SWEEP_PREFIX {prefix!r} must be a non-empty key prefix ending with '/'"
            )
        days_text = environ.get("SWEEP_MAX_AGE_DAYS", "").strip()
        try:
            days = int(days_text)
        except ValueError:
            raise ConfigError(
                f"SWEEP_MAX_AGE_DAYS {days_text!r} must be a whole number of days"
            ) from None
        if days < 1:
            raise ConfigError(f"SWEEP_MAX_AGE_DAYS {days} must be at least 1")
        dry_run = env_flag(environ, "DRY_RUN", default=False)
        return cls(bucket, prefix, timedelta(days=days), dry_run)


@dataclass
class Summary:
    scanned: int = 0
    expired: int = 0
    deleted: int = 0
    deleted_bytes: int = 0
    errors: int = 0
    complete: bool = True


@functools.lru_cache(maxsize=1)
def _s3() -> Any:
    # One client per execution environment, reused across invocations.
    return boto3.client("s3")


def scheduled_time(event: Mapping[str, Any]) -> datetime:
    """The time the schedule fired, e.g. "2024-03-01T02:00:00Z"; now when the event has none."""
    text = event.get("time")
    if not text:
        return datetime.now(timezone.utc)
    return datetime.strptime(str(text), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def expired_objects(config: Config, cutoff: datetime, summary: Summary) -> Iterator[dict[str, Any]]:
    pages = (
        _s3().get_paginator("list_objects_v2").paginate(Bucket=config.bucket, Prefix=config.prefix)
    )
    for page in pages:
        for item in page.get("Contents", []):
            summary.scanned += 1
            if item["LastModified"] < cutoff:
                summary.expired += 1
                yield item


def delete_batch(config: Config, batch: list[dict[str, Any]], summary: Summary) -> None:
    sizes = {item["Key"]: int(item.get("Size", 0)) for item in batch}
    if config.dry_run:
        for key in sizes:
            LOG.log(logging.INFO, "would delete", key=key)
        return
    response = _s3().delete_objects(
        Bucket=config.bucket,
        Delete={"Objects": [{"Key": key} for key in sizes], "Quiet": True},
    )
    # Quiet mode lists only the failures; everything else was deleted.
    errors = response.get("Errors", [])
    failed = {error["Key"] for error in errors}
    for error in errors:
        LOG.log(
            logging.ERROR,
            "delete failed",
            key=error["Key"],
            code=error.get("Code"),
            error=error.get("Message"),
        )
    summary.errors += len(failed)
    summary.deleted += len(sizes) - len(failed)
    summary.deleted_bytes += sum(size for key, size in sizes.items() if key not in failed)


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    LOG.start(context)
    config = Config.from_env(os.environ)
    cutoff = scheduled_time(event) - config.max_age
    summary = Summary()

    batch: list[dict[str, Any]] = []
    for item in expired_objects(config, cutoff, summary):
        batch.append(item)
        if len(batch) == DELETE_BATCH:
            delete_batch(config, batch, summary)
            batch = []
            if context is not None and context.get_remaining_time_in_millis() < SAFETY_MARGIN_MS:
                summary.complete = False
                break
    if batch:
        delete_batch(config, batch, summary)

    result = {
        "bucket": config.bucket,
        "prefix": config.prefix,
        "cutoff": cutoff.isoformat(),
        "dry_run": config.dry_run,
        **asdict(summary),
    }
    LOG.log(logging.ERROR if summary.errors else logging.INFO, "sweep finished", **result)
    return result
