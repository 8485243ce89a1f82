"""Plan, apply, destroy and output for one environment: what the CLI commands do.

A plan is always saved. ``apply`` uses the saved plan when it was made for the same environment
from the same code and inputs; otherwise it plans first and shows that plan. Terraform itself
refuses a saved plan whose state has moved on.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from blueprint import workspace as ws
from blueprint.config import Settings
from blueprint.errors import BlueprintError
from blueprint.runner import IsFlagged
from blueprint.summary import PlanSummary, summarise

log = logging.getLogger(__name__)

PLAN_FILE = "blueprint.tfplan"
PLAN_RECORD = "blueprint-plan.json"
APPLY_TIMEOUT_ON_EMULATOR_S = 900.0
NO_CHANGES = PlanSummary()


@dataclass(frozen=True)
class PlanResult:
    summary: PlanSummary
    plan_file: Path
    seconds: float


def _plan_paths(workspace: ws.Workspace) -> tuple[Path, Path]:
    return workspace.data_dir / PLAN_FILE, workspace.data_dir / PLAN_RECORD


def _plan_fingerprint(workspace: ws.Workspace) -> str:
    fingerprint = ws.config_fingerprint(workspace.settings, workspace.environment)
    if workspace.emulator is not None:
        fingerprint += ":" + workspace.emulator.instance_id
    return fingerprint


def _timeout(workspace: ws.Workspace) -> float | None:
    # On the emulator nothing should take long; a hang means a missing emulator call.
    return APPLY_TIMEOUT_ON_EMULATOR_S if workspace.emulator is not None else None


def _fail_on(outcome: Any, what: str, workspace: ws.Workspace) -> None:
    if outcome.timed_out:
        raise BlueprintError(
            f"terraform {what} of {workspace.environment.display} was stopped after "
            f"{_timeout(workspace):.0f}s while waiting on {outcome.waiting_on or 'no resource'}; "
            "the emulator may lack an API call it needs (see its log with TF_LOG=DEBUG)"
        )
    if outcome.returncode not in (0, 2):
        raise BlueprintError(
            f"terraform {what} failed for {workspace.environment.display} "
            f"(exit {outcome.returncode}); see the output above"
        )


def make_plan(workspace: ws.Workspace, destroy: bool = False) -> PlanResult:
    plan_file, record = _plan_paths(workspace)
    record.unlink(missing_ok=True)
    outcome = workspace.runner.stream(
        "plan",
        input=False,
        out=str(plan_file.relative_to(workspace.environment.root)),
        destroy=IsFlagged if destroy else None,
        detailed_exitcode=IsFlagged,
        timeout_s=_timeout(workspace),
    )
    _fail_on(outcome, "plan", workspace)
    # -detailed-exitcode: 0 means no changes, so there is nothing to read back.
    summary = (
        summarise(ws.show_json(workspace, plan_file)) if outcome.returncode == 2 else NO_CHANGES
    )
    record.write_text(
        json.dumps({
            "environment": workspace.environment.name,
            "fingerprint": _plan_fingerprint(workspace),
            "destroy": destroy,
            "has_changes": summary.has_changes,
            "created": time.time(),
        })
    )  # fmt: skip
    return PlanResult(summary, plan_file, outcome.seconds)


def saved_plan(workspace: ws.Workspace, destroy: bool = False) -> Path | None:
    """The saved plan when it is current for this environment and has changes, else None.

    A plan with no changes is never reused: Terraform checks a saved plan against the state only
    when it applies one, so a stale "no changes" would hide what changed since.
    """
    plan_file, record_path = _plan_paths(workspace)
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        return None
    current = (
        plan_file.is_file()
        and record.get("environment") == workspace.environment.name
        and record.get("fingerprint") == _plan_fingerprint(workspace)
        and record.get("destroy", False) == destroy
        and record.get("has_changes", False)
    )
    if not current:
        log.info("the saved plan is out of date (code, inputs or emulator changed); planning again")
    return plan_file if current else None


def discard_plan(workspace: ws.Workspace) -> None:
    for path in _plan_paths(workspace):
        path.unlink(missing_ok=True)


def report_plan(workspace: ws.Workspace, summary: PlanSummary, seconds: float) -> None:
    log.info("plan %s: %s (%.1fs)", workspace.environment.display, summary.counts(), seconds)
    for address in summary.stateful_at_risk:
        message = f"DATA AT RISK: {address} will be destroyed or replaced"
        log.warning(click.style(message, fg="red") if sys.stderr.isatty() else message)


def plan(settings: Settings, name: str, destroy: bool = False) -> PlanResult:
    started = time.monotonic()
    workspace = ws.prepare(settings, name)
    result = make_plan(workspace, destroy=destroy)
    report_plan(workspace, result.summary, time.monotonic() - started)
    return result


def _confirm(workspace: ws.Workspace, summary: PlanSummary, verb: str) -> None:
    environment = workspace.environment
    if not environment.asks_before_changes or workspace.settings.auto_approve:
        return
    if not sys.stdin.isatty():
        raise BlueprintError(
            f"{verb} of {environment.display} needs confirmation and there is no terminal; "
            "set AUTO_APPROVE=1 (or --auto-approve) for automation"
        )
    click.confirm(
        f"{verb} {environment.display}: {summary.counts()}. Go ahead?", abort=True, err=True
    )


def _apply(settings: Settings, name: str, destroy: bool) -> PlanSummary:
    verb = "destroy" if destroy else "apply"
    started = time.monotonic()
    workspace = ws.prepare(settings, name)
    plan_file = saved_plan(workspace, destroy=destroy)
    if plan_file is None:
        result = make_plan(workspace, destroy=destroy)
        plan_file, summary = result.plan_file, result.summary
    else:
        log.info("using the saved plan %s", plan_file.relative_to(workspace.settings.project_root))
        summary = summarise(ws.show_json(workspace, plan_file))
    report_plan(workspace, summary, time.monotonic() - started)
    if not summary.has_changes:
        discard_plan(workspace)
        log.info("%s %s: no changes (%.1fs)", verb, workspace.environment.display,
                 time.monotonic() - started)  # fmt: skip
        return summary
    _confirm(workspace, summary, verb)
    outcome = workspace.runner.stream(
        "apply", str(plan_file), input=False, timeout_s=_timeout(workspace)
    )
    discard_plan(workspace)
    ws.record_local_state(workspace)
    _fail_on(outcome, verb, workspace)
    log.info("%s %s: %s (%.1fs)", verb, workspace.environment.display, summary.done(),
             time.monotonic() - started)  # fmt: skip
    return summary


def apply(settings: Settings, name: str) -> PlanSummary:
    return _apply(settings, name, destroy=False)


def destroy(settings: Settings, name: str) -> PlanSummary:
    return _apply(settings, name, destroy=True)


def outputs(settings: Settings, name: str) -> dict[str, Any]:
    """The root's outputs by name; values Terraform marks sensitive are withheld."""
    workspace = ws.prepare(settings, name)
    outcome = workspace.runner.capture("output", json=IsFlagged, no_color=IsFlagged)
    if outcome.returncode != 0:
        raise BlueprintError(f"terraform output failed for {workspace.environment.display}")
    values = json.loads(outcome.stdout or "{}")
    return {
        key: "(sensitive)" if item.get("sensitive") else item.get("value")
        for key, item in values.items()
    }
