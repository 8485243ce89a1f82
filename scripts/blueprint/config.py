"""Settings of one CLI run, built once from flags and environment variables.

They travel through the click context (``ctx.obj``); nothing here changes after start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from blueprint.emulator import EmulatorPaths

DEFAULT_EMULATOR_PORT = 4580


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
