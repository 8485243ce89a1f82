"""Concurrent and interrupted runs leave a consistent state that the next run converges from."""

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from blueprint import emulator, jobs
from blueprint.config import Settings

pytestmark = pytest.mark.integration

BLUEPRINT = Path(sys.executable).parent / "blueprint"


@pytest.fixture
def isolated(settings: Settings) -> Iterator[Settings]:
    yield settings
    emulator.stop(settings.emulator_paths)


def start_cli(settings: Settings, *args: str, log: Path) -> subprocess.Popen:
    command = [
        str(BLUEPRINT), "--root", str(settings.project_root), "--home", str(settings.home),
        "--emulator-port", str(settings.emulator_port), *args,
    ]  # fmt: skip
    env = {**os.environ, "AUTO_APPROVE": "1"}
    return subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=log.open("w"), env=env, preexec_fn=default_interrupt,
    )  # fmt: skip


def default_interrupt() -> None:
    """A test runner started in the background ignores SIGINT, and children inherit that; a
    user's terminal does not, which is what these tests stand for."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(log: Path, text: str, process: subprocess.Popen, limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if text in log.read_text():
            return
        assert process.poll() is None, f"exited before {text!r}:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)
    pytest.fail(f"{text!r} did not appear within {limit}s")


def test_second_run_fails_on_the_lock_and_state_stays_intact(
    isolated: Settings, tmp_path: Path
) -> None:
    rehearsal = dataclasses.replace(isolated, rehearse=True, auto_approve=True)
    jobs.plan(rehearsal, "staging")
    first_log = tmp_path / "first.log"
    first = start_cli(isolated, "--rehearse", "apply", "staging", log=first_log)
    wait_for(first_log, "Still creating", first)

    second = subprocess.run(
        [str(BLUEPRINT), "--root", str(isolated.project_root), "--home", str(isolated.home),
         "--emulator-port", str(isolated.emulator_port), "--rehearse", "plan", "staging"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip

    assert second.returncode == 1
    assert "is locked by another Terraform run" in second.stderr
    assert first.wait(timeout=600) == 0, first_log.read_text()[-3000:]
    assert not jobs.plan(rehearsal, "staging").summary.has_changes
    jobs.destroy(rehearsal, "staging")


def emulator_inventory(settings: Settings) -> set[str]:
    def client(service: str):
        return boto3.client(
            service, region_name="us-east-1",
            endpoint_url=emulator.endpoint_for(settings.emulator_port),
            aws_access_key_id="test", aws_secret_access_key="test",
        )  # fmt: skip

    return {
        *(f"bucket:{b['Name']}" for b in client("s3").list_buckets()["Buckets"]),
        *(f"stream:{s}" for s in client("kinesis").list_streams()["StreamNames"]),
        *(f"db:{d['DBInstanceIdentifier']}"
          for d in client("rds").describe_db_instances()["DBInstances"]),
        *(f"vpc:{v['VpcId']}" for v in client("ec2").describe_vpcs()["Vpcs"] if not v["IsDefault"]),
    }  # fmt: skip


def state_inventory(settings: Settings) -> set[str]:
    state = json.loads((settings.project_root / "envs/local/terraform.tfstate").read_text())
    kinds = {
        "aws_s3_bucket": ("bucket", "id"), "aws_kinesis_stream": ("stream", "name"),
        "aws_db_instance": ("db", "identifier"), "aws_vpc": ("vpc", "id"),
    }  # fmt: skip
    found = set()
    for resource in state["resources"]:
        if resource["mode"] == "managed" and resource["type"] in kinds:
            prefix, key = kinds[resource["type"]]
            found.update(f"{prefix}:{i['attributes'][key]}" for i in resource["instances"])
    return found


def test_interrupted_apply_leaves_no_unknown_resource(isolated: Settings, tmp_path: Path) -> None:
    log = tmp_path / "apply.log"
    run = start_cli(isolated, "apply", "local", log=log)
    # Early, while most resources are not started yet.
    wait_for(log, ": Creating...", run)
    run.send_signal(signal.SIGINT)
    assert run.wait(timeout=600) != 0, log.read_text()[-3000:]
    output = log.read_text()
    assert "asking terraform to stop cleanly" in output
    assert "Two interrupts received" not in output, "terraform must get exactly one interrupt"

    # Everything the emulator holds is in the state, so nothing is orphaned...
    assert emulator_inventory(isolated) <= state_inventory(isolated)
    # ...and the next apply converges.
    jobs.apply(isolated, "local")
    assert not jobs.plan(isolated, "local").summary.has_changes
    assert emulator_inventory(isolated) == state_inventory(isolated)
    jobs.destroy(isolated, "local")
    assert emulator_inventory(isolated) == set()
