"""CKV_BLUEPRINT_4: every CloudWatch log group expires its events.

A log group without ``retention_in_days`` (or with 0) keeps every event forever and is billed for
it. A value that stays unresolved in HCL (an input without a default) is judged on the plan.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from _shared import as_int, first


class LogGroupRetention(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="CloudWatch log groups have a retention period",
            id="CKV_BLUEPRINT_4",
            categories=(CheckCategories.LOGGING,),
            supported_resources=("aws_cloudwatch_log_group",),
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["retention_in_days"]
        value = first(conf, "retention_in_days")
        if value is None:
            return CheckResult.FAILED
        days = as_int(value)
        if days is None:
            return CheckResult.UNKNOWN
        return CheckResult.PASSED if days > 0 else CheckResult.FAILED


check = LogGroupRetention()
