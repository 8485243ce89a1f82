"""CKV_BLUEPRINT_3: every S3 bucket has a policy that denies requests made without TLS.

The bucket passes when its own ``policy`` argument (provider 3.x) or an ``aws_s3_bucket_policy``
that refers to it holds a statement that denies every principal all S3 actions ("s3:*" or "*")
when ``aws:SecureTransport`` is false. The policy must name the bucket by reference
(``bucket = aws_s3_bucket.this.id``): that reference is the graph edge the check follows, and a
bucket name typed as text would leave the two unconnected. A policy whose document is unknown
until apply is not judged.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from _shared import as_list, first, policy_document, predecessors, statements, vertex_of

ALL_S3_ACTIONS = frozenset({"*", "s3:*"})


class S3BucketTlsOnly(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="S3 buckets deny requests made without TLS",
            id="CKV_BLUEPRINT_3",
            categories=(CheckCategories.NETWORKING,),
            supported_resources=("aws_s3_bucket",),
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["policy"]
        candidates = [(conf, first(conf, "policy"))]
        index = vertex_of(self.graph, conf)
        if index is not None:
            for attributes in predecessors(self.graph, index):
                if attributes.get("resource_type") == "aws_s3_bucket_policy":
                    candidates.append((_config(attributes), attributes.get("policy")))
        unknown = False
        for holder, value in candidates:
            if value is None:
                continue
            document = policy_document(self.graph, holder, value)
            if document is None:
                unknown = True
            elif any(denies_plain_http(statement) for statement in statements(document)):
                return CheckResult.PASSED
        return CheckResult.UNKNOWN if unknown else CheckResult.FAILED


def _config(attributes: dict[str, Any]) -> dict[str, Any]:
    """The resource's own configuration dict, which is how ``vertex_of`` finds its vertex."""
    bodies = (attributes.get("config_") or {}).get("aws_s3_bucket_policy") or {}
    return next(iter(bodies.values()), {"__address__": attributes.get("__address__")})


def denies_plain_http(statement: dict[str, Any]) -> bool:
    if statement.get("Effect") != "Deny":
        return False
    if statement.get("Principal") not in ("*", {"AWS": "*"}, {"AWS": ["*"]}):
        return False
    if not ALL_S3_ACTIONS & set(as_list(statement.get("Action"))):
        return False
    for test, variables in (statement.get("Condition") or {}).items():
        if test != "Bool" or not isinstance(variables, dict):
            continue
        for variable, values in variables.items():
            if variable.lower() == "aws:securetransport":
                return [str(value).lower() for value in as_list(values)] == ["false"]
    return False


check = S3BucketTlsOnly()
