import boto3
import pytest

from blueprint.emulator import EmulatorInfo

pytestmark = pytest.mark.integration


def sts(endpoint: str, access_key: str):
    return boto3.client(
        "sts", region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id=access_key, aws_secret_access_key="test",
    )  # fmt: skip


def test_twelve_digit_access_key_acts_as_that_account(emulator_info: EmulatorInfo) -> None:
    identity = sts(emulator_info.endpoint, "111111111111").get_caller_identity()
    assert identity["Account"] == "111111111111"


def test_other_access_keys_keep_the_default_account(emulator_info: EmulatorInfo) -> None:
    assert sts(emulator_info.endpoint, "test").get_caller_identity()["Account"] == "123456789012"


def test_accounts_do_not_see_each_others_buckets(emulator_info: EmulatorInfo) -> None:
    def s3(key: str):
        return boto3.client(
            "s3", region_name="us-east-1", endpoint_url=emulator_info.endpoint,
            aws_access_key_id=key, aws_secret_access_key="test",
        )  # fmt: skip

    s3("222222222222").create_bucket(Bucket="prod-only-bucket")
    try:
        names = [b["Name"] for b in s3("111111111111").list_buckets()["Buckets"]]
        assert "prod-only-bucket" not in names
    finally:
        s3("222222222222").delete_bucket(Bucket="prod-only-bucket")
