"""Bad values that only Terraform can judge: one clear line, and nothing created."""

from collections.abc import Iterator

import boto3
import pytest

from blueprint import emulator, jobs
from blueprint.config import Settings
from blueprint.errors import BlueprintError

pytestmark = pytest.mark.integration


@pytest.fixture
def local(settings: Settings) -> Iterator[Settings]:
    yield settings
    emulator.stop(settings.emulator_paths)


def test_invalid_variable_value_is_one_line_and_changes_nothing(local: Settings) -> None:
    tfvars = local.project_root / "envs/local/terraform.tfvars"
    tfvars.write_text(tfvars.read_text().replace("event_stream_retention_hours = 48", (
        "event_stream_retention_hours = 12"
    )))  # fmt: skip
    with pytest.raises(BlueprintError) as failure:
        jobs.apply(local, "local")
    message = failure.value.message
    assert "\n" not in message
    assert "terraform plan failed for envs/local" in message
    assert "Invalid value for variable" in message
    s3 = boto3.client(
        "s3", region_name="us-east-1", endpoint_url=emulator.endpoint_for(local.emulator_port),
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    assert s3.list_buckets()["Buckets"] == []
