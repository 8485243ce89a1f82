from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint.cli import main


def run(project: Path, home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["--root", str(project), "--home", str(home), "--emulator-port", "4999", *args]
    )
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "edit", "message"),
    [
        (["plan", "qa"], None, "unknown environment 'qa'"),
        (["apply", "nope"], None, "unknown environment 'nope'"),
        (["plan", "local"], ("local", "region = \n"), "line 1, column 10: invalid HCL syntax"),
        (["apply", "local"], ("local", 'colour = "red"\n'), "sets colour, which the environment"),
        (["destroy", "prod"], ("prod", None), "envs/prod/terraform.tfvars is missing"),
        (["bootstrap", "local"], None, "envs/local keeps its state locally; bootstrap is for"),
        (["bootstrap", "qa"], None, "unknown environment 'qa'"),
        (["package", "nope"], None, "unknown environment 'nope'"),
        (["policy", "nope"], None, "unknown environment 'nope'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    project: Path, tmp_path: Path, args: list[str], edit: tuple | None, message: str
) -> None:
    if edit is not None:
        name, text = edit
        tfvars = project / "envs" / name / "terraform.tfvars"
        if text is None:
            tfvars.unlink()
        else:
            tfvars.write_text(text)
    home = tmp_path / "home"
    code, output = run(project, home, *args)
    assert code == 1
    assert message in output
    assert output.count("\n") == 1, f"expected one line, got: {output!r}"
    assert "Traceback" not in output
    assert not home.exists(), "nothing may be set up or started for bad input"
    assert not list(project.glob("envs/*/.terraform")), "no environment may be initialised"


def test_environments_are_listed(project: Path, tmp_path: Path) -> None:
    code, output = run(project, tmp_path / "home", "envs")
    assert code == 0
    assert output.split() == ["local", "prod", "staging"]


def test_emulator_status_when_stopped(project: Path, tmp_path: Path) -> None:
    code, output = run(project, tmp_path / "home", "emulator", "status")
    assert code == 1
    assert "not running" in output


def test_bootstrap_needs_a_complete_backend_file(project: Path, tmp_path: Path) -> None:
    (project / "envs/staging/backend.hcl").write_text('bucket = "only-a-bucket"\n')
    code, output = run(project, tmp_path / "home", "bootstrap", "staging")
    assert code == 1
    assert "envs/staging/backend.hcl must set dynamodb_table, region" in output
    assert not (tmp_path / "home").exists()


def test_emulator_port_out_of_range_is_refused(project: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(project), "--emulator-port", "80", "envs"])
    assert result.exit_code == 2
    assert "80 is not in the range 1024<=x<=65535" in result.output


def test_no_credentials_refuses_without_asking_instance_metadata(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    asked: list[str] = []
    import botocore.utils

    def refuse(self, *args, **kwargs):
        asked.append(type(self).__name__)
        raise AssertionError("instance metadata must not be asked")

    monkeypatch.setattr(
        botocore.utils.InstanceMetadataFetcher, "retrieve_iam_role_credentials", refuse
    )
    monkeypatch.setattr(botocore.utils.ContainerMetadataFetcher, "retrieve_full_uri", refuse)
    code, output = run(project, tmp_path / "home", "plan", "staging")
    assert code == 1
    assert "no AWS credentials found" in output
    assert asked == []
