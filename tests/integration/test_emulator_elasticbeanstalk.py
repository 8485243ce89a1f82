"""The emulator's Elastic Beanstalk (``emulator_ext/elasticbeanstalk*``), through boto3.

Each API call the AWS provider makes is exercised here with the shapes and errors of the real
service. The last test applies ``modules/beanstalk_service/examples/basic`` with Terraform to a
private emulator: create, an empty second plan, an in-place update, HTTPS with a deployed
version, destroy.
"""

import json
import shutil
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from blueprint import emulator, emulator_wiring, toolchain
from blueprint.config import default_project_root
from blueprint.runner import Outcome, TerraformRunner

pytestmark = pytest.mark.integration

PYTHON_STACK = "64bit Amazon Linux 2023 v4.6.0 running Python 3.12"
MODULES = default_project_root() / "modules"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def error_of(call: Callable[..., Any], **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]


def wait_for(eb: Any, env_id: str, status: str, timeout: float = 15) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        env = eb.describe_environments(EnvironmentIds=[env_id])["Environments"][0]
        if env["Status"] == status or time.monotonic() > deadline:
            assert env["Status"] == status, f"{env_id} stayed {env['Status']}"
            return env
        time.sleep(0.2)


def settings_of(eb: Any, app: str, env: str) -> dict[tuple[str, str], str]:
    described = eb.describe_configuration_settings(ApplicationName=app, EnvironmentName=env)
    (config,) = described["ConfigurationSettings"]
    return {(o["Namespace"], o["OptionName"]): o["Value"] for o in config["OptionSettings"]}


def option(namespace: str, name: str, value: str) -> dict[str, str]:
    return {"Namespace": namespace, "OptionName": name, "Value": value}


@pytest.fixture
def eb(aws_client: Callable[[str], Any]) -> Any:
    return aws_client("elasticbeanstalk")


@pytest.fixture
def app(eb: Any) -> Iterator[str]:
    name = unique("app")
    eb.create_application(ApplicationName=name, Description="under test")
    yield name
    try:
        eb.delete_application(ApplicationName=name, TerminateEnvByForce=True)
    except ClientError:
        pass  # the test deleted it itself


@pytest.fixture
def bundle(aws_client: Callable[[str], Any]) -> dict[str, str]:
    s3 = aws_client("s3")
    bucket = unique("bundles")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="app/v1.zip", Body=b"PK\x05\x06" + bytes(18))
    return {"S3Bucket": bucket, "S3Key": "app/v1.zip"}


def test_solution_stacks_offer_current_python_and_docker_newest_first(eb: Any) -> None:
    stacks = eb.list_available_solution_stacks()["SolutionStacks"]
    assert PYTHON_STACK in stacks
    assert "64bit Amazon Linux 2023 v4.6.0 running Docker" in stacks
    python_312 = [s for s in stacks if s.endswith("running Python 3.12")]
    # The AWS provider's most_recent takes the first match, as AWS lists newest first.
    assert python_312[0] == PYTHON_STACK
    assert python_312.index(PYTHON_STACK) < python_312.index(
        "64bit Amazon Linux 2023 v4.5.2 running Python 3.12"
    )


def test_application_create_describe_update_and_delete(eb: Any, app: str) -> None:
    (described,) = eb.describe_applications(ApplicationNames=[app])["Applications"]
    # The provider reads this block right after CreateApplication; AWS always returns it.
    rules = described["ResourceLifecycleConfig"]["VersionLifecycleConfig"]
    assert rules["MaxCountRule"] == {"Enabled": False, "MaxCount": 200, "DeleteSourceFromS3": False}
    assert described["ApplicationArn"].endswith(f":application/{app}")
    assert described["Description"] == "under test"

    error = error_of(eb.create_application, ApplicationName=app)
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": f"Application {app} already exists.",
        "Type": "Sender",
    }

    eb.update_application(ApplicationName=app, Description="changed")
    assert eb.describe_applications(ApplicationNames=[app])["Applications"][0]["Description"] == (
        "changed"
    )

    role = "arn:aws:iam::123456789012:role/eb-service"
    lifecycle = {
        "ServiceRole": role,
        "VersionLifecycleConfig": {
            "MaxCountRule": {"Enabled": True, "MaxCount": 5, "DeleteSourceFromS3": False},
            "MaxAgeRule": {"Enabled": False},
        },
    }
    answer = eb.update_application_resource_lifecycle(
        ApplicationName=app, ResourceLifecycleConfig=lifecycle
    )
    assert answer["ResourceLifecycleConfig"]["ServiceRole"] == role
    assert (
        answer["ResourceLifecycleConfig"]["VersionLifecycleConfig"]["MaxCountRule"]["MaxCount"] == 5
    )
    bad_role = {**lifecycle, "ServiceRole": "eb-service"}
    error = error_of(
        eb.update_application_resource_lifecycle, ApplicationName=app,
        ResourceLifecycleConfig=bad_role,
    )  # fmt: skip
    assert error["Code"] == "InvalidParameterValue"

    eb.delete_application(ApplicationName=app)
    assert eb.describe_applications(ApplicationNames=[app])["Applications"] == []


def test_unknown_names_get_the_services_errors(eb: Any, app: str) -> None:
    error = error_of(
        eb.create_environment, ApplicationName="no-such-app", EnvironmentName="some-env",
        SolutionStackName=PYTHON_STACK,
    )  # fmt: skip
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValue", "No Application named 'no-such-app' found."
    )  # fmt: skip
    error = error_of(
        eb.describe_configuration_settings, ApplicationName=app, EnvironmentName="no-such-env"
    )
    assert error["Message"] == "No Environment found for EnvironmentName = 'no-such-env'."
    error = error_of(eb.describe_environment_resources, EnvironmentId="e-0000000000")
    assert error["Message"] == "No Environment found for EnvironmentId = 'e-0000000000'."
    error = error_of(
        eb.create_environment, ApplicationName=app, EnvironmentName="some-env",
        SolutionStackName="64bit Plan 9 running Limbo",
    )  # fmt: skip
    assert error["Message"] == "No Solution Stack named '64bit Plan 9 running Limbo' found."
    error = error_of(
        eb.create_environment, ApplicationName=app, EnvironmentName="some-env",
        SolutionStackName=PYTHON_STACK, VersionLabel="v9",
    )  # fmt: skip
    assert error["Message"] == "No Application Version named 'v9' found."


def test_application_versions(eb: Any, app: str, bundle: dict[str, str]) -> None:
    missing = {**bundle, "S3Key": "app/missing.zip"}
    error = error_of(
        eb.create_application_version, ApplicationName=app, VersionLabel="v0",
        SourceBundle=missing,
    )  # fmt: skip
    assert error["Code"] == "InvalidParameterCombination"
    assert error["Message"] == (
        f"Unable to download from S3 location (Bucket: {bundle['S3Bucket']} "
        "Key: app/missing.zip). Reason: Not Found"
    )

    created = eb.create_application_version(
        ApplicationName=app, VersionLabel="v1", SourceBundle=bundle, Description="first",
        Tags=[{"Key": "team", "Value": "orders"}],
    )["ApplicationVersion"]  # fmt: skip
    assert created["SourceBundle"] == bundle
    assert created["Status"] == "UNPROCESSED"
    assert created["ApplicationVersionArn"].endswith(f":applicationversion/{app}/v1")
    tags = eb.list_tags_for_resource(ResourceArn=created["ApplicationVersionArn"])["ResourceTags"]
    assert tags == [{"Key": "team", "Value": "orders"}]

    eb.update_application_version(ApplicationName=app, VersionLabel="v1", Description="second")
    (found,) = eb.describe_application_versions(ApplicationName=app, VersionLabels=["v1"])[
        "ApplicationVersions"
    ]
    assert found["Description"] == "second"
    assert eb.describe_applications(ApplicationNames=[app])["Applications"][0]["Versions"] == ["v1"]

    eb.delete_application_version(ApplicationName=app, VersionLabel="v1")
    assert eb.describe_application_versions(ApplicationName=app)["ApplicationVersions"] == []


def test_version_lifecycle_keeps_only_the_newest(eb: Any, app: str, bundle: dict[str, str]) -> None:
    eb.update_application_resource_lifecycle(
        ApplicationName=app,
        ResourceLifecycleConfig={
            "ServiceRole": "arn:aws:iam::123456789012:role/eb-service",
            "VersionLifecycleConfig": {"MaxCountRule": {"Enabled": True, "MaxCount": 2}},
        },
    )
    for label in ("v1", "v2", "v3"):
        eb.create_application_version(ApplicationName=app, VersionLabel=label, SourceBundle=bundle)
    versions = eb.describe_application_versions(ApplicationName=app)["ApplicationVersions"]
    assert [v["VersionLabel"] for v in versions] == ["v3", "v2"]
    messages = [e["Message"] for e in eb.describe_events(ApplicationName=app)["Events"]]
    assert "Deleted application version v1 to apply the lifecycle policy." in messages


def test_environment_launch_update_and_termination(
    eb: Any, app: str, bundle: dict[str, str], aws_client: Callable[[str], Any]
) -> None:
    eb.create_application_version(ApplicationName=app, VersionLabel="v1", SourceBundle=bundle)
    name = unique("env")
    sent = [
        option("aws:autoscaling:asg", "MaxSize", "3"),
        option("aws:elasticbeanstalk:application:environment", "GREETING", "hello"),
        option("aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced"),
        option("aws:autoscaling:launchconfiguration", "DisableIMDSv1", "true"),
    ]
    created = eb.create_environment(
        ApplicationName=app, EnvironmentName=name, SolutionStackName=PYTHON_STACK,
        VersionLabel="v1", OptionSettings=sent, Tags=[{"Key": "team", "Value": "orders"}],
    )  # fmt: skip
    env_id = created["EnvironmentId"]
    assert created["Status"] == "Launching"
    assert created["CNAME"].startswith(f"{name}.eba-")
    assert created["CNAME"].endswith(".us-east-1.elasticbeanstalk.com")
    assert created["PlatformArn"] == (
        "arn:aws:elasticbeanstalk:us-east-1::platform/"
        "Python 3.12 running on 64bit Amazon Linux 2023/4.6.0"
    )
    ready = wait_for(eb, env_id, "Ready")
    assert (ready["Health"], ready["HealthStatus"]) == ("Green", "Ok")
    assert ready["VersionLabel"] == "v1"

    settings = settings_of(eb, app, name)
    for item in sent:  # as sent, so that the provider's set of settings matches
        assert settings[(item["Namespace"], item["OptionName"])] == item["Value"]
    assert settings[("aws:elasticbeanstalk:command", "DeploymentPolicy")] == "AllAtOnce"
    assert settings[("aws:elasticbeanstalk:environment", "LoadBalancerType")] == "application"

    tags = eb.list_tags_for_resource(ResourceArn=ready["EnvironmentArn"])["ResourceTags"]
    assert {t["Key"]: t["Value"] for t in tags} == {
        "team": "orders",
        "elasticbeanstalk:environment-name": name,
        "elasticbeanstalk:environment-id": env_id,
    }

    resources = eb.describe_environment_resources(EnvironmentId=env_id)["EnvironmentResources"]
    (balancer,) = resources["LoadBalancers"]
    elbv2 = aws_client("elbv2")
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["Name"])["Listeners"]
    assert [(lst["Port"], lst["Protocol"]) for lst in listeners] == [(80, "HTTP")]
    http_listener = listeners[0]["ListenerArn"]

    certificate = aws_client("acm").request_certificate(DomainName="orders.example.com")
    eb.update_environment(
        EnvironmentId=env_id,
        OptionSettings=[
            option("aws:autoscaling:asg", "MaxSize", "5"),
            option("aws:elbv2:listener:443", "Protocol", "HTTPS"),
            option("aws:elbv2:listener:443", "SSLCertificateArns", certificate["CertificateArn"]),
        ],
        OptionsToRemove=[
            {"Namespace": "aws:elasticbeanstalk:application:environment", "OptionName": "GREETING"}
        ],
    )
    assert eb.describe_environments(EnvironmentIds=[env_id])["Environments"][0]["Status"] == (
        "Updating"
    )
    error = error_of(eb.update_environment, EnvironmentId=env_id, Description="again")
    assert error["Message"] == (
        f"Environment named {name} is in an invalid state for this operation. Must be Ready."
    )
    wait_for(eb, env_id, "Ready")
    settings = settings_of(eb, app, name)
    assert settings[("aws:autoscaling:asg", "MaxSize")] == "5"
    assert ("aws:elasticbeanstalk:application:environment", "GREETING") not in settings
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["Name"])["Listeners"]
    by_port = {lst["Port"]: lst for lst in listeners}
    assert by_port[443]["Protocol"] == "HTTPS"
    assert by_port[80]["ListenerArn"] == http_listener, "rules on port 80 must survive updates"

    events = eb.describe_events(EnvironmentId=env_id)["Events"]
    messages = [e["Message"] for e in events]
    assert messages[0] == "Environment update completed successfully."
    assert messages[-1] == "createEnvironment is starting."
    assert f"Successfully launched environment: {name}" in messages
    assert eb.describe_events(EnvironmentId=env_id, Severity="ERROR")["Events"] == []
    assert [e["EventDate"] for e in events] == sorted(
        (e["EventDate"] for e in events), reverse=True
    )

    terminating = eb.terminate_environment(EnvironmentId=env_id)
    assert terminating["Status"] == "Terminating"
    wait_for(eb, env_id, "Terminated")
    remaining = elbv2.describe_load_balancers()["LoadBalancers"]
    assert balancer["Name"] not in {lb["LoadBalancerArn"] for lb in remaining}
    live = eb.describe_environments(ApplicationName=app, IncludeDeleted=False)["Environments"]
    assert live == []
    error = error_of(eb.describe_environment_resources, EnvironmentId=env_id)
    assert error["Message"] == f"No Environment found for EnvironmentId = '{env_id}'."


def test_option_settings_are_checked_like_the_service(eb: Any, app: str) -> None:
    def create(*settings: dict[str, str]) -> dict[str, str]:
        return error_of(
            eb.create_environment, ApplicationName=app, EnvironmentName=unique("env"),
            SolutionStackName=PYTHON_STACK, OptionSettings=list(settings),
        )  # fmt: skip

    error = create(option("aws:autoscaling:asg", "MaxSise", "3"))
    assert (error["Code"], error["Message"]) == (
        "ConfigurationValidationException",
        "Configuration validation exception: Invalid option specification (Namespace: "
        "'aws:autoscaling:asg', OptionName: 'MaxSise'): Unknown configuration setting.",
    )
    error = create(option("aws:elasticbeanstalk:environment", "EnvironmentType", "Big"))
    assert error["Message"].startswith(
        "Configuration validation exception: Invalid option value: 'Big' (Namespace: "
        "'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType')"
    )
    error = create(option("aws:ec2:vpc", "VPCId", "vpc-12345678"))
    assert error["Message"].endswith("Specify the subnets for the VPC.")
    error = create(
        option("aws:autoscaling:asg", "MinSize", "4"), option("aws:autoscaling:asg", "MaxSize", "2")
    )
    assert "MinSize must be less than or equal to MaxSize" in error["Message"]
    assert eb.describe_environments(ApplicationName=app)["Environments"] == []


def test_missing_instance_profile_fails_the_launch_with_an_error_event(eb: Any, app: str) -> None:
    env_id = eb.create_environment(
        ApplicationName=app, EnvironmentName=unique("env"), SolutionStackName=PYTHON_STACK,
        OptionSettings=[
            option("aws:autoscaling:launchconfiguration", "IamInstanceProfile", "no-such-profile")
        ],
    )["EnvironmentId"]  # fmt: skip
    assert wait_for(eb, env_id, "Ready")["Health"] == "Red"
    errors = eb.describe_events(EnvironmentId=env_id, Severity="ERROR")["Events"]
    assert [e["Message"] for e in errors] == [
        "Failed to launch environment.",
        "The instance profile no-such-profile associated with the environment does not exist.",
    ]


def test_tags_and_dns_names(eb: Any, app: str) -> None:
    prefix = unique("orders")
    assert eb.check_dns_availability(CNAMEPrefix=prefix)["Available"]
    env = eb.create_environment(
        ApplicationName=app, EnvironmentName=unique("env"), SolutionStackName=PYTHON_STACK,
        CNAMEPrefix=prefix,
    )  # fmt: skip
    assert env["CNAME"] == f"{prefix}.us-east-1.elasticbeanstalk.com"
    taken = eb.check_dns_availability(CNAMEPrefix=prefix)
    assert taken == {**taken, "Available": False, "FullyQualifiedCNAME": env["CNAME"]}

    app_arn = eb.describe_applications(ApplicationNames=[app])["Applications"][0]["ApplicationArn"]
    eb.update_tags_for_resource(
        ResourceArn=app_arn, TagsToAdd=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    )
    eb.update_tags_for_resource(ResourceArn=app_arn, TagsToRemove=["a", "never-set"])
    assert eb.list_tags_for_resource(ResourceArn=app_arn)["ResourceTags"] == [
        {"Key": "b", "Value": "2"}
    ]
    error = error_of(eb.list_tags_for_resource, ResourceArn=f"{app_arn}-gone")
    assert error["Code"] == "ResourceNotFoundException"
    wait_for(eb, env["EnvironmentId"], "Ready")


# --- the module, applied with Terraform ----------------------------------------------------------


class Root:
    """A copy of the module's example, run with the bundled Terraform against an emulator."""

    def __init__(self, folder: Path, home: Path, endpoint: str) -> None:
        # All modules: the example takes its buckets from the s3_bucket module.
        ignore = shutil.ignore_patterns(".terraform*", "*.tfstate*", "*_override.tf*")
        shutil.copytree(MODULES, folder / "modules", ignore=ignore)
        self.path = folder / "modules/beanstalk_service/examples/basic"
        emulator_wiring.write_override(self.path, endpoint, provider_major=3)
        tools = toolchain.ensure(home)
        # The override carries the emulator's test credentials.
        self.runner = TerraformRunner(self.path, tools.terraform_bin, tools.environment())
        self.seconds: dict[str, float] = {}

    def run(self, step: str, command: str, *args: str, expect: int = 0) -> Outcome:
        outcome = self.runner.capture(command, "-input=false", "-no-color", *args)
        self.seconds[step] = outcome.seconds
        assert outcome.returncode == expect, f"{step}:\n{outcome.stdout}\n{outcome.stderr}"
        return outcome


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


def test_module_example_applies_replans_empty_updates_and_destroys(
    tmp_path: Path, blueprint_home: Path, private_aws: tuple[str, Callable[[str], Any]]
) -> None:
    endpoint, aws = private_aws
    root = Root(tmp_path, blueprint_home, endpoint)
    root.run("init", "init")
    root.run("apply", "apply", "-auto-approve")
    root.run("replan", "plan", "-detailed-exitcode")
    eb = aws("elasticbeanstalk")
    (env,) = eb.describe_environments(IncludeDeleted=False)["Environments"]
    settings = settings_of(eb, env["ApplicationName"], env["EnvironmentName"])
    assert settings[("aws:autoscaling:launchconfiguration", "DisableIMDSv1")] == "true"
    assert settings[("aws:ec2:vpc", "AssociatePublicIpAddress")] == "false"
    assert settings[("aws:autoscaling:asg", "MaxSize")] == "3"
    variables = {n: v for (ns, n), v in settings.items() if ns.endswith("application:environment")}
    assert variables["KINESIS_STREAM_NAME"] == "example-orders-events"
    assert variables["S3_PREFIX"] == "orders/"
    assert "VersionLabel" not in env, "no bundle given: the sample application runs"

    root.run("update", "apply", "-auto-approve", "-var=max_instances=4")
    assert (
        settings_of(eb, env["ApplicationName"], env["EnvironmentName"])[
            ("aws:autoscaling:asg", "MaxSize")
        ]
        == "4"
    )

    bundle = tmp_path / "app.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("application.py", "def application(environ, start):\n    return []\n")
    certificate = aws("acm").request_certificate(DomainName="orders.example.com")
    variables_args = (
        "-var=max_instances=4",
        f"-var=certificate_arn={certificate['CertificateArn']}",
        f"-var=source_bundle_path={bundle}",
    )
    root.run("https and deploy", "apply", "-auto-approve", *variables_args)
    root.run("replan again", "plan", "-detailed-exitcode", *variables_args)
    (env,) = eb.describe_environments(IncludeDeleted=False)["Environments"]
    assert env["VersionLabel"]
    elbv2 = aws("elbv2")
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    by_port = {lst["Port"]: lst for lst in listeners}
    assert by_port[443]["Protocol"] == "HTTPS"
    rules = elbv2.describe_rules(ListenerArn=by_port[80]["ListenerArn"])["Rules"]
    redirect = next(r for r in rules if r["Priority"] == "1")["Actions"][0]
    assert redirect["RedirectConfig"]["Protocol"] == "HTTPS"
    assert redirect["RedirectConfig"]["StatusCode"] == "HTTP_301"

    iam = aws("iam")
    policy = iam.get_role_policy(RoleName="example-orders-eb-instance",
                                 PolicyName="example-orders-eb-instance")  # fmt: skip
    document = policy["PolicyDocument"]
    if isinstance(document, str):
        document = json.loads(document)
    for statement in document["Statement"]:
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert not any(a == "*" or a.endswith(":*") for a in actions), statement
        assert statement["Resource"] != "*", statement

    root.run("destroy", "destroy", "-auto-approve", *variables_args)
    assert eb.describe_applications()["Applications"] == []
    assert eb.describe_environments(IncludeDeleted=False)["Environments"] == []
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert elbv2.describe_target_groups()["TargetGroups"] == []
    assert iam.list_roles()["Roles"] == []
    assert aws("s3").list_buckets()["Buckets"] == []
    print("terraform steps (s):", {k: round(v, 1) for k, v in root.seconds.items()})
