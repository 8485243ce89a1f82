"""Archive a Kinesis batch to S3 as gzipped JSON lines, one object per shard, day and batch.

Good records land under ``<ARCHIVE_PREFIX>year=YYYY/month=MM/day=DD/<shard>/`` (the day of the
record's arrival in the stream, UTC). Records that are not base64, not UTF-8 or not a JSON object
are logged and reported back in the partial batch response, so that Lambda retries from them
instead of from the start of the batch, and finally hands them to the on-failure destination.

Delivery is at least once: Kinesis retries re-send the records after a failure, so an event can
appear in two objects. Each line carries the record's sequence number to deduplicate on.

Environment:
    ARCHIVE_BUCKET               bucket that receives the archive (required)
    ARCHIVE_PREFIX               key prefix, ending in "/" (default "events/")
    REPORT_BATCH_ITEM_FAILURES   "true" (default) returns the partial batch response; "false"
                                 raises after writing the good records, for event source mappings
                                 without ReportBatchItemFailures, where a returned list is ignored
    LOG_LEVEL                    logging level (default INFO)
"""

from __future__ import annotations

import base64
import binascii
import functools
import gzip
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from blueprint_lambda import ConfigError, FunctionLogger, env_flag

LOG = FunctionLogger("event_archiver")


class BatchFailedError(RuntimeError):
    """Some records failed and the mapping cannot take a partial batch response."""


@dataclass(frozen=True)
class Config:
    bucket: str
    prefix: str
    report_failures: bool

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Config:
        bucket = environ.get("ARCHIVE_BUCKET", "").strip()
        if not bucket:
            raise ConfigError("ARCHIVE_BUCKET is not set: set it to the bucket for the archive")
        prefix = environ.get("ARCHIVE_PREFIX", "events/").strip()
        if prefix and not prefix.endswith("/"):
            raise ConfigError(f"ARCHIVE_PREFIX {prefix!r} must end with '/'")
        return cls(bucket, prefix, env_flag(environ, "REPORT_BATCH_ITEM_FAILURES", default=True))


@dataclass(frozen=True)
class Decoded:
    sequence_number: str
    shard_id: str
    arrived: datetime
    line: bytes


class BadRecordError(ValueError):
    """A record that will never decode; retried by Lambda, then sent to the failure target."""


@functools.lru_cache(maxsize=1)
def _s3() -> Any:
    # One client per execution environment, reused across invocations.
    return boto3.client("s3")


def decode(record: Mapping[str, Any]) -> Decoded:
    kinesis = record["kinesis"]
    sequence_number = str(kinesis["sequenceNumber"])
    try:
        raw = base64.b64decode(kinesis.get("data", ""), validate=True)
    except (binascii.Error, ValueError) as error:
        raise BadRecordError(f"data is not base64: {error}") from None
    try:
        event = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRecordError("data is not UTF-8") from None
    except json.JSONDecodeError as error:
        raise BadRecordError(f"data is not JSON: {error.msg} at {error.pos}") from None
    if not isinstance(event, dict):
        raise BadRecordError(f"data is JSON {type(event).__name__}, not an object")
    arrived = datetime.fromtimestamp(float(kinesis["approximateArrivalTimestamp"]), timezone.utc)
    line = {
        "sequence_number": sequence_number,
        "partition_key": kinesis.get("partitionKey"),
        "arrived_at": arrived.isoformat(),
        "event": event,
    }
    return Decoded(
        sequence_number=sequence_number,
        # eventID is "<shard id>:<sequence number>".
        shard_id=str(record.get("eventID", "unknown")).split(":", 1)[0],
        arrived=arrived,
        line=json.dumps(line, separators=(",", ":"), sort_keys=True).encode() + b"\n",
    )


def object_key(prefix: str, group: list[Decoded]) -> str:
    """Same records, same key: a retried batch overwrites its object instead of adding one."""
    first, last = group[0], group[-1]
    day = first.arrived
    return (
        f"{prefix}year={day:%Y}/month={day:%m}/day={day:%d}/{first.shard_id}/"
        f"{first.sequence_number}-{last.sequence_number}.jsonl.gz"
    )


def archive(config: Config, groups: dict[tuple[str, str], list[Decoded]]) -> list[str]:
    """Write each group; return the sequence numbers of groups whose write failed."""
    failed: list[str] = []
    for group in groups.values():
        key = object_key(config.prefix, group)
        # mtime=0 keeps the object identical when a retry writes it again.
        body = gzip.compress(b"".join(item.line for item in group), mtime=0)
        try:
            _s3().put_object(
                Bucket=config.bucket,
                Key=key,
                Body=body,
                ContentType="application/x-ndjson",
                ContentEncoding="gzip",
            )
        except (BotoCoreError, ClientError) as error:
            LOG.log(logging.ERROR, "archive write failed", key=key, error=str(error))
            failed.extend(item.sequence_number for item in group)
            continue
        LOG.log(logging.DEBUG, "archive written", key=key, records=len(group))
    return failed


def handler(event: Mapping[str, Any], context: object) -> dict[str, list[dict[str, str]]]:
    LOG.start(context)
    config = Config.from_env(os.environ)
    records = event.get("Records", [])

    groups: dict[tuple[str, str], list[Decoded]] = {}
    failed: list[str] = []
    for record in records:
        try:
            decoded = decode(record)
        except BadRecordError as error:
            sequence_number = str(record["kinesis"]["sequenceNumber"])
            LOG.log(
                logging.WARNING,
                "record rejected",
                sequence_number=sequence_number,
                event_id=record.get("eventID"),
                reason=str(error),
            )
            failed.append(sequence_number)
            continue
        day = decoded.arrived.strftime("%Y-%m-%d")
        groups.setdefault((decoded.shard_id, day), []).append(decoded)

    failed.extend(archive(config, groups))
    LOG.log(
        logging.INFO,
        "batch archived",
        records=len(records),
        archived=len(records) - len(failed),
        failed=len(failed),
        objects=len(groups),
    )
    if failed and not config.report_failures:
        raise BatchFailedError(f"{len(failed)} of {len(records)} records failed: {failed}")
    return {"batchItemFailures": [{"itemIdentifier": number} for number in failed]}
