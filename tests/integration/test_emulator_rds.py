"""The emulator's DB parameter groups, as the AWS provider reads them (``rds_parameters``)."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.integration


@pytest.fixture
def rds(aws_client: Callable[[str], Any]) -> Any:
    return aws_client("rds")


@pytest.fixture
def group(rds: Any) -> str:
    """A fresh parameter group with two user settings, as Terraform creates one."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    rds.create_db_parameter_group(
        DBParameterGroupName=name, DBParameterGroupFamily="postgres17", Description="test"
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName=name,
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"},
            {
                "ParameterName": "shared_preload_libraries",
                "ParameterValue": "pg_stat_statements",
                "ApplyMethod": "pending-reboot",
            },
        ],
    )
    return name


def parameters(rds: Any, group: str, **filters: str) -> dict[str, dict[str, Any]]:
    found = rds.describe_db_parameters(DBParameterGroupName=group, **filters)["Parameters"]
    return {p["ParameterName"]: p for p in found}


def test_modified_parameters_are_reported_as_user_settings(rds: Any, group: str) -> None:
    assert parameters(rds, group) == {
        "rds.force_ssl": {
            "ParameterName": "rds.force_ssl",
            "ParameterValue": "1",
            "ApplyMethod": "immediate",
            "Source": "user",
            "IsModifiable": True,
        },
        "shared_preload_libraries": {
            "ParameterName": "shared_preload_libraries",
            "ParameterValue": "pg_stat_statements",
            "ApplyMethod": "pending-reboot",
            "Source": "user",
            "IsModifiable": True,
        },
    }


def test_source_filter_selects_user_settings_only(rds: Any, group: str) -> None:
    assert set(parameters(rds, group, Source="user")) == {
        "rds.force_ssl",
        "shared_preload_libraries",
    }
    assert parameters(rds, group, Source="engine-default") == {}
    assert parameters(rds, group, Source="system") == {}


def test_modifying_again_replaces_the_value(rds: Any, group: str) -> None:
    rds.modify_db_parameter_group(
        DBParameterGroupName=group,
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyMethod": "immediate"}
        ],
    )
    found = parameters(rds, group)
    assert len(found) == 2
    assert found["rds.force_ssl"]["ParameterValue"] == "0"
    assert found["rds.force_ssl"]["Source"] == "user"


def test_reset_named_parameters_forgets_only_those(rds: Any, group: str) -> None:
    answer = rds.reset_db_parameter_group(
        DBParameterGroupName=group,
        ResetAllParameters=False,
        Parameters=[{"ParameterName": "rds.force_ssl", "ApplyMethod": "immediate"}],
    )
    assert answer["DBParameterGroupName"] == group
    assert set(parameters(rds, group)) == {"shared_preload_libraries"}


def test_reset_all_parameters_forgets_every_setting(rds: Any, group: str) -> None:
    rds.reset_db_parameter_group(DBParameterGroupName=group, ResetAllParameters=True)
    assert parameters(rds, group) == {}


def test_reset_needs_exactly_one_of_all_or_names(rds: Any, group: str) -> None:
    with pytest.raises(ClientError) as neither:
        rds.reset_db_parameter_group(DBParameterGroupName=group)
    assert neither.value.response["Error"]["Code"] == "InvalidParameterCombination"
    with pytest.raises(ClientError) as both:
        rds.reset_db_parameter_group(
            DBParameterGroupName=group,
            ResetAllParameters=True,
            Parameters=[{"ParameterName": "rds.force_ssl", "ApplyMethod": "immediate"}],
        )
    assert both.value.response["Error"]["Code"] == "InvalidParameterCombination"
    assert len(parameters(rds, group)) == 2


def test_unknown_group_is_not_found(rds: Any) -> None:
    for call in (
        lambda: rds.describe_db_parameters(DBParameterGroupName="no-such-group"),
        lambda: rds.reset_db_parameter_group(
            DBParameterGroupName="no-such-group", ResetAllParameters=True
        ),
    ):
        with pytest.raises(ClientError) as missing:
            call()
        assert missing.value.response["Error"]["Code"] == "DBParameterGroupNotFound"
