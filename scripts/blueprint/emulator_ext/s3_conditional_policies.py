"""Bucket policy statements with a Condition do not apply to the emulator's object calls.

moto judges a bucket policy for object calls without any request context, and treats a statement
whose condition it cannot match as a denial, even a Deny that should then not apply. The
blueprint's TLS-only policy (Deny when aws:SecureTransport is false) thus blocked every object
call, the S3 state backend of a rehearsal included. On AWS such a statement applies only when its
condition holds. The emulator stands in for AWS's HTTPS endpoints on plain loopback HTTP and has
no request context to test, so statements with a condition are left out of its judgement;
unconditional Allow and Deny statements still count.
"""

from __future__ import annotations

import json
from typing import Any

from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3.models import FakeBucket


def _get_permission(self: FakeBucket, action: str, resource: str) -> Any:
    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy)
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    unconditional = [statement for statement in statements if not statement.get("Condition")]
    if not unconditional:
        return PermissionResult.NEUTRAL
    policy = IAMPolicy(json.dumps({**document, "Statement": unconditional}))
    return policy.is_action_permitted(action, resource)


def install() -> None:
    FakeBucket.get_permission = _get_permission  # type: ignore[method-assign]
