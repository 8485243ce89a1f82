"""Staging and prod rehearsed on the emulator, S3 backend and lock table included, and the
guards that keep them safe."""

import dataclasses
import json
import shutil
from collections.abc import Iterator

import boto3
import pytest

from blueprint import emulator, jobs
from blueprint import workspace as ws
from blueprint.config import Settings
from blueprint.errors import BlueprintError

pytestmark = pytest.mark.integration

ACCOUNTS = {"staging": "111111111111", "prod": "222222222222"}


@pytest.fixture
def rehearsal(settings: Settings) -> Iterator[Settings]:
    yield dataclasses.replace(settings, rehearse=True, auto_approve=True)
    emulator.stop(settings.emulator_paths)


def aws(settings: Settings, name: str, service: str):
    return boto3.client(
        service, region_name="eu-west-1",
        endpoint_url=emulator.endpoint_for(settings.emulator_port),
        aws_access_key_id=ACCOUNTS[name], aws_secret_access_key="test",
    )  # fmt: skip


def set_input(settings: Settings, name: str, old: str, new: str) -> None:
    tfvars = settings.project_root / "envs" / name / "terraform.tfvars"
    text = tfvars.read_text()
    assert old in text
    tfvars.write_text(text.replace(old, new))


def state_in_backend(settings: Settings, name: str) -> dict:
    body = aws(settings, name, "s3").get_object(
        Bucket=f"blueprint-terraform-state-{ACCOUNTS[name]}", Key=f"{name}/terraform.tfstate"
    )["Body"]
    return json.loads(body.read())


def test_staging_end_to_end(rehearsal: Settings) -> None:
    planned = jobs.plan(rehearsal, "staging").summary
    assert planned.to_add > 0
    assert jobs.apply(rehearsal, "staging") == planned
    state = state_in_backend(rehearsal, "staging")
    assert state["resources"], "the state must live in the emulator's S3 backend"
    buckets = [b["Name"] for b in aws(rehearsal, "staging", "s3").list_buckets()["Buckets"]]
    assert "blueprint-staging-files-111111111111" in buckets
    assert not jobs.plan(rehearsal, "staging").summary.has_changes
    jobs.destroy(rehearsal, "staging")
    assert state_in_backend(rehearsal, "staging")["resources"] == []
    assert aws(rehearsal, "staging", "rds").describe_db_instances()["DBInstances"] == []


def test_prod_end_to_end_keeps_its_data_unless_told(rehearsal: Settings) -> None:
    jobs.plan(rehearsal, "prod")
    jobs.apply(rehearsal, "prod")
    assert not jobs.plan(rehearsal, "prod").summary.has_changes

    with pytest.raises(BlueprintError, match="destroys or replaces data in prod"):
        jobs.destroy(rehearsal, "prod")
    assert aws(rehearsal, "prod", "rds").describe_db_instances()["DBInstances"]

    # Tearing prod down takes two deliberate steps: lift deletion protection, then destroy.
    set_input(
        rehearsal,
        "prod",
        "backup_retention_days     = 14",
        ("backup_retention_days     = 14\n  deletion_protection       = false"),
    )
    jobs.plan(rehearsal, "prod")
    jobs.apply(rehearsal, "prod")
    jobs.destroy(dataclasses.replace(rehearsal, allow_data_loss=True), "prod")
    rds = aws(rehearsal, "prod", "rds")
    assert rds.describe_db_instances()["DBInstances"] == []
    snapshots = rds.describe_db_snapshots()["DBSnapshots"]
    assert [s["DBSnapshotIdentifier"] for s in snapshots] == ["blueprint-prod-final"]


def test_apply_takes_only_a_current_reviewed_plan(rehearsal: Settings) -> None:
    with pytest.raises(BlueprintError, match="applies only a current plan saved by 'make plan"):
        jobs.apply(rehearsal, "staging")
    jobs.plan(rehearsal, "staging")
    set_input(rehearsal, "staging", "platform-team", "data-team")
    with pytest.raises(BlueprintError, match="applies only a current plan"):
        jobs.apply(rehearsal, "staging")


def test_plan_made_for_another_environment_is_refused(rehearsal: Settings) -> None:
    jobs.plan(rehearsal, "staging")
    staging = rehearsal.project_root / "envs/staging/.terraform-rehearsal"
    prod = rehearsal.project_root / "envs/prod/.terraform-rehearsal"
    prod.mkdir(parents=True, exist_ok=True)
    for name in (jobs.PLAN_FILE, jobs.PLAN_RECORD):
        shutil.copy(staging / name, prod / name)
    with pytest.raises(BlueprintError, match="was made for 'staging', not 'prod'"):
        jobs.apply(rehearsal, "prod")


def test_credentials_for_another_account_are_refused(
    rehearsal: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ws, "emulator_access_key", lambda environment: "999999999999")
    with pytest.raises(BlueprintError, match="credentials are for account 999999999999"):
        jobs.plan(rehearsal, "staging")


def test_guarded_apply_needs_a_terminal_or_auto_approve(rehearsal: Settings) -> None:
    asking = dataclasses.replace(rehearsal, auto_approve=False)
    jobs.plan(asking, "staging")
    with pytest.raises(BlueprintError, match="needs confirmation and there is no terminal"):
        jobs.apply(asking, "staging")
