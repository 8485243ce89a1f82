"""The local environment, applied for real to the emulator and checked through boto3."""

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from blueprint import bundles, emulator, jobs
from blueprint.config import Settings

pytestmark = pytest.mark.integration
ORDERS_ENVIRONMENT = "blueprint-local-orders"


@pytest.fixture
def local(settings: Settings) -> Iterator[Settings]:
    yield settings
    emulator.stop(settings.emulator_paths)


def client(settings: Settings) -> Callable[[str], Any]:
    def make(service: str) -> Any:
        return boto3.client(
            service,
            region_name="us-east-1",
            endpoint_url=emulator.endpoint_for(settings.emulator_port),
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    return make


def check_files_bucket(aws: Callable[[str], Any], name: str) -> None:
    s3 = aws("s3")
    rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    (statement,) = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])["Statement"]
    assert statement["Effect"] == "Deny"
    # IAM accepts a condition value as a string or a one-element list.
    assert statement["Condition"]["Bool"]["aws:SecureTransport"] in ("false", ["false"])
    assert statement["Principal"] in ("*", {"AWS": "*"})
    grants = s3.get_bucket_acl(Bucket=name)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants), "bucket granted to a group"


def check_event_stream(aws: Callable[[str], Any], name: str) -> None:
    stream = aws("kinesis").describe_stream(StreamName=name)["StreamDescription"]
    assert stream["RetentionPeriodHours"] == 48
    assert stream["EncryptionType"] == "KMS"
    assert stream["KeyId"] == "alias/aws/kinesis"


def check_database(aws: Callable[[str], Any], outputs: dict[str, Any]) -> str:
    """Check the instance and its secret; return the password so the caller can hunt for it."""
    (instance,) = aws("rds").describe_db_instances()["DBInstances"]
    assert instance["StorageEncrypted"] is True
    assert instance["PubliclyAccessible"] is False
    assert instance["BackupRetentionPeriod"] == 1
    assert instance["IAMDatabaseAuthenticationEnabled"] is True
    ec2 = aws("ec2")
    subnets = {s["SubnetIdentifier"] for s in instance["DBSubnetGroup"]["Subnets"]}
    described = ec2.describe_subnets(SubnetIds=sorted(subnets))["Subnets"]
    assert all(not subnet["MapPublicIpOnLaunch"] for subnet in described), "public subnet"
    (group_id,) = [g["VpcSecurityGroupId"] for g in instance["VpcSecurityGroups"]]
    (group,) = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
    services = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["blueprint-local-service*"]}]
    )["SecurityGroups"]
    assert services, "the services' security group is missing"
    for rule in group["IpPermissions"]:
        assert rule["IpRanges"] == [] and rule.get("Ipv6Ranges", []) == []
        assert {pair["GroupId"] for pair in rule["UserIdGroupPairs"]} == {services[0]["GroupId"]}
        assert (rule["FromPort"], rule["ToPort"]) == (5432, 5432)
    secret = aws("secretsmanager").get_secret_value(SecretId=outputs["database_secret_arn"])
    document = json.loads(secret["SecretString"])
    assert document["host"] == instance["Endpoint"]["Address"]
    return str(document["password"])


def orders_bundle(settings: Settings) -> dict[str, str]:
    """What the glue handed Terraform for orders: bundle path and sha256."""
    inputs = settings.envs_dir / "local" / bundles.BUNDLE_INPUTS_FILE
    return dict(json.loads(inputs.read_text())["service_bundles"]["orders"])


def check_service(
    aws: Callable[[str], Any], outputs: dict[str, Any], password: str, bundle: dict[str, str]
) -> None:
    eb = aws("elasticbeanstalk")
    (environment,) = eb.describe_environments(EnvironmentNames=[ORDERS_ENVIRONMENT])["Environments"]
    assert environment["Status"] == "Ready"
    label = "v-" + bundle["sha256"][:12]
    assert environment["VersionLabel"] == label
    assert outputs["service_versions"] == {"orders": label}
    (version,) = eb.describe_application_versions(
        ApplicationName=environment["ApplicationName"], VersionLabels=[label]
    )["ApplicationVersions"]
    source = version["SourceBundle"]
    assert source["S3Bucket"] == "blueprint-local-artifacts-123456789012"
    assert source["S3Key"] == f"blueprint-local-orders/{bundle['sha256']}.zip"
    uploaded = aws("s3").get_object(Bucket=source["S3Bucket"], Key=source["S3Key"])["Body"]
    assert uploaded.read() == Path(bundle["zip_path"]).read_bytes(), "not the bundle built"
    (configuration,) = eb.describe_configuration_settings(
        ApplicationName=environment["ApplicationName"],
        EnvironmentName=environment["EnvironmentName"],
    )["ConfigurationSettings"]
    options = {
        (item["Namespace"], item["OptionName"]): item.get("Value")
        for item in configuration["OptionSettings"]
    }
    assert options[("aws:autoscaling:launchconfiguration", "DisableIMDSv1")] == "true"
    assert options[("aws:autoscaling:asg", "MinSize")] == "1"
    assert options[("aws:elasticbeanstalk:environment", "LoadBalancerType")] == "application"
    variables = {
        name: value
        for (namespace, name), value in options.items()
        if namespace == "aws:elasticbeanstalk:application:environment"
    }
    assert variables["KINESIS_STREAM_NAME"] == outputs["event_streams"]["orders"]
    assert variables["S3_BUCKET"] == outputs["files_bucket_name"]
    assert variables["DATABASE_SECRET_ARN"] == outputs["database_secret_arn"]
    assert all(password not in str(value) for value in options.values()), "secret in settings"


def check_functions(aws: Callable[[str], Any], outputs: dict[str, Any]) -> None:
    lam = aws("lambda")
    functions = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
    archiver = "blueprint-local-orders-event-archiver"
    sweeper = "blueprint-local-scheduled-sweeper"
    thumbnailer = "blueprint-local-image-thumbnailer"
    assert set(functions) == {archiver, sweeper, thumbnailer}
    # Provider 3.39 on the emulator: the one place where the runtime is forced.
    assert {f["Runtime"] for f in functions.values()} == {"python3.8"}

    (mapping,) = [
        m for m in lam.list_event_source_mappings()["EventSourceMappings"]
        if m["FunctionArn"] == functions[archiver]["FunctionArn"]
    ]  # fmt: skip
    stream = aws("kinesis").describe_stream_summary(StreamName=outputs["event_streams"]["orders"])[
        "StreamDescriptionSummary"
    ]
    assert mapping["EventSourceArn"] == stream["StreamARN"]
    assert mapping["BisectBatchOnFunctionError"] is True

    events = aws("events")
    (rule,) = events.list_rule_names_by_target(TargetArn=functions[sweeper]["FunctionArn"])[
        "RuleNames"
    ]
    assert events.describe_rule(Name=rule)["ScheduleExpression"] == "cron(0 2 * * ? *)"
    policy = json.loads(lam.get_policy(FunctionName=sweeper)["Policy"])
    assert {s["Principal"]["Service"] for s in policy["Statement"]} == {"events.amazonaws.com"}

    notification = aws("s3").get_bucket_notification_configuration(
        Bucket=outputs["files_bucket_name"]
    )
    (target,) = notification["LambdaFunctionConfigurations"]
    assert target["LambdaFunctionArn"] == functions[thumbnailer]["FunctionArn"]
    rules = target["Filter"]["Key"]["FilterRules"]
    assert {"Name": "Prefix", "Value": "uploads/"} in [
        {"Name": r["Name"].capitalize(), "Value": r["Value"]} for r in rules
    ]

    groups = aws("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"]
    assert {g["logGroupName"] for g in groups} == {f"/aws/lambda/{n}" for n in functions}
    assert all(g.get("retentionInDays") for g in groups), "a log group keeps logs forever"


def test_apply_replan_destroy(local: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    jobs.apply(local, "local")
    aws = client(local)
    outputs = jobs.outputs(local, "local")
    bucket = outputs["files_bucket_name"]
    assert bucket == "blueprint-local-files-123456789012"
    check_files_bucket(aws, bucket)
    check_event_stream(aws, outputs["event_streams"]["orders"])
    tags = aws("kinesis").list_tags_for_stream(StreamName=outputs["event_streams"]["orders"])
    expected = {"environment": "local", "owner": "platform-team", "service": "orders"}
    assert {t["Key"]: t["Value"] for t in tags["Tags"]}.items() >= expected.items()

    password = check_database(aws, outputs)
    bundle = orders_bundle(local)
    bundle["zip_path"] = str(local.envs_dir / "local" / bundle["path"])
    check_service(aws, outputs, password, bundle)
    check_functions(aws, outputs)

    assert not jobs.plan(local, "local").summary.has_changes, "second plan must be empty"

    jobs.destroy(local, "local")
    assert aws("s3").list_buckets()["Buckets"] == []
    assert aws("kinesis").list_streams()["StreamNames"] == []
    assert aws("rds").describe_db_instances()["DBInstances"] == []
    assert aws("rds").describe_db_snapshots()["DBSnapshots"] == []
    assert aws("secretsmanager").list_secrets()["SecretList"] == []
    live = [
        e for e in aws("elasticbeanstalk").describe_environments()["Environments"]
        if e["Status"] != "Terminated"
    ]  # fmt: skip
    assert live == []
    assert aws("elasticbeanstalk").describe_applications()["Applications"] == []
    assert aws("lambda").list_functions()["Functions"] == []
    printed = capsys.readouterr()
    assert password not in printed.out + printed.err, "the database password was printed"
    assert password not in local.emulator_paths.log_file.read_text()
    state = json.loads((local.project_root / "envs/local/terraform.tfstate").read_text())
    assert state["resources"] == []


def test_state_from_a_restarted_emulator_is_set_aside(local: Settings) -> None:
    without_streams(local)
    jobs.apply(local, "local")
    emulator.stop(local.emulator_paths)

    result = jobs.plan(local, "local")

    assert result.summary.to_add > 0, "the plan must recreate what the restart lost"
    kept = list((local.project_root / "envs/local").glob("terraform.tfstate.before-emulator-*"))
    assert len(kept) == 1, "the old state must be kept, not deleted"
    assert json.loads(kept[0].read_text())["resources"]


def without_streams(settings: Settings) -> None:
    """Drop the services, whose streams take ~40 s each to create on the emulator."""
    tfvars = settings.project_root / "envs/local/terraform.tfvars"
    block = re.compile(r"services = \{.*?\n\}\n", re.S)
    text, found = block.subn("services = {}\n", tfvars.read_text(), count=1)
    assert found == 1
    tfvars.write_text(text)


def test_apply_uses_a_current_saved_plan_only(
    local: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    without_streams(local)
    caplog.set_level("INFO")
    planned = jobs.plan(local, "local").summary
    assert planned.to_add > 0
    applied = jobs.apply(local, "local")
    assert "using the saved plan" in caplog.text
    assert applied == planned

    # A saved plan without changes is never reused: the state may have moved on since.
    assert not jobs.plan(local, "local").summary.has_changes
    jobs.destroy(local, "local")
    assert jobs.apply(local, "local").to_add == planned.to_add

    # A plan made before the inputs changed is not applied.
    jobs.plan(local, "local", destroy=True)
    tfvars = local.project_root / "envs/local/terraform.tfvars"
    tfvars.write_text(tfvars.read_text().replace("platform-team", "data-team"))
    caplog.clear()
    changed = jobs.apply(local, "local")
    assert "using the saved plan" not in caplog.text
    assert changed.to_destroy == 0 and changed.to_change > 0

    # Drift: a change made outside Terraform shows up, and only then.
    assert jobs.drift(local, ["local"]) == {"local": "in sync"}
    sqs = client(local)("sqs")
    sqs.delete_queue(
        QueueUrl=sqs.get_queue_url(QueueName="blueprint-local-lambda-failures")["QueueUrl"]
    )
    assert jobs.drift(local, ["local"]) == {"local": "drifted"}


def version_labels(eb: Any) -> set[str]:
    # The module names the application after the service, like its environment.
    described = eb.describe_application_versions(ApplicationName=ORDERS_ENVIRONMENT)
    return {version["VersionLabel"] for version in described["ApplicationVersions"]}


def test_changed_code_is_a_new_bundle_version_in_place(local: Settings) -> None:
    jobs.apply(local, "local")
    eb = client(local)("elasticbeanstalk")
    before = version_labels(eb)
    code = local.project_root / "services/orders/application.py"
    code.write_text(code.read_text() + "\n# A change the next apply deploys.\n")

    changed = jobs.apply(local, "local")

    label = "v-" + orders_bundle(local)["sha256"][:12]
    assert version_labels(eb) - before == {label}, "exactly one new version, named by content"
    (environment,) = eb.describe_environments(EnvironmentNames=[ORDERS_ENVIRONMENT])["Environments"]
    assert environment["VersionLabel"] == label
    # In place: nothing goes away but the old bundle and version, which the new ones replace
    # (their names follow the content); the environment itself is updated.
    service = 'module.service["orders"]'
    assert changed.destroyed == ()
    assert set(changed.replaced) == {
        f"{service}.aws_s3_bucket_object.bundle[0]",
        f"{service}.module.service.aws_elastic_beanstalk_application_version.this[0]",
    }
    assert changed.to_change >= 1
    assert not jobs.plan(local, "local").summary.has_changes
