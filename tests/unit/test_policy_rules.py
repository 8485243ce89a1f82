"""The platform's policy rules (policies/) on their fixtures, and the glue that reads checkov.

Checkov runs once over tests/policy/fixtures, with only the platform's checks. For every rule,
its ``pass`` and ``fail`` folders hold resources the rule must pass and fail, listed exactly below:
a resource of a fixture that is in neither set must not be judged at all. The plans of the same
fixtures are checked in tests/integration/test_policy_plans.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blueprint import policy
from blueprint.config import Settings, default_project_root
from blueprint.errors import BlueprintError

REPO = default_project_root()
FIXTURES = REPO / "tests" / "policy" / "fixtures"
POLICIES = REPO / "policies"
RULES = {
    "required_tags": "CKV_BLUEPRINT_1",
    "iam_no_wildcards": "CKV_BLUEPRINT_2",
    "s3_bucket_tls_only": "CKV_BLUEPRINT_3",
    "log_group_retention": "CKV_BLUEPRINT_4",
    "security_group_public_ingress": "CKV_BLUEPRINT_5",
}
# (rule, folder) -> (resources passed, resources failed), judged on HCL.
EXPECTED = {
    ("required_tags", "pass"): (
        {"aws_sqs_queue.tagged_queue", "aws_cloudwatch_log_group.tagged_through_input"},
        set(),
    ),
    # HCL sees only whether a resource takes tags; the values are judged on the plan.
    ("required_tags", "fail"): (
        {"aws_sqs_queue.tagged_without_service", "aws_sqs_queue.owner_blanked"},
        {"aws_sqs_queue.untagged"},
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
    ("s3_bucket_tls_only", "pass"): (
        {
            "aws_s3_bucket.tls_by_document",
            "aws_s3_bucket.tls_by_jsonencode",
            "aws_s3_bucket.tls_inline",
        },
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
            "aws_vpc_security_group_ingress_rule.https_from_anywhere",
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
            "aws_vpc_security_group_ingress_rule.postgres_from_anywhere",
        },
    ),
}


def judged(findings: list[policy.Finding], rule: str, folder: str) -> tuple[set, set]:
    mine = [
        finding
        for finding in findings
        if finding.check_id == RULES[rule] and Path(finding.file).parts[:2] == (rule, folder)
    ]
    passed = {finding.resource for finding in mine if finding.outcome == "passed"}
    failed = {finding.resource for finding in mine if finding.outcome == "failed"}
    return passed, failed


@pytest.fixture(scope="module")
def fixture_findings(tmp_path_factory: pytest.TempPathFactory) -> list[policy.Finding]:
    """The platform's checks over every fixture, in one checkov run."""
    checkov = str(policy.ensure_checkov())
    argv = policy.checkov_argv(
        checkov, "terraform", "--directory", str(FIXTURES), "--check", ",".join(RULES.values()),
        "--output-file-path", str(tmp_path_factory.mktemp("checkov")),
    )  # fmt: skip
    run = policy.CheckovRun("fixtures", argv, Path(argv[-1])).start(FIXTURES)
    findings, unparsed = policy.to_findings(run.finish(), FIXTURES)
    assert not unparsed
    return findings


@pytest.mark.parametrize(
    ("rule", "folder"), sorted(EXPECTED), ids=[f"{r}/{f}" for r, f in sorted(EXPECTED)]
)
def test_rule_judges_its_fixture_exactly(
    fixture_findings: list[policy.Finding], rule: str, folder: str
) -> None:
    assert judged(fixture_findings, rule, folder) == EXPECTED[rule, folder]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_fail_fixture_fails(fixture_findings: list[policy.Finding], rule: str) -> None:
    """The fail folder proves the rule can fail; the pass folder, that it can pass."""
    assert judged(fixture_findings, rule, "fail")[1]
    assert judged(fixture_findings, rule, "pass")[0]


def test_every_check_has_fixtures_and_is_documented() -> None:
    readme = (POLICIES / "README.md").read_text()
    checks = sorted(path.stem for path in POLICIES.glob("*.py") if not path.stem.startswith("_"))
    assert checks == sorted(RULES)
    for name, check_id in RULES.items():
        source = (POLICIES / f"{name}.py").read_text()
        assert re.search(rf'id="{check_id}"', source), f"policies/{name}.py is not {check_id}"
        assert f"`{check_id}`" in readme and f"{name}.py" in readme
        for folder in ("pass", "fail"):
            assert list((FIXTURES / name / folder).glob("*.tf")), f"no {name}/{folder} fixture"


# The glue: reading checkov's results ----------------------------------------------------------


def result(check_id: str, path: str, resource: str, **extra: object) -> dict:
    return {
        "check_id": check_id,
        "check_name": f"name of {check_id}",
        "check_result": {"result": "X", **extra.pop("check_result", {})},
        "file_abs_path": path,
        "file_path": extra.pop("file_path", "/" + path),
        "file_line_range": [7, 9],
        "resource": resource,
        **extra,
    }


def test_code_results_are_grouped_by_module_and_environment(tmp_path: Path) -> None:
    reports = [{
        "check_type": "terraform",
        "results": {
            "passed_checks": [result("A", str(tmp_path / "modules/x/main.tf"), "aws_s3_bucket.a")],
            "failed_checks": [result(
                "B", str(tmp_path / "modules/x/main.tf"), "module.m.aws_s3_bucket.this",
                caller_file_path="/envs/local/main.tf",
            )],
            "skipped_checks": [result(
                "C", str(tmp_path / "envs/local/main.tf"), "aws_kms_key.k",
                check_result={"suppress_comment": "No comment provided"},
            )],
            "parsing_errors": [str(tmp_path / "modules/y/variables.tf")],
        },
    }]  # fmt: skip
    findings, unparsed = policy.to_findings(reports, tmp_path)
    assert [(f.check_id, f.outcome, f.source, f.file, f.line) for f in findings] == [
        ("A", "passed", "modules/x", "modules/x/main.tf", 7),
        ("B", "failed", "modules/x", "modules/x/main.tf", 7),
        ("C", "skipped", "envs/local", "envs/local/main.tf", 7),
    ]
    assert findings[1].caller == "envs/local/main.tf"
    assert unparsed == ["modules/y/variables.tf"]
    report = policy.PolicyReport(tuple(findings), (), tuple(unparsed), 1.0)
    # A skip without a reason counts as a failure, and so does a file checkov could not read.
    assert [f.check_id for f in report.failed] == ["B", "C"]
    assert not report.ok


def test_plan_results_point_at_the_code_of_the_environment(tmp_path: Path) -> None:
    plan = str(tmp_path / "local.plan.json")
    reports = [{
        "check_type": "terraform_plan",
        "results": {
            "passed_checks": [result("A", plan, "aws_s3_bucket.a", file_path="/local.plan.json")],
            "failed_checks": [result(
                "B", plan, "module.m.aws_s3_bucket.this", file_path="../../modules/x/main.tf"
            )],
        },
    }]  # fmt: skip
    findings, _ = policy.to_findings(reports, tmp_path, {plan: "local"})
    assert [(f.source, f.file) for f in findings] == [
        ("plan local", "(plan of envs/local)"),
        ("plan local", "modules/x/main.tf"),
    ]
    # Checkov writes a summary without results when it found nothing to check.
    assert policy.to_findings([{"passed": 0, "failed": 0}], tmp_path) == ([], [])


def test_environment_skips_turn_plan_failures_into_skips(tmp_path: Path) -> None:
    settings = Settings(
        project_root=tmp_path, home=tmp_path, emulator_port=4999, terraform_bin=None,
        auto_approve=False,
    )  # fmt: skip
    (tmp_path / "envs" / "local").mkdir(parents=True)
    skips_file = tmp_path / "envs" / "local" / policy.ENVIRONMENT_SKIPS
    skips_file.write_text("# why each check does not apply here\nCKV_AWS_157: one zone only\n")
    skips = {"local": policy.environment_skips(settings, "local")}
    assert skips == {"local": {"CKV_AWS_157": "one zone only (envs/local/policy-skips.txt)"}}
    failed = policy.Finding("CKV_AWS_157", "n", "failed", "plan local", "f.tf", 1, "r")
    other = policy.Finding("CKV_AWS_1", "n", "failed", "plan local", "f.tf", 1, "r")
    changed = policy.apply_environment_skips([failed, other], skips)
    assert [(f.outcome, f.reason) for f in changed] == [
        ("skipped", "one zone only (envs/local/policy-skips.txt)"),
        ("failed", ""),
    ]
    skips_file.write_text("CKV_AWS_157\n")
    with pytest.raises(BlueprintError, match=r"policy-skips.txt:1: write 'CHECK_ID: why"):
        policy.environment_skips(settings, "local")


def test_report_lists_counts_skips_and_failures() -> None:
    findings = (
        policy.Finding("A", "Name A", "passed", "modules/x", "modules/x/main.tf", 3, "r"),
        policy.Finding("B", "Name B", "skipped", "modules/x", "modules/x/main.tf", 3, "r", "why"),
        policy.Finding("B", "Name B", "skipped", "plan local", "modules/x/main.tf", 3, "r", "why"),
        policy.Finding("C", "Name C", "failed", "plan local", "modules/x/main.tf", 9, "m.r"),
    )
    lines = policy.report_lines(policy.PolicyReport(findings, ("local",), (), 2.5, {"plan": 1.0}))
    assert lines[0] == "policy: 1 passed, 1 failed, 2 skipped in 2.5s (plan 1.0s)"
    assert "  B modules/x/main.tf:3 [modules/x, plan local]: why" in lines
    assert lines[-1] == "FAILED C modules/x/main.tf:9 m.r [plan local]: Name C"


def test_staged_code_leaves_out_working_files_and_follows_links(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for folder in ("modules/m/.terraform", "envs/shared", "envs/local", "lambda_src"):
        (project / folder).mkdir(parents=True)
    (project / "modules/m/main.tf").write_text("# module\n")
    (project / "modules/m/README.md").write_text("# docs\n")
    (project / "modules/m/.terraform/x.tf").write_text("")
    (project / "envs/shared/main.tf").write_text("# shared\n")
    (project / "envs/local/main.tf").symlink_to("../shared/main.tf")
    (project / "envs/local/terraform.tfvars").write_text("")
    (project / "envs/local/terraform.tfstate").write_text("{}")
    (project / "envs/local/blueprint_emulator_override.tf.json").write_text("{}")
    (project / "lambda_src/app.tf").write_text("")
    staged = policy.stage_code(project, tmp_path / "staged")
    files = sorted(str(path.relative_to(staged)) for path in staged.rglob("*") if path.is_file())
    assert files == ["envs/local/main.tf", "envs/local/terraform.tfvars", "modules/m/main.tf"]
    assert not (staged / "envs/local/main.tf").is_symlink()


def test_checkov_runs_offline_without_the_callers_platform_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BC_API_KEY", "not-for-checkov")
    monkeypatch.setenv("CKV_FRAMEWORK", "secrets")
    environment = policy.checkov_environment()
    assert "BC_API_KEY" not in environment and "CKV_FRAMEWORK" not in environment
    assert environment["BC_SKIP_MAPPING"] == "TRUE"
    assert environment["CKV_SKIP_PACKAGE_UPDATE_CHECK"] == "TRUE"
    argv = policy.checkov_argv("checkov", "terraform")
    assert "--skip-download" in argv and "--skip-results-upload" in argv


def test_junit_report_agrees_with_the_verdict(tmp_path: Path) -> None:
    findings = (
        policy.Finding("A", "Name A", "passed", "modules/x", "modules/x/main.tf", 3, "r"),
        policy.Finding("B", "Name B", "skipped", "plan local", "modules/x/main.tf", 3, "r", "why"),
        policy.Finding("C", "Name C", "skipped", "plan local", "modules/x/main.tf", 9, "r"),
    )
    report = policy.PolicyReport(findings, ("local",), ("modules/y/variables.tf",), 1.0)
    target = tmp_path / "out" / "policy.xml"
    policy.write_junit(report, target)
    suites = ET.parse(target).getroot()
    assert [suite.get("name") for suite in suites] == ["modules/x", "plan local", "unparsed files"]
    assert (suites.get("tests"), suites.get("failures"), suites.get("skipped")) == ("4", "2", "1")
    # A skip without a reason fails, as it does in the run's verdict.
    (failure,) = suites[1].findall("testcase/failure")
    assert failure.get("message") == "Name C"
