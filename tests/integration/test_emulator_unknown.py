"""Calls the emulator does not implement fail at once, naming the call (``unknown_actions``).

Without this, moto answers such a call with an HTML page and status 500, which every SDK takes
for a passing fault: boto3 retries it, the AWS provider retries it for minutes.
"""

import time
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.integration

FAST_S = 5.0


@pytest.mark.parametrize(
    ("service", "operation", "arguments", "action"),
    [
        # Query protocol (XML), in a service with extensions of its own.
        ("elasticbeanstalk", "swap_environment_cnames", {}, "SwapEnvironmentCNAMEs"),
        ("elasticbeanstalk", "describe_account_attributes", {}, "DescribeAccountAttributes"),
        # JSON protocol.
        ("kinesis", "describe_account_settings", {}, "DescribeAccountSettings"),
        # EC2's own XML error shape.
        ("ec2", "accept_address_transfer", {"Address": "192.0.2.1"}, "AcceptAddressTransfer"),
    ],
)
def test_unimplemented_call_fails_fast_with_a_named_error(
    aws_client: Callable[[str], Any],
    service: str,
    operation: str,
    arguments: dict[str, Any],
    action: str,
) -> None:
    client = aws_client(service)
    started = time.monotonic()
    with pytest.raises(ClientError) as caught:
        getattr(client, operation)(**arguments)
    elapsed = time.monotonic() - started

    response = caught.value.response
    assert response["Error"]["Code"] == "InvalidAction"
    assert response["Error"]["Message"] == (
        f"blueprint emulator does not implement {service}:{action}"
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RetryAttempts"] == 0, "the SDK must not retry it"
    assert elapsed < FAST_S


def test_implemented_calls_are_untouched(aws_client: Callable[[str], Any]) -> None:
    stacks = aws_client("elasticbeanstalk").list_available_solution_stacks()
    assert stacks["SolutionStacks"]
