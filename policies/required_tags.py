"""CKV_BLUEPRINT_1: every taggable resource carries the owner, service and environment tags.

Only a plan can judge the values. It holds each resource's ``tags_all``: the resource's own tags
merged over the provider's ``default_tags``, which is where owner and environment come from. The
HCL of a module cannot see the default tags of whichever root calls it, so on HCL the check asks
only what the code can answer: does the resource take tags at all? One without a ``tags``
argument can never receive the service tag, which only its caller knows.

Taggable types are checkov's list for current providers. A type that takes tags only in newer
providers than a module supports needs a skip with that reason; its plans have no ``tags_all``,
so they are not judged.
"""

from __future__ import annotations

from typing import Any

from checkov.common.checks_infra.resources_types import resources_types
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from _shared import first, is_plan

REQUIRED_TAGS = ("owner", "service", "environment")


class RequiredTags(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Taggable resources carry the owner, service and environment tags",
            id="CKV_BLUEPRINT_1",
            categories=(CheckCategories.CONVENTION,),
            supported_resources=tuple(resources_types["aws_taggable"]),
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if not is_plan(conf):
            self.evaluated_keys = ["tags"]
            return CheckResult.PASSED if "tags" in conf else CheckResult.FAILED
        # No tags_all: the provider in use cannot tag this type, or the tags are unknown until
        # apply. Neither can be judged here.
        tags = first(conf, "tags_all")
        if not isinstance(tags, dict):
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["tags_all"]
        missing = [name for name in REQUIRED_TAGS if not _text(tags.get(name))]
        return CheckResult.FAILED if missing else CheckResult.PASSED


def _text(value: Any) -> str:
    """A tag value as text; checkov wraps each value of a plan's ``tags_all`` in a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) else ""


check = RequiredTags()
