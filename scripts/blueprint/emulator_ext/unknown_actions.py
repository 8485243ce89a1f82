"""An immediate, AWS-shaped error for any call the emulator does not implement.

moto raises ``NotImplementedError`` for an action its service has no method for (and botocore's
``OperationNotFoundError`` when the action is not even in the service model); its server turns
either into an HTML page with status 500. SDKs take a 500 for a passing fault and retry: the
AWS provider does so for minutes, so an apply that needs a missing call looks hung.

``install()`` wraps the handler moto puts around every service so that such a call gets, at
once, status 400 with code ``InvalidAction`` and a message naming the service and action, in
the shape the service's protocol uses (JSON, query XML or EC2 XML). No SDK retries that. Each
such call is also logged, so the emulator's log lists the gaps a run ran into.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from typing import Any
from xml.sax.saxutils import escape

from botocore.model import OperationNotFoundError
from moto.core import utils as moto_utils

log = logging.getLogger(__name__)

CODE = "InvalidAction"
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/(?P<service>[^/]+)/aws4_request")


def _service(headers: Any, fallback: str) -> str:
    """The signing name of the call (also its IAM prefix), else moto's name for the service."""
    match = _CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
    return match["service"] if match else fallback


def _action(request: Any) -> str:
    action = request.values.get("Action")
    if action:
        return str(action)
    target = request.headers.get("X-Amz-Target", "")
    if target:
        return str(target.rsplit(".", 1)[-1])
    return f"{request.method} {request.path}"


def error_response(request: Any, service: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of the error for an unimplemented call, in the call's protocol."""
    action = _action(request)
    message = f"blueprint emulator does not implement {service}:{action}"
    request_id = str(uuid.uuid4())
    content_type = request.headers.get("Content-Type", "")
    headers = {"x-amzn-RequestId": request_id, "x-amzn-ErrorType": CODE}
    if "json" in content_type or request.headers.get("X-Amz-Target"):
        headers["Content-Type"] = content_type or "application/x-amz-json-1.1"
        return 400, headers, json.dumps({"__type": CODE, "message": message})
    headers["Content-Type"] = "text/xml"
    error = f"<Code>{CODE}</Code><Message>{escape(message)}</Message>"
    if service == "ec2":
        body = (
            f"<Response><Errors><Error>{error}</Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
    else:
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type>{error}</Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
    return 400, headers, body


def install() -> None:
    original = moto_utils.convert_to_flask_response.__call__
    if getattr(original, "answers_unknown_actions", False):
        return

    def call(self: moto_utils.convert_to_flask_response, *args: Any, **kwargs: Any) -> Any:
        from flask import Response, current_app
        from flask import request as flask_request

        try:
            return original(self, *args, **kwargs)
        except (NotImplementedError, OperationNotFoundError):
            service = _service(flask_request.headers, str(getattr(current_app, "service", "")))
            status, headers, body = error_response(flask_request, service)
            log.warning("not implemented: %s:%s", service, _action(flask_request))
            return Response(response=body, status=status, headers=headers)

    call.answers_unknown_actions = True  # type: ignore[attr-defined]
    moto_utils.convert_to_flask_response.__call__ = call  # type: ignore[method-assign]
