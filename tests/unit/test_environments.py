from pathlib import Path

import pytest

from blueprint import environments
from blueprint.errors import BlueprintError


def test_the_three_environments_exist(project: Path) -> None:
    assert environments.available(project / "envs") == ["local", "prod", "staging"]


def test_unknown_environment_names_the_choices(project: Path) -> None:
    choices = r"unknown environment 'qa'; choose one of: local, prod, staging"
    with pytest.raises(BlueprintError, match=choices):
        environments.load(project / "envs", "qa")


@pytest.mark.parametrize("name", ["../local", "Local", "shared", ""])
def test_odd_names_are_unknown(project: Path, name: str) -> None:
    with pytest.raises(BlueprintError, match="unknown environment"):
        environments.load(project / "envs", name)


def test_missing_tfvars(project: Path) -> None:
    (project / "envs/staging/terraform.tfvars").unlink()
    with pytest.raises(BlueprintError, match=r"envs/staging/terraform.tfvars is missing"):
        environments.load(project / "envs", "staging")


def test_malformed_tfvars_names_file_and_line(project: Path) -> None:
    tfvars = project / "envs/local/terraform.tfvars"
    tfvars.write_text('environment = "local"\nregion = \n')
    with pytest.raises(BlueprintError, match=r"terraform.tfvars line 2, column \d+: invalid HCL"):
        environments.load(project / "envs", "local")


def test_undeclared_input_is_refused(project: Path) -> None:
    tfvars = project / "envs/local/terraform.tfvars"
    tfvars.write_text(tfvars.read_text() + 'regoin = "us-east-1"\n')
    with pytest.raises(BlueprintError, match="sets regoin, which the environment does not declare"):
        environments.load(project / "envs", "local")


def test_environment_input_must_match_the_folder(project: Path) -> None:
    tfvars = project / "envs/staging/terraform.tfvars"
    tfvars.write_text(tfvars.read_text().replace('"staging"', '"prod"', 1))
    with pytest.raises(BlueprintError, match='must set environment = "staging"'):
        environments.load(project / "envs", "staging")


def test_only_local_uses_the_emulator(project: Path) -> None:
    local = environments.load(project / "envs", "local")
    prod = environments.load(project / "envs", "prod")
    assert local.uses_emulator and not local.is_guarded
    assert not prod.uses_emulator and prod.is_guarded


def test_environments_share_their_code(project: Path) -> None:
    """Environments differ only in inputs and backend: their other .tf files are the shared ones."""
    shared = sorted(path.name for path in (project / "envs/shared").glob("*.tf"))
    for name in environments.available(project / "envs"):
        root = project / "envs" / name
        for file_name in shared:
            assert (root / file_name).resolve() == (project / "envs/shared" / file_name).resolve()
        own = sorted(path.name for path in root.glob("*.tf") if not path.is_symlink())
        assert own == ["backend.tf"], f"{name} has code of its own: {own}"
