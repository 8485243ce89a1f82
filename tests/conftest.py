"""Shared fixtures: a private emulator per test session and boto3 clients pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from blueprint import emulator
from blueprint.config import Settings, copy_project

REGION = "us-east-1"


@pytest.fixture(scope="session")
def blueprint_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Provider mirror and plugin cache shared by the session's tests."""
    return Path(tmp_path_factory.mktemp("blueprint-home"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def settings(project: Path, blueprint_home: Path) -> Settings:
    """Settings for a private copy of the project and a private emulator port."""
    return Settings(
        project_root=project,
        home=blueprint_home,
        emulator_port=emulator.free_port(),
        terraform_bin=None,
        auto_approve=False,
    )


@pytest.fixture(scope="session")
def emulator_info(tmp_path_factory: pytest.TempPathFactory) -> Iterator[emulator.EmulatorInfo]:
    """One emulator for the whole session, on a free port, so parallel runs never collide."""
    paths = emulator.EmulatorPaths(Path(tmp_path_factory.mktemp("emulator")))
    info = emulator.start(paths, emulator.free_port())
    yield info
    emulator.stop(paths)


@pytest.fixture(scope="session")
def aws_client(emulator_info: emulator.EmulatorInfo) -> Callable[[str], Any]:
    """``aws_client("s3")`` gives a boto3 client talking to the session's emulator."""

    def make(service: str) -> Any:
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=emulator_info.endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    return make
