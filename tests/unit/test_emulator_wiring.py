import json
from pathlib import Path

import pytest

from blueprint import emulator_wiring
from blueprint.errors import BlueprintError

ENDPOINT = "http://127.0.0.1:4999"


def write_root(tmp_path: Path, body: str) -> Path:
    (tmp_path / "main.tf").write_text(body)
    return tmp_path


def test_every_provider_configuration_is_covered(tmp_path: Path) -> None:
    root = write_root(
        tmp_path,
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        'provider "aws" {\n  alias  = "replica"\n  region = "eu-west-1"\n}\n',
    )
    path = emulator_wiring.write_override(root, ENDPOINT, provider_major=3)
    configs = json.loads(path.read_text())["provider"]["aws"]
    assert [config.get("alias") for config in configs] == [None, "replica"]
    for config in configs:
        endpoints = config["endpoints"][0]
        assert set(endpoints.values()) == {ENDPOINT}
        assert {"s3", "kinesis", "sts", "iam", "lambda", "rds"} <= set(endpoints)
        assert config["skip_credentials_validation"] is True
        assert config["s3_force_path_style"] is True
        assert config["skip_get_ec2_platforms"] is True


def test_later_providers_get_their_own_argument_names() -> None:
    settings = emulator_wiring.provider_settings(ENDPOINT, provider_major=5)
    assert settings["s3_use_path_style"] is True
    assert "s3_force_path_style" not in settings and "skip_get_ec2_platforms" not in settings
    assert {"events", "logs"} <= set(settings["endpoints"][0])
    assert "cloudwatchevents" not in settings["endpoints"][0]


def test_override_files_are_ignored_when_listing_providers(tmp_path: Path) -> None:
    root = write_root(tmp_path, 'provider "aws" {\n  region = "us-east-1"\n}\n')
    (root / "extra_override.tf").write_text('provider "aws" {\n  alias = "ghost"\n}\n')
    path = emulator_wiring.write_override(root, ENDPOINT, provider_major=3)
    assert [c.get("alias") for c in json.loads(path.read_text())["provider"]["aws"]] == [None]


def test_root_without_aws_provider_is_an_error(tmp_path: Path) -> None:
    root = write_root(tmp_path, 'variable "x" {\n  type = string\n}\n')
    with pytest.raises(BlueprintError, match='no provider "aws" block'):
        emulator_wiring.write_override(root, ENDPOINT, provider_major=3)
    assert not (root / emulator_wiring.OVERRIDE_FILE).exists()
