"""Write a small copy of each image uploaded under the source prefix, under the thumbnail prefix.

Triggered by S3 ObjectCreated notifications. ``uploads/a/b.jpg`` becomes ``thumbnails/a/b.jpg`` in
the same bucket, at most THUMBNAIL_MAX_PX on its longer side, in the source's format. Keys outside
the source prefix are ignored, so the function's own writes never trigger it again even if the
notification filter is widened. Files that are not a supported image, or are too large, are
logged and skipped without raising: S3 invokes asynchronously, and an error would only make
Lambda retry a file that can never succeed.

Environment:
    SOURCE_PREFIX        prefix of the uploads, ending in "/" (required, e.g. "uploads/")
    THUMBNAIL_PREFIX     prefix for the thumbnails, ending in "/", outside SOURCE_PREFIX
                         (required, e.g. "thumbnails/")
    THUMBNAIL_MAX_PX     longest side of a thumbnail in pixels (default 256)
    MAX_SOURCE_BYTES     larger uploads are skipped (default 20971520, 20 MiB)
    MAX_SOURCE_PIXELS    images with more pixels are skipped (default 50000000)
    LOG_LEVEL            logging level (default INFO)
"""

from __future__ import annotations

import functools
import io
import logging
import os
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import unquote_plus

import boto3
from botocore.exceptions import ClientError
from PIL import Image, ImageOps, UnidentifiedImageError

from blueprint_lambda import ConfigError, FunctionLogger

LOG = FunctionLogger("image_thumbnailer")
# Pillow format name -> content type; other formats are rejected.
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


class RejectedError(ValueError):
    """An upload this function will never turn into a thumbnail."""


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} {text!r} must be a whole number") from None
    if value < 1:
        raise ConfigError(f"{name} {value} must be at least 1")
    return value


def _prefix(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if not value or not value.endswith("/"):
        raise ConfigError(f"{name} {value!r} must be a non-empty key prefix ending with '/'")
    return value


@dataclass(frozen=True)
class Config:
    source_prefix: str
    thumbnail_prefix: str
    max_px: int
    max_bytes: int
    max_pixels: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Config:
        source = _prefix(environ, "SOURCE_PREFIX")
        thumbnails = _prefix(environ, "THUMBNAIL_PREFIX")
        # Thumbnails written inside the watched prefix would trigger the function again, forever.
        if thumbnails.startswith(source) or source.startswith(thumbnails):
            raise ConfigError(
                f"THUMBNAIL_PREFIX {thumbnails!r} and SOURCE_PREFIX {source!r} must not overlap"
            )
        return cls(
            source_prefix=source,
            thumbnail_prefix=thumbnails,
            max_px=_positive_int(environ, "THUMBNAIL_MAX_PX", 256),
            max_bytes=_positive_int(environ, "MAX_SOURCE_BYTES", 20 * 1024 * 1024),
            max_pixels=_positive_int(environ, "MAX_SOURCE_PIXELS", 50_000_000),
        )


@functools.lru_cache(maxsize=1)
def _s3() -> Any:
    # One client per execution environment, reused across invocations.
    return boto3.client("s3")


def make_thumbnail(data: bytes, config: Config) -> tuple[bytes, str]:
    """The thumbnail's bytes and content type; RejectedError for anything but a sane image."""
    try:
        # open() reads only the header, so the size checks run before any pixels are decoded.
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise RejectedError(f"format {image.format} is not one of {sorted(FORMATS)}")
            width, height = image.size
            if width * height > config.max_pixels:
                raise RejectedError(
                    f"{width}x{height} pixels is more than MAX_SOURCE_PIXELS {config.max_pixels}"
                )
            source_format = image.format
            # Cameras store rotation as an EXIF tag; apply it, the thumbnail carries no EXIF.
            thumbnail = ImageOps.exif_transpose(image)
            thumbnail.thumbnail((config.max_px, config.max_px))
            if source_format == "JPEG" and thumbnail.mode not in ("RGB", "L"):
                thumbnail = thumbnail.convert("RGB")
            out = io.BytesIO()
            thumbnail.save(out, format=source_format)
    except RejectedError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise RejectedError(f"not a readable image: {error}") from None
    except (OSError, SyntaxError, ValueError) as error:
        # Pillow reports truncated or corrupt files with these.
        raise RejectedError(f"corrupt image: {error}") from None
    return out.getvalue(), FORMATS[source_format]


def thumbnail_one(bucket: str, key: str, config: Config) -> str:
    """Process one upload; return what happened: "created", "ignored" or "rejected"."""
    if not key.startswith(config.source_prefix):
        LOG.log(logging.INFO, "ignored: outside the source prefix", bucket=bucket, key=key)
        return "ignored"
    try:
        obj = _s3().get_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            # Deleted between the upload and this invocation: nothing to do, nothing to retry.
            LOG.log(logging.WARNING, "ignored: object no longer exists", bucket=bucket, key=key)
            return "ignored"
        raise
    if obj["ContentLength"] > config.max_bytes:
        obj["Body"].close()
        LOG.log(
            logging.WARNING,
            "rejected: too large",
            bucket=bucket,
            key=key,
            size=obj["ContentLength"],
            limit=config.max_bytes,
        )
        return "rejected"
    try:
        body, content_type = make_thumbnail(obj["Body"].read(), config)
    except RejectedError as error:
        LOG.log(
            logging.WARNING, "rejected: not an image", bucket=bucket, key=key, reason=str(error)
        )
        return "rejected"
    target = config.thumbnail_prefix + key[len(config.source_prefix) :]
    _s3().put_object(
        Bucket=bucket,
        Key=target,
        Body=body,
        ContentType=content_type,
        Metadata={"source-key": key},
    )
    LOG.log(logging.INFO, "thumbnail created", bucket=bucket, key=key, thumbnail=target)
    return "created"


def handler(event: Mapping[str, Any], context: object) -> dict[str, int]:
    LOG.start(context)
    config = Config.from_env(os.environ)
    counts = {"created": 0, "ignored": 0, "rejected": 0}
    for record in event.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            counts["ignored"] += 1
            continue
        bucket = record["s3"]["bucket"]["name"]
        # Keys arrive URL-encoded, with "+" for a space.
        key = unquote_plus(record["s3"]["object"]["key"])
        counts[thumbnail_one(bucket, key, config)] += 1
    LOG.log(logging.INFO, "uploads processed", **counts)
    return counts
