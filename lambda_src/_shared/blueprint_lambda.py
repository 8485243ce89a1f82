"""Logging and settings helpers that every Lambda function of this repository shares.

Packaging copies this file to the top level of each function's zip, beside ``handler.py``, so a
handler imports it as ``blueprint_lambda``. It uses the standard library only and runs on
python3.8. The project-specific name keeps it from shadowing, or being shadowed by, a dependency.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
from typing import Any, Mapping

# Set by FunctionLogger.start at the top of each invocation, read by every log line it writes.
REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")


class ConfigError(RuntimeError):
    """A missing or invalid environment variable; fix the function's configuration."""


class JsonFormatter(logging.Formatter):
    """One JSON object per record: level, logger, message, request_id and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": REQUEST_ID.get(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class StdoutHandler(logging.Handler):
    """Writes to whatever ``sys.stdout`` is at the time, which Lambda sends to CloudWatch."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
        except (OSError, ValueError):
            self.handleError(record)


class FunctionLogger:
    """A function's logger: each call writes one JSON line to stdout, tagged with the request."""

    def __init__(self, name: str) -> None:
        self.logger = logging.getLogger(name)

    def start(self, context: object) -> None:
        """Call first in the handler: sets the logger up once and tags lines with the request."""
        if not self.logger.handlers:
            handler = StdoutHandler()
            handler.setFormatter(JsonFormatter())
            self.logger.addHandler(handler)
            # Lambda's runtime puts its own text handler on the root logger; one line is enough.
            self.logger.propagate = False
            self.logger.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
        REQUEST_ID.set(str(getattr(context, "aws_request_id", "-")))

    def log(self, level: int, message: str, **fields: object) -> None:
        """Log ``message`` with ``fields`` as top-level keys of the JSON line."""
        self.logger.log(level, message, extra={"fields": fields})


def env_flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """The boolean in ``environ[name]``, or ``default`` if unset; set but empty is an error."""
    if name not in environ:
        return default
    text = environ[name].strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} {text!r} must be 'true' or 'false'")
