"""Policy checks on plans: the rule fixtures planned for real, and the local environment.

The fixtures of every rule are planned together, as one root, on the session's emulator under a
provider whose default_tags set owner and environment; checkov then judges the plan's JSON. The
sets below are what each fixture's resources must do on a plan, which differs from the HCL (see
tests/unit/test_policy_rules.py) only where a plan knows more or less than the code.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from blueprint import emulator, emulator_wiring, policy, toolchain
from blueprint.config import Settings, default_project_root
from blueprint.runner import IsFlagged, TerraformRunner, require_success

pytestmark = pytest.mark.integration

FIXTURES = default_project_root() / "tests" / "policy" / "fixtures"
RULES = {
    "required_tags": "CKV_BLUEPRINT_1",
    "iam_no_wildcards": "CKV_BLUEPRINT_2",
    "s3_bucket_tls_only": "CKV_BLUEPRINT_3",
    "log_group_retention": "CKV_BLUEPRINT_4",
    "security_group_public_ingress": "CKV_BLUEPRINT_5",
}
PROVIDER = """
provider "aws" {
  region = "us-east-1"

  default_tags {
    tags = { owner = "platform-team", environment = "fixtures" }
  }
}
"""
# (rule, folder) -> (resources passed, resources failed) on the plan. Only main.tf files are
# planned: the provider5.tf fixtures hold resource types that provider 3.39 lacks.
ON_PLAN = {
    ("required_tags", "pass"): (
        {"aws_sqs_queue.tagged_queue", "aws_cloudwatch_log_group.tagged_through_input"},
        set(),
    ),
    # The plan sees the tag values, so every queue without all three tags fails here.
    ("required_tags", "fail"): (
        set(),
        {
            "aws_sqs_queue.untagged",
            "aws_sqs_queue.tagged_without_service",
            "aws_sqs_queue.owner_blanked",
        },
    ),
    ("iam_no_wildcards", "pass"): (
        {
            "aws_iam_policy.scoped_writes",
            "aws_iam_policy.reads_and_unscopable_writes",
            "aws_iam_role.scoped_role",
            "aws_iam_role_policy.scoped_by_document",
        },
        set(),
    ),
    ("iam_no_wildcards", "fail"): (
        set(),
        {
            "aws_iam_policy.every_action",
            "aws_iam_policy.every_s3_action",
            "aws_iam_policy.all_but_iam",
            "aws_iam_policy.writes_everywhere",
            "aws_iam_role.wide_role",
            "aws_iam_role_policy.wide_by_document",
        },
    ),
    # A jsonencode around the bucket's ARN has no value until apply: judged on the HCL only.
    ("s3_bucket_tls_only", "pass"): (
        {"aws_s3_bucket.tls_by_document", "aws_s3_bucket.tls_inline"},
        set(),
    ),
    ("s3_bucket_tls_only", "fail"): (
        set(),
        {
            "aws_s3_bucket.no_policy",
            "aws_s3_bucket.policy_without_tls",
            "aws_s3_bucket.tls_for_reads_only",
            "aws_s3_bucket.policy_by_name",
        },
    ),
    ("log_group_retention", "pass"): (
        {"aws_cloudwatch_log_group.two_weeks", "aws_cloudwatch_log_group.retention_from_input"},
        set(),
    ),
    ("log_group_retention", "fail"): (
        set(),
        {"aws_cloudwatch_log_group.without_retention", "aws_cloudwatch_log_group.never_expires"},
    ),
    ("security_group_public_ingress", "pass"): (
        {
            "aws_security_group.web_from_anywhere",
            "aws_security_group.ssh_from_office",
            "aws_security_group_rule.http_from_anywhere",
        },
        set(),
    ),
    ("security_group_public_ingress", "fail"): (
        set(),
        {
            "aws_security_group.ssh_from_anywhere",
            "aws_security_group.everything_from_ipv6",
            "aws_security_group_rule.range_from_anywhere",
            "aws_security_group_rule.udp_from_anywhere",
        },
    ),
}
DECLARED = re.compile(r'^resource "(\w+)" "(\w+)"', re.MULTILINE)


@pytest.fixture(scope="module")
def plan_findings(
    tmp_path_factory: pytest.TempPathFactory,
    blueprint_home: Path,
    emulator_info: emulator.EmulatorInfo,
) -> tuple[list[policy.Finding], dict[str, tuple[str, str]]]:
    """The platform's checks on the plan of every fixture, and where each resource comes from."""
    root = tmp_path_factory.mktemp("fixtures-root")
    origin = {}
    for path in sorted(FIXTURES.glob("*/*/main.tf")):
        rule, folder = path.parent.parent.name, path.parent.name
        text = path.read_text()
        (root / f"{rule}_{folder}.tf").write_text(text)
        origin.update({f"{kind}.{name}": (rule, folder) for kind, name in DECLARED.findall(text)})
    (root / "providers.tf").write_text(PROVIDER)
    emulator_wiring.write_override(root, emulator_info.endpoint, 3)
    tools = toolchain.ensure(blueprint_home)
    credentials = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    terraform = TerraformRunner(root, tools.terraform_bin, {**tools.environment(), **credentials})
    require_success(terraform.capture("init", input=False, no_color=IsFlagged), "init")
    require_success(terraform.capture("plan", input=False, out="fixtures.tfplan"), "plan")
    shown = terraform.capture("show", "fixtures.tfplan", json=IsFlagged, no_color=IsFlagged)
    plan = tmp_path_factory.mktemp("plan") / "fixtures.plan.json"
    plan.write_text(require_success(shown, "show").stdout)

    checkov = str(policy.ensure_checkov())
    results = tmp_path_factory.mktemp("checkov")
    argv = policy.checkov_argv(
        checkov, "terraform_plan", "--file", str(plan), f"--repo-root-for-plan-enrichment={root}",
        "--check", ",".join(RULES.values()), "--output-file-path", str(results),
    )  # fmt: skip
    run = policy.CheckovRun("fixture plan", argv, results).start(root)
    findings, unparsed = policy.to_findings(run.finish(), root, {str(plan): "fixtures"})
    assert not unparsed
    return findings, origin


@pytest.mark.parametrize(
    ("rule", "folder"), sorted(ON_PLAN), ids=[f"{r}/{f}" for r, f in sorted(ON_PLAN)]
)
def test_rule_judges_the_plan_of_its_fixture_exactly(
    plan_findings: tuple[list[policy.Finding], dict[str, tuple[str, str]]], rule: str, folder: str
) -> None:
    findings, origin = plan_findings
    mine = [
        f for f in findings if f.check_id == RULES[rule] and origin[f.resource] == (rule, folder)
    ]
    passed = {finding.resource for finding in mine if finding.outcome == "passed"}
    failed = {finding.resource for finding in mine if finding.outcome == "failed"}
    assert (passed, failed) == ON_PLAN[rule, folder]


def resource_type(finding: policy.Finding) -> str:
    """aws_s3_bucket for module.files_bucket.aws_s3_bucket.this: addresses change, types less."""
    return finding.resource.rsplit(".", 2)[-2]


@pytest.fixture
def local(settings: Settings) -> Iterator[Settings]:
    yield settings
    emulator.stop(settings.emulator_paths)


def test_local_environment_passes_every_check(local: Settings, tmp_path: Path) -> None:
    junit = tmp_path / "policy.xml"
    report = policy.evaluate(local, junit_xml=junit)
    assert report.ok, "\n".join(policy.report_lines(report))
    assert report.planned == ("local",)
    passed = {(f.check_id, f.source, resource_type(f)) for f in report.outcome("passed")}
    assert ("CKV_BLUEPRINT_3", "plan local", "aws_s3_bucket") in passed
    assert ("CKV_BLUEPRINT_1", "plan local", "aws_kinesis_stream") in passed
    suites = {suite.get("name") for suite in ET.parse(junit).getroot()}
    assert {"modules/s3_bucket", "modules/kinesis_stream", "plan local"} <= suites


def test_a_bucket_open_to_plain_http_fails_with_its_file_and_line(local: Settings) -> None:
    """A copy whose bucket policy lets plain HTTP in, and whose streams take no tags."""
    bucket_code = local.project_root / "modules" / "s3_bucket" / "main.tf"
    text = bucket_code.read_text()
    assert 'values   = ["false"]' in text
    bucket_code.write_text(text.replace('values   = ["false"]', 'values   = ["true"]'))
    stream_code = local.project_root / "modules" / "kinesis_stream" / "main.tf"
    untagged, count = re.subn(r"\n\s*tags\s*=\s*var\.tags", "", stream_code.read_text())
    assert count == 1
    stream_code.write_text(untagged)

    with pytest.raises(policy.PolicyFailure) as caught:
        policy.run_policy(local)

    failed = {(f.check_id, f.source, f.file, resource_type(f)) for f in caught.value.report.failed}
    bucket, stream = "aws_s3_bucket", "aws_kinesis_stream"
    assert ("CKV_BLUEPRINT_3", "plan local", "modules/s3_bucket/main.tf", bucket) in failed
    assert ("CKV_BLUEPRINT_3", "modules/s3_bucket", "modules/s3_bucket/main.tf", bucket) in failed
    # The code shows the stream takes no tags; the plan, that it lacks the service tag.
    assert ("CKV_BLUEPRINT_1", "plan local", "modules/kinesis_stream/main.tf", stream) in failed
    assert (
        "CKV_BLUEPRINT_1",
        "modules/kinesis_stream",
        "modules/kinesis_stream/main.tf",
        stream,
    ) in failed
    first_line = text.splitlines().index('resource "aws_s3_bucket" "this" {') + 1
    lines = {
        f.line
        for f in caught.value.report.failed
        if f.check_id == "CKV_BLUEPRINT_3" and f.file == "modules/s3_bucket/main.tf"
    }
    assert lines == {first_line}


def namespace_available() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    return subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0


# Runs inside a network namespace with loopback only: every HTTP(S) proxy variable points at a
# listener that records the first line of each request, and checkov runs on one module.
TRAP = """
import json, socket, subprocess, sys, threading
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(16)
seen = []
def serve():
    while True:
        connection, _ = listener.accept()
        seen.append(connection.recv(256).split(b"\\r\\n")[0].decode(errors="replace"))
        connection.close()
threading.Thread(target=serve, daemon=True).start()
proxy = "http://127.0.0.1:%d" % listener.getsockname()[1]
environment = json.loads(sys.argv[1])
for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
    environment[name] = proxy
subprocess.run(json.loads(sys.argv[2]), env=environment, capture_output=True, timeout=300)
print(json.dumps(seen))
"""


@pytest.mark.skipif(not namespace_available(), reason="needs unshare --net (root or userns)")
@pytest.mark.parametrize("offline", [True, False], ids=["offline-settings", "checkov-defaults"])
def test_checkov_calls_nobody(tmp_path: Path, offline: bool) -> None:
    """With the policy run's settings checkov asks nothing of the network; by default it does.

    The second case proves that the trap catches checkov's calls; it stays in the namespace too.
    """
    argv = [
        str(policy.ensure_checkov()), "--directory", str(FIXTURES / "log_group_retention"),
        "--framework", "terraform", "--output", "json",
    ]  # fmt: skip
    environment = policy.checkov_environment()
    if offline:
        argv += policy.OFFLINE_FLAGS
    else:
        for name in policy.OFFLINE_ENV:
            environment.pop(name)
    script = shlex.join([sys.executable, "-c", TRAP, json.dumps(environment), json.dumps(argv)])
    done = subprocess.run(
        ["unshare", "--net", "sh", "-c", f"ip link set lo up && {script}"],
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    requests = json.loads(done.stdout)
    if offline:
        assert requests == []
    else:
        assert requests, "checkov's defaults made no request: the trap would miss calls"


def test_rehearsed_staging_and_prod_plans_pass_every_check(local: Settings) -> None:
    rehearsal = dataclasses.replace(local, rehearse=True)
    report = policy.evaluate(rehearsal, plans=True, environments=["staging", "prod"])
    assert report.ok, "\n".join(policy.report_lines(report))
    assert report.planned == ("staging", "prod")
    sources = {finding.source for finding in report.outcome("passed")}
    assert {"plan staging", "plan prod"} <= sources
