"""The environments under ``envs/``: which exist, and whether one is fit to run.

An environment is a folder of ``envs/`` holding a ``terraform.tfvars`` (Terraform loads it by
itself). ``envs/shared`` holds the root configuration that every environment links to, so that
environments differ only in their inputs and backend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from blueprint import hcl
from blueprint.errors import BlueprintError

TFVARS = "terraform.tfvars"
SHARED = "shared"
# Environments that run against the local emulator rather than an AWS account.
EMULATOR_ENVIRONMENTS = frozenset({"local"})
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,15}$")


@dataclass(frozen=True)
class Environment:
    name: str
    root: Path

    @property
    def tfvars(self) -> Path:
        return self.root / TFVARS

    @property
    def backend_config(self) -> Path | None:
        path = self.root / "backend.hcl"
        return path if path.is_file() else None

    @property
    def uses_emulator(self) -> bool:
        """Whether the environment always runs on the emulator (others only when rehearsed)."""
        return self.name in EMULATOR_ENVIRONMENTS

    @property
    def is_guarded(self) -> bool:
        """Guarded environments ask before changes and apply only plans saved by ``plan``."""
        return not self.uses_emulator

    def inputs(self) -> dict[str, Any]:
        return hcl.plain_values(self.tfvars, f"{self.display}/{TFVARS}")

    def allowed_account_ids(self) -> list[str]:
        return [str(item) for item in self.inputs().get("allowed_account_ids") or []]

    def backend_settings(self) -> dict[str, Any]:
        """The settings in ``backend.hcl`` (bucket, lock table, region), empty when none."""
        path = self.backend_config
        return {} if path is None else hcl.plain_values(path, f"{self.display}/{path.name}")

    @property
    def display(self) -> str:
        return f"envs/{self.name}"


def available(envs_dir: Path) -> list[str]:
    if not envs_dir.is_dir():
        return []
    return sorted(path.name for path in envs_dir.iterdir() if path.is_dir() and path.name != SHARED)


def load(envs_dir: Path, name: str) -> Environment:
    """The environment called ``name``, checked: it exists, and its tfvars parse and fit."""
    choices = available(envs_dir)
    if not NAME_PATTERN.match(name) or name not in choices:
        raise BlueprintError(
            f"unknown environment {name!r}; choose one of: {', '.join(choices) or '(none)'}"
        )
    environment = Environment(name, envs_dir / name)
    check_tfvars(environment)
    return environment


def check_tfvars(environment: Environment) -> None:
    display = f"{environment.display}/{TFVARS}"
    if not environment.tfvars.is_file():
        raise BlueprintError(
            f"{display} is missing; create it with the environment's inputs "
            f"(see envs/local/{TFVARS} for an example)"
        )
    values = hcl.parse_file(environment.tfvars, display)
    declared = hcl.declared_variables(environment.root)
    unknown = sorted(set(values) - declared)
    if unknown:
        raise BlueprintError(
            f"{display} sets {', '.join(unknown)}, which the environment does not declare; "
            "remove it or declare it in envs/shared/variables.tf"
        )
    if hcl.unquote(values.get("environment")) != environment.name:
        raise BlueprintError(
            f'{display} must set environment = "{environment.name}" to match its folder'
        )
