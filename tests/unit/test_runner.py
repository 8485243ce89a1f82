import io
import os
import stat
from pathlib import Path

import pytest

from blueprint import runner
from blueprint.runner import IsFlagged, TerraformRunner


def fake_terraform(tmp_path: Path, script: str) -> str:
    path = tmp_path / "terraform"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


class Sink(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_command_line_follows_python_terraform_conventions(tmp_path: Path) -> None:
    tf = TerraformRunner(tmp_path, "terraform", {})
    argv = tf.argv("plan", input=False, out="p.tfplan", destroy=None, detailed_exitcode=IsFlagged)
    assert argv == ["terraform", "plan", "-input=false", "-out=p.tfplan", "-detailed-exitcode"]


def test_stream_copies_output_and_keeps_exit_status(tmp_path: Path) -> None:
    binary = fake_terraform(
        tmp_path,
        'echo "module.a.aws_kinesis_stream.this: Still creating... [00m10s elapsed]"\n'
        'echo "oops" >&2\nexit 3\n',
    )
    sink = Sink()
    outcome = TerraformRunner(tmp_path, binary, {}).stream("apply", sink=sink)
    assert outcome.returncode == 3
    assert "Still creating" in sink.getvalue() and "oops" in sink.getvalue()
    assert outcome.waiting_on == "module.a.aws_kinesis_stream.this"
    assert outcome.argv[-1] == "-no-color", "no colour codes when output is not a terminal"


def test_extra_environment_reaches_terraform_without_changing_ours(tmp_path: Path) -> None:
    binary = fake_terraform(tmp_path, 'echo "$TF_CLI_CONFIG_FILE"\n')
    outcome = TerraformRunner(tmp_path, binary, {"TF_CLI_CONFIG_FILE": "/x.rc"}).capture("version")
    assert outcome.stdout.strip() == "/x.rc"
    assert os.environ.get("TF_CLI_CONFIG_FILE") != "/x.rc"


def test_timeout_interrupts_once_and_names_the_resource(tmp_path: Path) -> None:
    binary = fake_terraform(
        tmp_path,
        "trap 'echo interrupted; exit 1' INT\n"
        'echo "aws_elastic_beanstalk_environment.this: Still creating... [00m10s elapsed]"\n'
        "while true; do sleep 0.05; done\n",
    )
    outcome = TerraformRunner(tmp_path, binary, {}).stream("apply", timeout_s=0.5, sink=Sink())
    assert outcome.timed_out
    assert outcome.returncode == 1
    assert outcome.waiting_on == "aws_elastic_beanstalk_environment.this"


def test_first_error_is_one_line() -> None:
    text = "\n╷\n│ Error: Invalid value\n│ \n│ The region is not valid.\n╵\n"
    assert runner.first_error(text) == "Error: Invalid value The region is not valid."


def test_require_success_raises_with_terraforms_error() -> None:
    failed = runner.Outcome(["terraform", "x"], 1, 0.1, stderr="Error: boom\nbecause\n")
    with pytest.raises(runner.BlueprintError, match=r"terraform x failed \(exit 1\): Error: boom"):
        runner.require_success(failed, "x")


def test_validation_error_is_condensed_to_its_message_and_place() -> None:
    block = [
        "Error: Invalid value for variable",
        "",
        "  on terraform.tfvars line 11:",
        "  11: services = {",
        "    ├────────────────",
        "    │ var.retention_period_hours is 5",
        "",
        "retention_period_hours must be a whole number from 24 to 8760.",
        "",
        "This was checked by the validation rule at variables.tf:27,3-13.",
    ]
    assert runner.condense_error(block) == (
        "Error: Invalid value for variable (terraform.tfvars line 11): "
        "retention_period_hours must be a whole number from 24 to 8760."
    )
