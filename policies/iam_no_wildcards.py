"""CKV_BLUEPRINT_2: identity policies allow no "*" actions, and no writes on "*" resources.

An Allow statement fails when it grants every action ("*"), every action of a service ("s3:*"),
or everything but a list (NotAction); or when, on every resource ("*", or NotResource), it grants
an action of the Write, Permissions management or Tagging access level that IAM lets a policy
scope to resources. Actions IAM cannot scope (xray:PutTraceSegments) may use "*"; reads may too.
Access levels and scoping come from policy_sentry's IAM database, pinned with checkov.

Covers the identity policies of roles, users and groups, written as JSON, with ``jsonencode`` or
through an ``aws_iam_policy_document``. A document that is unknown until apply is not judged.
"""

from __future__ import annotations

import re
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from policy_sentry.analysis.expand import determine_actions_to_expand
from policy_sentry.querying.actions import get_action_data

from _shared import as_list, blocks, first, policy_document, statements

WILDCARD_ACTION = re.compile(r"^(\*|[a-z0-9-]+:\*)$", re.IGNORECASE)
WRITE_LEVELS = frozenset({"Write", "Permissions management", "Tagging"})
POLICY_RESOURCES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy",
                    "aws_iam_group_policy")  # fmt: skip


class IamNoWildcards(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name='IAM policies allow no "*" actions and no writes on "*" resources',
            id="CKV_BLUEPRINT_2",
            categories=(CheckCategories.IAM,),
            supported_resources=(*POLICY_RESOURCES, "aws_iam_role"),
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if self.entity_type == "aws_iam_role":
            self.evaluated_keys = ["inline_policy"]
            inline = blocks(conf, "inline_policy")
            values = [first(block, "policy") for block in inline if "policy" in block]
        else:
            self.evaluated_keys = ["policy"]
            values = [first(conf, "policy")]
        documents = [policy_document(self.graph, conf, value) for value in values]
        # Nothing to judge: a role without inline policies, or a document unknown until apply.
        if not documents or any(document is None for document in documents):
            return CheckResult.UNKNOWN
        for document in documents:
            if any(too_broad(statement) for statement in statements(document)):
                return CheckResult.FAILED
        return CheckResult.PASSED


def too_broad(statement: dict[str, Any]) -> bool:
    if statement.get("Effect", "Allow") != "Allow":
        return False
    if "NotAction" in statement:
        return True
    actions = [action for action in as_list(statement.get("Action")) if isinstance(action, str)]
    if any(WILDCARD_ACTION.match(action) for action in actions):
        return True
    every_resource = "*" in as_list(statement.get("Resource")) or "NotResource" in statement
    return every_resource and bool(scopable_writes(actions))


def scopable_writes(actions: list[str]) -> list[str]:
    """The actions, wildcards expanded, that write and could have been scoped to resources."""
    found = []
    for action in determine_actions_to_expand(actions):
        service, _, name = action.partition(":")
        entries = get_action_data(service, name).get(service, [])
        writes = any(entry["access_level"] in WRITE_LEVELS for entry in entries)
        if writes and any(entry["resource_arn_format"] != "*" for entry in entries):
            found.append(action)
    return found


check = IamNoWildcards()
