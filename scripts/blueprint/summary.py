"""What a saved plan will do, read from ``terraform show -json``: counts and risky changes.

Only resource addresses and action names are read, never attribute values, so nothing secret can
reach a summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Resources whose loss loses data: destroying or replacing one is called out.
STATEFUL_TYPES = frozenset({
    "aws_db_instance", "aws_rds_cluster", "aws_s3_bucket", "aws_kinesis_stream",
    "aws_dynamodb_table", "aws_secretsmanager_secret", "aws_kms_key",
})  # fmt: skip


@dataclass(frozen=True)
class PlanSummary:
    to_add: int = 0
    to_change: int = 0
    to_destroy: int = 0
    replaced: tuple[str, ...] = ()
    destroyed: tuple[str, ...] = ()
    stateful_at_risk: tuple[str, ...] = field(default=())

    @property
    def has_changes(self) -> bool:
        return bool(self.to_add or self.to_change or self.to_destroy)

    def counts(self) -> str:
        return f"{self.to_add} to add, {self.to_change} to change, {self.to_destroy} to destroy"

    def done(self) -> str:
        return f"{self.to_add} added, {self.to_change} changed, {self.to_destroy} destroyed"

    def as_dict(self) -> dict[str, Any]:
        return {
            "add": self.to_add,
            "change": self.to_change,
            "destroy": self.to_destroy,
            "replaced": list(self.replaced),
            "destroyed": list(self.destroyed),
            "stateful_at_risk": list(self.stateful_at_risk),
        }


def summarise(plan: dict[str, Any]) -> PlanSummary:
    add = change = destroy = 0
    replaced: list[str] = []
    destroyed: list[str] = []
    at_risk: list[str] = []
    for resource in plan.get("resource_changes", []):
        if resource.get("mode") == "data":
            continue
        actions = resource.get("change", {}).get("actions", [])
        address = resource.get("address", "?")
        if "create" in actions:
            add += 1
        if "delete" in actions:
            destroy += 1
            (replaced if "create" in actions else destroyed).append(address)
            if resource.get("type") in STATEFUL_TYPES:
                at_risk.append(address)
        if actions == ["update"]:
            change += 1
    return PlanSummary(add, change, destroy, tuple(replaced), tuple(destroyed), tuple(at_risk))
