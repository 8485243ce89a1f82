"""Proof that an emulator run talks to nothing but 127.0.0.1.

The whole local lifecycle runs inside a fresh network namespace whose only interface is
loopback: any call the provider or Terraform made to a real AWS endpoint, a registry or a metadata
address would fail there, and so would the run.
"""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blueprint.config import Settings

pytestmark = pytest.mark.integration

BLUEPRINT = Path(sys.executable).parent / "blueprint"


def namespace_available() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not namespace_available(), reason="needs unshare --net (root or userns)")
def test_local_lifecycle_runs_with_loopback_only(settings: Settings) -> None:
    cli = shlex.join([
        str(BLUEPRINT), "--root", str(settings.project_root), "--home", str(settings.home),
        "--emulator-port", str(settings.emulator_port),
    ])  # fmt: skip
    # Packaging fetches wheels from PyPI: a build step, done before the emulator run.
    subprocess.run([*shlex.split(cli), "package", "local"], check=True, capture_output=True)
    script = (
        "set -u; ip link set lo up; ip -o link show | awk '{print $2}' > interfaces; "
        f"{cli} apply local && {cli} plan local --detailed-exitcode && {cli} destroy local; "
        f"status=$?; {cli} emulator stop; exit $status"
    )
    result = subprocess.run(
        ["unshare", "--net", "sh", "-c", script],
        cwd=settings.project_root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert (settings.project_root / "interfaces").read_text().split() == ["lo:"]
    assert result.returncode == 0, result.stderr[-3000:]
    added = re.search(r"apply envs/local: (\d+) added", result.stderr)
    assert added and int(added[1]) > 0, result.stderr[-3000:]
    assert f"destroy envs/local: 0 added, 0 changed, {added[1]} destroyed" in result.stderr
