"""Settings of one CLI run, built once from flags and environment variables.

They travel through the click context (``ctx.obj``); nothing here changes after start-up.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from blueprint.emulator import EmulatorPaths

DEFAULT_EMULATOR_PORT = 4580


# What a copy of the project needs for Terraform to run in it; never the user's working files.
PROJECT_FOLDERS = ("envs", "modules", "lambda_src", "bootstrap", "services")
WORKING_FILES = (
    ".terraform", "*.tfstate", "*.tfstate.*", "*_override.tf.json", "__pycache__", "*.tfplan",
)  # fmt: skip


def copy_project(target: Path, source: Path | None = None) -> Path:
    """Copy the project's code (not its state or working files) to ``target``, for tests and
    the benchmark, so that neither touches the user's environments."""
    source = source or default_project_root()
    for folder in PROJECT_FOLDERS:
        if (source / folder).is_dir():
            shutil.copytree(
                source / folder, target / folder, symlinks=True,
                ignore=shutil.ignore_patterns(*WORKING_FILES),
            )  # fmt: skip
    return target


def default_project_root() -> Path:
    """The repository this package was installed from: ``scripts/blueprint`` sits two levels in."""
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    project_root: Path
    home: Path
    emulator_port: int
    terraform_bin: str | None
    auto_approve: bool
    rehearse: bool = False
    allow_data_loss: bool = False
    instance_credentials: bool = False

    @property
    def envs_dir(self) -> Path:
        return self.project_root / "envs"

    @property
    def modules_dir(self) -> Path:
        return self.project_root / "modules"

    @property
    def lambda_src_dir(self) -> Path:
        return self.project_root / "lambda_src"

    @property
    def build_dir(self) -> Path:
        return self.project_root / "build"

    @property
    def emulator_paths(self) -> EmulatorPaths:
        """One folder per port, so emulators on different ports never share bookkeeping."""
        return EmulatorPaths(self.home / "emulator" / str(self.emulator_port))
