"""Lambda on the emulator: the moto gaps we fill, and the lambda_function module applied for real.

The module's own ``terraform test`` suite runs on a mocked provider. The example tests build the
three functions of lambda_src for python3.8 (the newest runtime AWS provider 3.39 accepts), apply
the module's examples with the bundled Terraform on an emulator of their own, check the result
with boto3, plan again expecting no change, and destroy, expecting nothing left.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from blueprint import emulator, emulator_wiring, toolchain
from blueprint.config import default_project_root
from blueprint.packaging import BuildResult, Target, build_all
from blueprint.runner import Outcome, TerraformRunner

pytestmark = pytest.mark.integration

REPO = default_project_root()
MODULE = REPO / "modules" / "lambda_function"
LOCK_FILE = REPO / "envs" / "local" / ".terraform.lock.hcl"
LAMBDA_ROLE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "lambda.amazonaws.com"},
            }
        ],
    }
)


def tiny_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return out.getvalue()


@pytest.fixture(scope="module")
def role_arn(aws_client: Callable[[str], Any]) -> str:
    iam = aws_client("iam")
    role = iam.create_role(RoleName="dead-letter-test", AssumeRolePolicyDocument=LAMBDA_ROLE_POLICY)
    return role["Role"]["Arn"]


@pytest.fixture
def function(aws_client: Callable[[str], Any], role_arn: str, request: Any) -> Iterator[str]:
    name = request.node.name.replace("[", "-").replace("]", "")[:64]
    aws_client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.8",
        Role=role_arn,
        Handler="handler.handler",
        Code={"ZipFile": tiny_zip()},
    )
    yield name
    aws_client("lambda").delete_function(FunctionName=name)


def queue_arn(aws_client: Callable[[str], Any], name: str) -> str:
    sqs = aws_client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]


def dead_letter(aws_client: Callable[[str], Any], name: str) -> list[Any]:
    """DeadLetterConfig as GetFunction and GetFunctionConfiguration report it."""
    client = aws_client("lambda")
    return [
        client.get_function(FunctionName=name)["Configuration"].get("DeadLetterConfig"),
        client.get_function_configuration(FunctionName=name).get("DeadLetterConfig"),
    ]


################################################################################
# The emulator extension, through boto3
################################################################################


def test_dead_letter_target_is_kept_from_create(aws_client, role_arn):
    target = queue_arn(aws_client, "dlq-create")
    client = aws_client("lambda")

    created = client.create_function(
        FunctionName="dlq-from-create",
        Runtime="python3.8",
        Role=role_arn,
        Handler="handler.handler",
        Code={"ZipFile": tiny_zip()},
        DeadLetterConfig={"TargetArn": target},
    )
    try:
        assert created["DeadLetterConfig"] == {"TargetArn": target}
        assert dead_letter(aws_client, "dlq-from-create") == [{"TargetArn": target}] * 2
    finally:
        client.delete_function(FunctionName="dlq-from-create")


def test_function_without_dead_letter_target_reports_none(aws_client, function):
    assert dead_letter(aws_client, function) == [None, None]


def test_dead_letter_target_is_set_changed_and_removed_by_update(aws_client, function):
    first, second = queue_arn(aws_client, "dlq-first"), queue_arn(aws_client, "dlq-second")
    client = aws_client("lambda")

    answer = client.update_function_configuration(
        FunctionName=function, DeadLetterConfig={"TargetArn": first}
    )
    assert answer["DeadLetterConfig"] == {"TargetArn": first}
    assert dead_letter(aws_client, function) == [{"TargetArn": first}] * 2

    client.update_function_configuration(
        FunctionName=function, DeadLetterConfig={"TargetArn": second}
    )
    assert dead_letter(aws_client, function) == [{"TargetArn": second}] * 2

    # An update that does not mention it leaves it alone.
    client.update_function_configuration(FunctionName=function, Timeout=10)
    assert dead_letter(aws_client, function) == [{"TargetArn": second}] * 2

    answer = client.update_function_configuration(
        FunctionName=function, DeadLetterConfig={"TargetArn": ""}
    )
    assert "DeadLetterConfig" not in answer
    assert dead_letter(aws_client, function) == [None, None]


def test_tracing_mode_is_changed_by_update(aws_client, function):
    client = aws_client("lambda")

    answer = client.update_function_configuration(
        FunctionName=function, TracingConfig={"Mode": "Active"}
    )

    assert answer["TracingConfig"] == {"Mode": "Active"}
    config = client.get_function_configuration(FunctionName=function)
    assert config["TracingConfig"] == {"Mode": "Active"}


def test_update_with_an_empty_body_changes_nothing(aws_client, function):
    kinesis = aws_client("kinesis")
    kinesis.create_stream(StreamName="empty-body", ShardCount=1)
    stream_arn = kinesis.describe_stream(StreamName="empty-body")["StreamDescription"]["StreamARN"]
    client = aws_client("lambda")
    mapping = client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=function, StartingPosition="LATEST", BatchSize=50
    )

    def drop_body(request: Any, **_: Any) -> None:
        # What the provider's Go SDK sends when an update has no fields: no body at all.
        request.data = b""

    client.meta.events.register("before-sign.lambda.UpdateEventSourceMapping", drop_body)
    try:
        answer = client.update_event_source_mapping(UUID=mapping["UUID"])
    finally:
        client.meta.events.unregister("before-sign.lambda.UpdateEventSourceMapping", drop_body)
        client.delete_event_source_mapping(UUID=mapping["UUID"])
        kinesis.delete_stream(StreamName="empty-body")

    assert answer["UUID"] == mapping["UUID"]
    assert answer["BatchSize"] == 50


################################################################################
# The module, applied with Terraform
################################################################################


class Root:
    """A copy of one of the module's examples, run with the bundled Terraform on an emulator."""

    def __init__(self, folder: Path, example: str, home: Path, endpoint: str, tfvars: dict) -> None:
        # All modules: the examples take their bucket and stream from the repository's modules.
        ignore = shutil.ignore_patterns(".terraform*", "*.tfstate*", "*_override.tf*")
        shutil.copytree(MODULE.parent, folder / "modules", ignore=ignore)
        self.path = folder / "modules" / "lambda_function" / "examples" / example
        emulator_wiring.write_override(self.path, endpoint, provider_major=3)
        # Examples keep no lock file; without one, init rewrites the shared plugin cache, which
        # fails while another Terraform runs the provider from it.
        shutil.copyfile(LOCK_FILE, self.path / LOCK_FILE.name)
        (self.path / "terraform.tfvars.json").write_text(json.dumps(tfvars))
        tools = toolchain.ensure(home)
        self.runner = TerraformRunner(self.path, tools.terraform_bin, tools.environment())

    def run(self, command: str, *args: str, expect: tuple[int, ...] = (0,)) -> Outcome:
        outcome = self.runner.capture(command, "-input=false", "-no-color", *args)
        assert outcome.returncode in expect, f"{command}:\n{outcome.stdout}\n{outcome.stderr}"
        return outcome


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    build = tmp_path_factory.mktemp("lambda-build")
    results = build_all(REPO / "lambda_src", build / "zips", build / "cache", Target("3.8"))
    return {result.name: result for result in results}


@pytest.fixture
def private_aws(tmp_path: Path) -> Iterator[tuple[str, Callable[[str], Any]]]:
    """An emulator of the test's own, so that 'nothing is left' can be checked strictly."""
    paths = emulator.EmulatorPaths(tmp_path / "emulator")
    info = emulator.start(paths, emulator.free_port())

    def client(service: str) -> Any:
        return boto3.client(
            service, region_name="us-east-1", endpoint_url=info.endpoint,
            aws_access_key_id="test", aws_secret_access_key="test",
        )  # fmt: skip

    yield info.endpoint, client
    emulator.stop(paths)


def package_vars(packages: dict[str, BuildResult]) -> dict[str, dict[str, str]]:
    return {
        name: {"zip_path": str(result.zip_path), "source_code_hash": result.source_code_hash}
        for name, result in packages.items()
    }


def apply_plan_destroy(root: Root, check: Callable[[], None], gone: Callable[[], None]) -> None:
    root.run("init")
    root.run("apply", "-auto-approve")
    check()
    # -detailed-exitcode: 0 is no change, 2 is a change.
    replan = root.run("plan", "-detailed-exitcode", expect=(0, 2))
    assert replan.returncode == 0, f"second plan is not empty:\n{replan.stdout}"
    root.run("destroy", "-auto-approve")
    gone()


def test_module_own_terraform_tests_pass(tmp_path, blueprint_home):
    """modules/lambda_function/tests: plans on a mocked provider, for inputs and grants."""
    copy = tmp_path / "lambda_function"
    shutil.copytree(MODULE, copy, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    shutil.copyfile(LOCK_FILE, copy / LOCK_FILE.name)
    tools = toolchain.ensure(blueprint_home)
    runner = TerraformRunner(copy, tools.terraform_bin, tools.environment())

    assert runner.capture("init", "-input=false", "-no-color").returncode == 0
    outcome = runner.capture("test", "-no-color")

    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "9 passed, 0 failed" in outcome.stdout


def role_policy(iam: Any, role: str) -> dict:
    [name] = iam.list_role_policies(RoleName=role)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
    return json.loads(document) if isinstance(document, str) else document


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def assert_nothing_left(aws: Callable[[str], Any]) -> None:
    """The emulator is the test's own: after destroy, every list must be empty."""
    assert aws("lambda").list_functions()["Functions"] == []
    assert aws("lambda").list_event_source_mappings()["EventSourceMappings"] == []
    assert aws("iam").list_roles()["Roles"] == []
    assert aws("logs").describe_log_groups()["logGroups"] == []
    assert aws("events").list_rules()["Rules"] == []
    assert aws("s3").list_buckets()["Buckets"] == []
    assert aws("sqs").list_queues().get("QueueUrls", []) == []
    assert aws("kinesis").list_streams()["StreamNames"] == []


def test_basic_example_applies_cleanly_and_destroys(
    tmp_path, blueprint_home, private_aws, packages
):
    endpoint, aws = private_aws
    sweeper = packages["scheduled_sweeper"]
    tfvars = {
        "zip_path": str(sweeper.zip_path),
        "source_code_hash": sweeper.source_code_hash,
        "runtime": "python3.8",
    }
    root = Root(tmp_path, "basic", blueprint_home, endpoint, tfvars)
    name = "lambda-basic-sweeper"

    def check() -> None:
        config = aws("lambda").get_function_configuration(FunctionName=name)
        assert config["Runtime"] == "python3.8"
        assert config["Handler"] == "handler.handler"
        assert config["CodeSha256"] == sweeper.source_code_hash
        assert config["Environment"]["Variables"]["SWEEP_PREFIX"] == "tmp/"
        assert config["TracingConfig"] == {"Mode": "PassThrough"}
        assert "DeadLetterConfig" not in config

        [group] = aws("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")[
            "logGroups"
        ]
        assert group["retentionInDays"] == 30

        rule = aws("events").describe_rule(Name=f"{name}-schedule")
        assert rule["ScheduleExpression"] == "cron(0 2 * * ? *)"
        [target] = aws("events").list_targets_by_rule(Rule=f"{name}-schedule")["Targets"]
        assert target["Arn"] == config["FunctionArn"]
        permission = json.loads(aws("lambda").get_policy(FunctionName=name)["Policy"])
        [statement] = permission["Statement"]
        assert statement["Principal"] == {"Service": "events.amazonaws.com"}

        policy = role_policy(aws("iam"), name)
        by_sid = {s["Sid"]: s for s in policy["Statement"]}
        assert set(by_sid) == {"WriteOwnLogs", "ListFiles", "DeleteScratchFiles"}
        logs = by_sid["WriteOwnLogs"]
        assert sorted(as_list(logs["Action"])) == ["logs:CreateLogStream", "logs:PutLogEvents"]
        assert as_list(logs["Resource"]) == [f"{group['arn'].removesuffix(':*')}:*"]
        assert not [s for s in policy["Statement"] if "*" in as_list(s["Resource"])]

    apply_plan_destroy(root, check, lambda: assert_nothing_left(aws))


def test_complete_example_wires_all_three_triggers(tmp_path, blueprint_home, private_aws, packages):
    endpoint, aws = private_aws
    tfvars = {"packages": package_vars(packages), "runtime": "python3.8"}
    root = Root(tmp_path, "complete", blueprint_home, endpoint, tfvars)
    archiver = "lambda-complete-event-archiver"
    sweeper = "lambda-complete-scheduled-sweeper"
    thumbnailer = "lambda-complete-image-thumbnailer"
    bucket = "lambda-complete-files"

    def check() -> None:
        url = aws("sqs").get_queue_url(QueueName="lambda-complete-failures")["QueueUrl"]
        attributes = aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        failures = attributes["Attributes"]["QueueArn"]

        [mapping] = aws("lambda").list_event_source_mappings()["EventSourceMappings"]
        assert mapping["FunctionArn"].endswith(f":function:{archiver}")
        assert mapping["EventSourceArn"].endswith(":stream/lambda-complete-events")
        assert mapping["BatchSize"] == 500
        assert mapping["StartingPosition"] == "TRIM_HORIZON"
        assert mapping["MaximumRetryAttempts"] == 5
        assert mapping["BisectBatchOnFunctionError"] is True
        assert mapping["DestinationConfig"] == {"OnFailure": {"Destination": failures}}
        archiver_sids = {s["Sid"] for s in role_policy(aws("iam"), archiver)["Statement"]}
        assert archiver_sids == {
            "WriteOwnLogs", "ReadKinesisStream", "SendFailedBatches", "WriteArchive",
        }  # fmt: skip

        assert dead_letter(aws, sweeper) == [{"TargetArn": failures}] * 2
        assert dead_letter(aws, thumbnailer) == [{"TargetArn": failures}] * 2
        assert dead_letter(aws, archiver) == [None, None]
        rule = aws("events").describe_rule(Name=f"{sweeper}-schedule")
        assert rule["ScheduleExpression"] == "cron(0 2 * * ? *)"

        thumbs = aws("lambda").get_function(FunctionName=thumbnailer)
        assert thumbs["Configuration"]["TracingConfig"] == {"Mode": "Active"}
        assert thumbs["Configuration"]["MemorySize"] == 1024
        assert thumbs["Concurrency"] == {"ReservedConcurrentExecutions": 10}
        notification = aws("s3").get_bucket_notification_configuration(Bucket=bucket)
        [config] = notification["LambdaFunctionConfigurations"]
        assert config["LambdaFunctionArn"] == thumbs["Configuration"]["FunctionArn"]
        assert config["Events"] == ["s3:ObjectCreated:*"]
        assert config["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "uploads/"}]
        by_sid = {s["Sid"]: s for s in role_policy(aws("iam"), thumbnailer)["Statement"]}
        assert as_list(by_sid["ReadTriggeringObjects"]["Resource"]) == [
            f"arn:aws:s3:::{bucket}/uploads/*"
        ]
        assert as_list(by_sid["WriteTraces"]["Resource"]) == ["*"]
        assert {"SendToDeadLetterTarget", "WriteThumbnails"} <= set(by_sid)

    apply_plan_destroy(root, check, lambda: assert_nothing_left(aws))
