import subprocess
import sys
from pathlib import Path

TERRAFORM = Path(sys.executable).parent / "terraform"


def test_shim_runs_the_bundled_terraform() -> None:
    result = subprocess.run(
        [TERRAFORM, "version"], capture_output=True, text=True, check=False,
        env={"CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": "/dev/null"},
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stdout.startswith("Terraform v1.15.")


def test_shim_passes_exit_status_and_stderr_through() -> None:
    result = subprocess.run(
        [TERRAFORM, "no-such-command"], capture_output=True, text=True, check=False,
        env={"CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": "/dev/null"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "no-such-command" in result.stderr


def test_shim_reads_stdin(tmp_path: Path) -> None:
    result = subprocess.run(
        [TERRAFORM, "fmt", "-"], input='a   =   "b"\n', capture_output=True, text=True,
        check=False, env={"CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": "/dev/null"},
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stdout == 'a = "b"\n'
