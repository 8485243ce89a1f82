"""Plan, apply, destroy, output and bootstrap: what the CLI commands do.

A plan is always saved. In ``local``, ``apply`` uses the saved plan when it is current and
otherwise plans first. Staging and prod are guarded: ``apply`` takes only a current plan saved by
``plan`` for that environment, asks before changing anything (unless auto-approved), and prod
refuses to destroy or replace a stateful resource unless data loss is explicitly allowed.
Terraform itself refuses a saved plan whose state has moved on.
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
from blueprint.runner import IsFlagged, Outcome
from blueprint.summary import PlanSummary, summarise

log = logging.getLogger(__name__)

PLAN_FILE = "blueprint.tfplan"
PLAN_RECORD = "blueprint-plan.json"
APPLY_TIMEOUT_ON_EMULATOR_S = 900.0
NO_CHANGES = PlanSummary()
# Environments where destroying or replacing data needs --allow-data-loss.
DATA_GUARDED_ENVIRONMENTS = frozenset({"prod"})


@dataclass(frozen=True)
class PlanResult:
    summary: PlanSummary
    plan_file: Path
    seconds: float


def _plan_paths(workspace: ws.Workspace) -> tuple[Path, Path]:
    return workspace.data_dir / PLAN_FILE, workspace.data_dir / PLAN_RECORD


def _plan_fingerprint(workspace: ws.Workspace) -> str:
    fingerprint = ws.config_fingerprint(workspace.settings, workspace.root)
    if workspace.emulator is not None:
        fingerprint += ":" + workspace.emulator.instance_id
    return fingerprint


def _timeout(workspace: ws.Workspace) -> float | None:
    # On the emulator nothing should take long; a hang means a missing emulator call.
    return APPLY_TIMEOUT_ON_EMULATOR_S if workspace.emulator is not None else None


def plan_command(workspace: ws.Workspace) -> str:
    """The make command that plans this workspace again, rehearsal included."""
    rehearse = " REHEARSE=1" if workspace.rehearsal else ""
    return f"make plan ENV={workspace.environment.name}{rehearse}"


def _fail_on(outcome: Outcome, what: str, workspace: ws.Workspace) -> None:
    if outcome.timed_out:
        raise BlueprintError(
            f"terraform {what} of {workspace.label} was stopped after "
            f"{_timeout(workspace):.0f}s while waiting on {outcome.waiting_on or 'no resource'}; "
            "the emulator may lack an API call it needs (rerun with TF_LOG=DEBUG to see it)"
        )
    if outcome.returncode in (0, 2):
        return
    if outcome.error and "Error acquiring the state lock" in outcome.error:
        raise BlueprintError(
            f"the state of {workspace.label} is locked by another Terraform run; wait for it to "
            "finish (a remote lock left by a run that died: 'terraform force-unlock', ID above)"
        )
    if outcome.error and "Saved plan is stale" in outcome.error:
        raise BlueprintError(
            f"the saved plan of {workspace.label} is stale: the state changed since it was "
            f"made; run '{plan_command(workspace)}' again"
        )
    detail = outcome.error or "see the output above"
    raise BlueprintError(
        f"terraform {what} failed for {workspace.label} (exit {outcome.returncode}): {detail}"
    )


def make_plan(workspace: ws.Workspace, destroy: bool = False) -> PlanResult:
    plan_file, record = _plan_paths(workspace)
    record.unlink(missing_ok=True)
    outcome = workspace.runner.stream(
        "plan",
        input=False,
        out=str(plan_file),
        destroy=IsFlagged if destroy else None,
        detailed_exitcode=IsFlagged,
        timeout_s=_timeout(workspace),
        env=workspace.plan_environment(),
    )
    # The plan file holds the run's variable values, secrets included: owner-only.
    if plan_file.exists():
        plan_file.chmod(0o600)
    _fail_on(outcome, "plan", workspace)
    # -detailed-exitcode: 0 means no changes, so there is nothing to read back.
    summary = (
        summarise(ws.show_json(workspace, plan_file)) if outcome.returncode == 2 else NO_CHANGES
    )
    record.write_text(
        json.dumps({
            "environment": workspace.environment.name,
            "label": workspace.label,
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
    when it applies one, so a stale "no changes" would hide what changed since. A plan made for
    another environment is an error, not a reason to plan again.
    """
    plan_file, record_path = _plan_paths(workspace)
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        return None
    if record.get("environment") != workspace.environment.name:
        raise BlueprintError(
            f"the saved plan in {workspace.data_dir} was made for {record.get('environment')!r}, "
            f"not {workspace.environment.name!r}; delete it and run '{plan_command(workspace)}'"
        )
    if record.get("destroy", False) != destroy or not record.get("has_changes", False):
        return None
    current = plan_file.is_file() and record.get("fingerprint") == _plan_fingerprint(workspace)
    if not current:
        log.info("the saved plan is out of date (code, inputs or emulator changed since)")
    return plan_file if current else None


def discard_plan(workspace: ws.Workspace) -> None:
    for path in _plan_paths(workspace):
        path.unlink(missing_ok=True)


def report_plan(workspace: ws.Workspace, summary: PlanSummary, seconds: float) -> None:
    log.info("plan %s: %s (%.1fs)", workspace.label, summary.counts(), seconds)
    for address in summary.stateful_at_risk:
        message = f"DATA AT RISK: {address} will be destroyed or replaced"
        log.warning(click.style(message, fg="red") if sys.stderr.isatty() else message)


def plan(settings: Settings, name: str, destroy: bool = False) -> PlanResult:
    started = time.monotonic()
    workspace = ws.prepare(settings, name)
    result = make_plan(workspace, destroy=destroy)
    report_plan(workspace, result.summary, time.monotonic() - started)
    return result


def _check_data_loss(workspace: ws.Workspace, summary: PlanSummary) -> None:
    name = workspace.environment.name
    if (
        name in DATA_GUARDED_ENVIRONMENTS
        and summary.stateful_at_risk
        and not (workspace.settings.allow_data_loss)
    ):
        raise BlueprintError(
            f"the plan destroys or replaces data in {name}: "
            f"{', '.join(summary.stateful_at_risk)}; if that is intended, run again with "
            "ALLOW_DATA_LOSS=1 (or --allow-data-loss)"
        )


def _confirm(workspace: ws.Workspace, summary: PlanSummary, verb: str) -> None:
    if not workspace.environment.is_guarded or workspace.settings.auto_approve:
        return
    if not sys.stdin.isatty():
        raise BlueprintError(
            f"{verb} of {workspace.label} needs confirmation and there is no terminal; "
            "set AUTO_APPROVE=1 (or --auto-approve) for automation"
        )
    click.confirm(
        f"{verb} {workspace.label} in account {workspace.account}: {summary.counts()}. Go ahead?",
        abort=True,
        err=True,
    )


def apply_workspace(
    workspace: ws.Workspace, destroy: bool, saved_only: bool = False, confirmed: bool = False
) -> PlanSummary:
    verb = "destroy" if destroy else "apply"
    started = time.monotonic()
    plan_file = saved_plan(workspace, destroy=destroy)
    if plan_file is None and saved_only:
        # Without a reviewed plan there is nothing to apply; a fresh plan only tells whether
        # there was anything to review, and is thrown away either way.
        fresh = make_plan(workspace, destroy=destroy)
        discard_plan(workspace)
        if not fresh.summary.has_changes:
            log.info("%s %s: no changes", verb, workspace.label)
            return fresh.summary
        raise BlueprintError(
            f"{workspace.label} applies only a current plan saved by '{plan_command(workspace)}' "
            f"and there are changes to review ({fresh.summary.counts()}); run it, then apply"
        )
    if plan_file is None:
        result = make_plan(workspace, destroy=destroy)
        plan_file, summary = result.plan_file, result.summary
    else:
        log.info("using the saved plan %s", plan_file)
        summary = summarise(ws.show_json(workspace, plan_file))
    report_plan(workspace, summary, time.monotonic() - started)
    if not summary.has_changes:
        discard_plan(workspace)
        return summary
    _check_data_loss(workspace, summary)
    if not confirmed:
        _confirm(workspace, summary, verb)
    outcome = workspace.runner.stream(
        "apply", str(plan_file), input=False, timeout_s=_timeout(workspace)
    )
    discard_plan(workspace)
    ws.record_local_state(workspace)
    _fail_on(outcome, verb, workspace)
    log.info("%s %s: %s (%.1fs)", verb, workspace.label, summary.done(),
             time.monotonic() - started)  # fmt: skip
    return summary


def apply(settings: Settings, name: str) -> PlanSummary:
    workspace = ws.prepare(settings, name)
    return apply_workspace(workspace, destroy=False, saved_only=workspace.environment.is_guarded)


def destroy(settings: Settings, name: str) -> PlanSummary:
    return apply_workspace(ws.prepare(settings, name), destroy=True)


def bootstrap(settings: Settings, name: str) -> dict[str, str]:
    """Create (or converge) the state backend of ``name``'s account; return backend settings."""
    workspace = ws.prepare_bootstrap(settings, name)
    apply_workspace(workspace, destroy=False)
    (workspace.root / ws.IMPORTS_FILE).unlink(missing_ok=True)
    backend = workspace.environment.backend_settings()
    return {key: str(backend[key]) for key in ("bucket", "dynamodb_table", "region")}


def outputs(settings: Settings, name: str) -> dict[str, Any]:
    """The root's outputs by name; values Terraform marks sensitive are withheld."""
    workspace = ws.prepare(settings, name, package=False)
    outcome = workspace.runner.capture("output", json=IsFlagged, no_color=IsFlagged)
    if outcome.returncode != 0:
        raise BlueprintError(f"terraform output failed for {workspace.label}")
    values = json.loads(outcome.stdout or "{}")
    return {
        key: "(sensitive)" if item.get("sensitive") else item.get("value")
        for key, item in values.items()
    }


def drift(settings: Settings, names: list[str]) -> dict[str, str]:
    """Plan each environment: "in sync", "drifted", or "error: ..." when it could not be planned.

    One environment that cannot be planned (no credentials, say) does not hide the others.
    """
    results = {}
    for name in names:
        try:
            result = plan(settings, name)
        except BlueprintError as error:
            results[name] = f"error: {error.message}"
            continue
        results[name] = "drifted" if result.summary.has_changes else "in sync"
    return results
