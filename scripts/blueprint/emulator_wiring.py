"""The Terraform override file that points a root at the emulator instead of AWS.

Everything that makes an emulator run differ from a real one lives here: endpoints, test
credentials, skip flags, path-style S3. It goes into a generated ``*_override.tf.json`` file that
git ignores, so the environment's own code never mentions the emulator, and it covers every AWS
provider configuration of the root, aliases included, and an S3 backend when the root has one.

The access key picks the emulator account (see ``emulator_ext.account_from_access_key``): a
rehearsal of staging or prod signs as that environment's own account, so the provider's
``allowed_account_ids`` check runs for real.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from blueprint import hcl
from blueprint.errors import BlueprintError

OVERRIDE_FILE = "blueprint_emulator_override.tf.json"
FORCED_INPUTS_FILE = "blueprint_emulator.auto.tfvars.json"
# Inputs the offline provider forces on emulator runs, whatever the environment says: provider
# 3.39 rejects Lambda runtimes newer than python3.8 (AWS no longer takes 3.8 for new functions,
# so real staging and prod run a current runtime with a current provider).
FORCED_INPUTS_V3 = {"lambda_runtime": "python3.8"}
# moto's fixed credentials; the emulator accepts any, and these are no secret.
TEST_ACCESS_KEY = "test"
TEST_SECRET_KEY = "test"  # noqa: S105

# Service keys of the provider's `endpoints` block, for the services the blueprint uses.
ENDPOINT_SERVICES_V3 = (
    "acm", "apigateway", "autoscaling", "cloudwatch", "cloudwatchevents", "cloudwatchlogs",
    "dynamodb", "ec2", "elasticbeanstalk", "elb", "iam", "kinesis", "kms", "lambda", "rds",
    "s3", "secretsmanager", "sns", "sqs", "ssm", "sts",
)  # fmt: skip
# Provider 4 and later renamed two keys; the rest stayed.
RENAMED_FROM_V4 = {"cloudwatchevents": "events", "cloudwatchlogs": "logs"}


def endpoint_services(provider_major: int) -> list[str]:
    if provider_major < 4:
        return list(ENDPOINT_SERVICES_V3)
    return [RENAMED_FROM_V4.get(name, name) for name in ENDPOINT_SERVICES_V3]


def provider_settings(
    endpoint: str, provider_major: int, access_key: str = TEST_ACCESS_KEY
) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "access_key": access_key,
        "secret_key": TEST_SECRET_KEY,
        "skip_credentials_validation": True,
        "skip_metadata_api_check": True,
        "skip_region_validation": True,
        "endpoints": [{name: endpoint for name in endpoint_services(provider_major)}],
    }
    if provider_major < 4:
        # 3.x asks EC2 for the account's platforms at start-up unless told not to; the argument
        # and s3_force_path_style were removed in 5.0.
        settings["skip_get_ec2_platforms"] = True
        settings["s3_force_path_style"] = True
    else:
        settings["s3_use_path_style"] = True
    return settings


def s3_backend_settings(endpoint: str, access_key: str, declared: dict[str, Any]) -> dict[str, Any]:
    """The root's own S3 backend settings plus what points them at the emulator."""
    return {
        **declared,
        "endpoints": {"s3": endpoint, "dynamodb": endpoint, "sts": endpoint, "iam": endpoint},
        "use_path_style": True,
        "access_key": access_key,
        "secret_key": TEST_SECRET_KEY,
        "skip_credentials_validation": True,
        "skip_metadata_api_check": True,
        "skip_region_validation": True,
        "skip_requesting_account_id": True,
    }


def override_document(
    aliases: list[str | None],
    endpoint: str,
    provider_major: int,
    access_key: str = TEST_ACCESS_KEY,
    s3_backend: dict[str, Any] | None = None,
) -> dict[str, Any]:
    configs = []
    for alias in aliases:
        config = provider_settings(endpoint, provider_major, access_key)
        if alias is not None:
            config["alias"] = alias
        configs.append(config)
    document: dict[str, Any] = {"provider": {"aws": configs}}
    if s3_backend is not None:
        settings = s3_backend_settings(endpoint, access_key, s3_backend)
        document["terraform"] = [{"backend": [{"s3": [settings]}]}]
    return document


def write_override(
    root: Path, endpoint: str, provider_major: int, access_key: str = TEST_ACCESS_KEY
) -> Path:
    """Write the override for every AWS provider configuration of ``root``; return its path."""
    aliases = hcl.provider_aliases(root, "aws")
    if not aliases:
        raise BlueprintError(
            f'{root} has no provider "aws" block to point at the emulator; add one'
        )
    path = root / OVERRIDE_FILE
    s3_backend = hcl.backend_block(root, "s3")
    document = override_document(aliases, endpoint, provider_major, access_key, s3_backend)
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    forced = forced_inputs(root, provider_major)
    forced_path = root / FORCED_INPUTS_FILE
    if forced:
        forced_path.write_text(json.dumps(forced, indent=2, sort_keys=True) + "\n")
    else:
        forced_path.unlink(missing_ok=True)
    return path


def forced_inputs(root: Path, provider_major: int) -> dict[str, str]:
    """The forced inputs that ``root`` declares, for this provider major version."""
    if provider_major >= 4:
        return {}
    declared = hcl.declared_variables(root)
    return {name: value for name, value in FORCED_INPUTS_V3.items() if name in declared}


def remove_override(root: Path) -> None:
    (root / OVERRIDE_FILE).unlink(missing_ok=True)
    (root / FORCED_INPUTS_FILE).unlink(missing_ok=True)
