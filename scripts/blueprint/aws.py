"""boto3 clients for the account an environment runs against: real AWS or the emulator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
import botocore.exceptions
import botocore.session

from blueprint.errors import BlueprintError


@dataclass(frozen=True)
class Target:
    """Where AWS calls go: ``endpoint`` None means real AWS with the usual credential chain."""

    region: str
    endpoint: str | None = None
    access_key: str | None = None
    # Whether credentials may come from an EC2 or ECS metadata address. Off unless asked for, so
    # that a machine without credentials refuses without a single request.
    instance_credentials: bool = False

    @property
    def on_emulator(self) -> bool:
        return self.endpoint is not None

    def client(self, service: str) -> Any:
        if self.endpoint is None:
            core = botocore.session.Session()
            if not self.instance_credentials:
                resolver = core.get_component("credential_provider")
                for provider in ("iam-role", "container-role"):
                    resolver.remove(provider)
            return boto3.session.Session(botocore_session=core).client(
                service, region_name=self.region
            )
        return boto3.session.Session().client(
            service,
            region_name=self.region,
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key="test",  # noqa: S106 (the emulator accepts any secret)
        )


def caller_account(target: Target) -> str:
    """The account the credentials belong to; a clear error when there are none."""
    try:
        return str(target.client("sts").get_caller_identity()["Account"])
    except botocore.exceptions.NoCredentialsError as error:
        raise BlueprintError(
            "no AWS credentials found; set AWS_PROFILE (or the AWS_* variables), "
            "or rehearse on the emulator with REHEARSE=1"
        ) from error
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
        raise BlueprintError(
            f"cannot tell which AWS account the credentials belong to: {error}"
        ) from error


def bucket_exists(target: Target, bucket: str) -> bool:
    try:
        target.client("s3").head_bucket(Bucket=bucket)
    except botocore.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchBucket", "NotFound"):
            return False
        raise BlueprintError(f"cannot check the state bucket {bucket}: {error}") from error
    return True


def table_exists(target: Target, table: str) -> bool:
    try:
        target.client("dynamodb").describe_table(TableName=table)
    except botocore.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return False
        raise BlueprintError(f"cannot check the lock table {table}: {error}") from error
    return True
