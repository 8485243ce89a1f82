"""The orders service: a WSGI ``application`` that Elastic Beanstalk's Python platform serves.

Standard library only, so the bundle needs no requirements.txt. It stands in for the real
service until that is written: GET / describes the service, GET /health answers the load
balancer's health check.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

SERVICE = "orders"


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    start_response(status, headers)
    return [payload]


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "/") or "/"
    if method not in ("GET", "HEAD"):
        return _json(start_response, "405 Method Not Allowed", {"error": "GET only"})
    if path == "/health":
        return _json(start_response, "200 OK", {"status": "ok"})
    if path == "/":
        # ENVIRONMENT is set by the environment's Terraform root (envs/shared/main.tf).
        environment = os.environ.get("ENVIRONMENT", "unknown")
        return _json(start_response, "200 OK", {"service": SERVICE, "environment": environment})
    return _json(start_response, "404 Not Found", {"error": f"no route for {path}"})
