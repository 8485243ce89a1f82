"""CKV_BLUEPRINT_5: nothing is open to the whole internet except HTTP and HTTPS.

An ingress rule from 0.0.0.0/0 or ::/0 passes only for TCP on port 80 or 443 alone: what the load
balancers serve. Every other port, a port range, or all protocols fails. Covers the inline
``ingress`` blocks of security groups (default ones too) and the separate rule resources of
every provider version. Ports that stay unresolved in HCL are judged on the plan.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from _shared import as_int, as_list, blocks, first

EVERYWHERE = frozenset({"0.0.0.0/0", "::/0"})
PUBLIC_PORTS = frozenset({80, 443})
TCP = frozenset({"tcp", "6"})


class SecurityGroupPublicIngress(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Security groups admit the internet on ports 80 and 443 only",
            id="CKV_BLUEPRINT_5",
            categories=(CheckCategories.NETWORKING,),
            supported_resources=(
                "aws_security_group",
                "aws_default_security_group",
                "aws_security_group_rule",
                "aws_vpc_security_group_ingress_rule",
            ),
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if self.entity_type == "aws_security_group_rule":
            if first(conf, "type") != "ingress":
                return CheckResult.UNKNOWN
            rules = [_flat(conf)]
        elif self.entity_type == "aws_vpc_security_group_ingress_rule":
            rule = _flat(conf)
            rules = [{
                "cidr_blocks": rule.get("cidr_ipv4"),
                "ipv6_cidr_blocks": rule.get("cidr_ipv6"),
                "protocol": rule.get("ip_protocol"),
                "from_port": rule.get("from_port"),
                "to_port": rule.get("to_port"),
            }]  # fmt: skip
        else:
            rules = [_flat(block) for block in blocks(conf, "ingress")]
        self.evaluated_keys = ["ingress"] if "ingress" in conf else ["cidr_blocks", "from_port"]
        verdicts = [_verdict(rule) for rule in rules]
        if CheckResult.FAILED in verdicts:
            return CheckResult.FAILED
        return CheckResult.UNKNOWN if CheckResult.UNKNOWN in verdicts else CheckResult.PASSED


def _flat(block: dict[str, Any]) -> dict[str, Any]:
    return {key: first(block, key) for key in block}


def _verdict(rule: dict[str, Any]) -> CheckResult:
    sources = {*as_list(rule.get("cidr_blocks")), *as_list(rule.get("ipv6_cidr_blocks"))}
    if not sources & EVERYWHERE:
        return CheckResult.PASSED
    protocol = str(rule.get("protocol")).lower()
    low, high = as_int(rule.get("from_port")), as_int(rule.get("to_port"))
    if protocol in TCP and low is not None and low == high and low in PUBLIC_PORTS:
        return CheckResult.PASSED
    if protocol in TCP and (low is None or high is None):
        return CheckResult.UNKNOWN
    return CheckResult.FAILED


check = SecurityGroupPublicIngress()
