"""Policy checks: checkov's built-in checks and the platform's own (``policies/``), offline.

Two checkov runs, side by side; the plans are made while the first one works:

- the code: one run over a copy of ``modules/`` and ``envs/`` (see ``stage_code``), so that
  checkov renders each module with the inputs of every root that calls it;
- the plans: the JSON of every planned environment, in one run, with the environments' code as
  ``--repo-root-for-plan-enrichment``. That is what makes checkov report a plan result at the
  file and line that made the resource and apply that code's ``#checkov:skip`` comments to it.
  Checkov honours the option only for files given with ``--file``, never with ``--directory``,
  so the two kinds of input cannot share a run.

A check that does not apply to one environment's inputs is listed in that environment's
``policy-skips.txt`` rather than skipped in shared code. Checkov lives in its own virtualenv
(``.venv-checkov``, built from ``requirements-checkov.lock`` on first use) because it pins an old
boto3 and some ninety packages. It runs with no API key and every call home switched off (see
``OFFLINE_ENV``). docs/policy.md is the user's guide.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from blueprint import jobs
from blueprint import workspace as ws
from blueprint.config import Settings, default_project_root
from blueprint.emulator_wiring import OVERRIDE_FILE
from blueprint.environments import SHARED, Environment, available, load
from blueprint.errors import BlueprintError

log = logging.getLogger(__name__)

VENV = ".venv-checkov"
LOCK = "requirements-checkov.lock"
POLICIES = "policies"
VENV_STAMP = "blueprint-lock.sha256"
SCANNED_FOLDERS = ("modules", "envs")
# What checkov reads of them: Terraform code, inputs and backend settings.
TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".hcl")
# Per environment: checks that do not apply to its plan (local has no second zone to fail over to).
ENVIRONMENT_SKIPS = "policy-skips.txt"
SKIP_LINE = re.compile(r"^(?P<check>[A-Za-z0-9_-]+)\s*:\s*(?P<reason>\S.*)$")
CHECKOV_TIMEOUT_S = 900.0
# Checkov's own name for a skip comment that gives no reason.
NO_REASON = "No comment provided"
OFFLINE_ENV = {
    # Nothing fetched from the Prisma Cloud platform: no check metadata, guidelines or mappings.
    "BC_SKIP_MAPPING": "TRUE",
    # No PyPI query for a newer checkov when checkov starts.
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE",
    # The graph library the checks in policies/ read (checkov's default, pinned here).
    "CHECKOV_GRAPH_FRAMEWORK": "RUSTWORKX",
    # Checkov imports policies/ by path; keep __pycache__ out of the repository.
    "PYTHONDONTWRITEBYTECODE": "1",
    "LOG_LEVEL": "WARNING",
}
OFFLINE_FLAGS = ("--skip-download", "--skip-results-upload")
# Settings of the caller's shell that would change what checkov does: an API key (uploads),
# another platform, other checks. Checkov runs without them.
SCRUBBED_PREFIXES = ("BC_", "CKV_", "CHECKOV_", "PRISMA_")


@dataclass(frozen=True)
class Finding:
    """One check on one resource: where it ran (``source``), where the code is, the outcome."""

    check_id: str
    name: str
    outcome: str  # passed, failed or skipped
    source: str  # modules/<name>, envs/<name> or "plan <environment>"
    file: str  # relative to the project
    line: int
    resource: str
    reason: str = ""  # the reason given for a skip
    caller: str = ""  # the root whose module call checkov rendered, when it says


@dataclass(frozen=True)
class PolicyReport:
    findings: tuple[Finding, ...]
    planned: tuple[str, ...]
    parsing_errors: tuple[str, ...]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def outcome(self, outcome: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.outcome == outcome]

    @property
    def failed(self) -> list[Finding]:
        return self.outcome("failed") + self.unexplained_skips

    @property
    def unexplained_skips(self) -> list[Finding]:
        return [finding for finding in self.outcome("skipped") if not finding.reason]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.parsing_errors

    def counts(self) -> dict[str, Counter[str]]:
        """Passed, failed and skipped counts by source, sources sorted."""
        counts: dict[str, Counter[str]] = {}
        for finding in self.findings:
            counts.setdefault(finding.source, Counter())[finding.outcome] += 1
        return dict(sorted(counts.items()))


class PolicyFailure(BlueprintError):
    """The policy run found failed checks; ``report`` holds every finding."""

    def __init__(self, report: PolicyReport) -> None:
        problems = len(report.failed) + len(report.parsing_errors)
        super().__init__(
            f"policy: {problems} problem(s), listed above; fix the code, or skip a check that "
            "does not apply with '#checkov:skip=<id>:<reason>' (docs/policy.md)"
        )
        self.report = report


# The checkov virtualenv ---------------------------------------------------------------------


def tool_root() -> Path:
    """Where the policies and checkov's virtualenv live: the repository the glue came from.

    They belong to the glue, like the bundled Terraform, not to the project being checked (a
    test's copy of the project has neither).
    """
    return default_project_root()


def ensure_checkov(venv: Path | None = None, lock: Path | None = None) -> Path:
    """The checkov executable of ``venv``, (re)built from ``lock`` when missing or stale."""
    venv = venv or tool_root() / VENV
    lock = lock or tool_root() / LOCK
    checkov = venv / "bin" / "checkov"
    if not lock.is_file():
        raise BlueprintError(f"{lock} is missing; restore it from git (docs/policy.md)")
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    stamp = venv / VENV_STAMP
    if checkov.is_file() and stamp.is_file() and stamp.read_text() == wanted:
        return checkov
    log.info("creating %s from %s (about a minute)", venv.name, lock.name)
    started = time.monotonic()
    for argv in (
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-input",
         "--disable-pip-version-check", "-r", str(lock)],
    ):  # fmt: skip
        log.info("$ %s", shlex.join(argv))
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise BlueprintError(
                f"could not build {venv} from {lock.name}: {detail[0]}; pip needs to reach "
                "PyPI (or set CHECKOV_BIN to a checkov 3.3 you installed)"
            )
    stamp.write_text(wanted)
    log.info("created %s in %.0fs", venv.name, time.monotonic() - started)
    return checkov


def checkov_environment() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
    return {**kept, **OFFLINE_ENV}


# Running checkov ----------------------------------------------------------------------------


@dataclass
class CheckovRun:
    """One checkov process writing its JSON results into ``folder``."""

    name: str
    argv: list[str]
    folder: Path
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    seconds: float = 0.0

    def start(self, cwd: Path) -> CheckovRun:
        self.folder.mkdir(parents=True, exist_ok=True)
        log.info("$ %s  (in %s)", shlex.join(self.argv), cwd)
        self.started = time.monotonic()
        with (self.folder / "checkov.log").open("wb") as sink:
            try:
                self.process = subprocess.Popen(
                    self.argv,
                    cwd=cwd,
                    env=checkov_environment(),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=sink,
                )
            except OSError as error:
                raise BlueprintError(
                    f"cannot run checkov {self.argv[0]!r}: {error.strerror}; unset CHECKOV_BIN "
                    "to use the one in .venv-checkov"
                ) from None
        return self

    def stop(self) -> None:
        """Stop checkov when the run is abandoned (a plan failed, an interrupt)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def finish(self) -> list[dict[str, Any]]:
        """Checkov's reports, one per framework; raises when checkov itself broke."""
        assert self.process is not None
        try:
            returncode = self.process.wait(timeout=CHECKOV_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise BlueprintError(
                f"checkov ({self.name}) ran past {CHECKOV_TIMEOUT_S:.0f}s and was stopped"
            ) from None
        self.seconds = time.monotonic() - self.started
        results = self.folder / "results_json.json"
        # 0: all passed, 1: a check failed; anything else is checkov failing.
        if returncode not in (0, 1) or not results.is_file():
            lines = (self.folder / "checkov.log").read_text(errors="replace").strip().splitlines()
            raise BlueprintError(
                f"checkov ({self.name}) failed (exit {returncode}): "
                f"{lines[-1] if lines else 'no output'}; its command is logged above"
            )
        document = json.loads(results.read_text())
        return document if isinstance(document, list) else [document]


def checkov_argv(checkov: str, framework: str, *options: str) -> list[str]:
    return [
        checkov, "--framework", framework, "--external-checks-dir", str(tool_root() / POLICIES),
        *OFFLINE_FLAGS, "--output", "json", *options,
    ]  # fmt: skip


def stage_code(project: Path, target: Path) -> Path:
    """A copy of the Terraform code of ``modules/`` and ``envs/``, for checkov to scan.

    Scanning the project itself would need --skip-path for everything else in it, and checkov
    3.3 crashes on a skip path that holds a regex quantifier (its module finder joins the
    patterns' characters into one regex). The copy leaves out Terraform's working files, the
    generated emulator wiring and hidden folders. It copies what symbolic links point to, and
    leaves out ``envs/shared``: an environment's ``main.tf`` is a link into that folder, which is
    no root of its own (it has no inputs), so its code is checked as part of each environment.
    """

    def ignored(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {
            name
            for name in names
            if name.startswith(".")
            or name == OVERRIDE_FILE
            or (here == project / "envs" and name == SHARED)
            or ((here / name).is_file() and not name.endswith(TERRAFORM_SUFFIXES))
        }

    for name in SCANNED_FOLDERS:
        if (project / name).is_dir():
            shutil.copytree(project / name, target / name, ignore=ignored)
    return target


def code_run(checkov: str, code: Path, folder: Path) -> CheckovRun:
    argv = checkov_argv(
        checkov, "terraform", "--directory", str(code), "--output-file-path", str(folder)
    )
    return CheckovRun("code", argv, folder)


def plan_run(checkov: str, plans: list[Path], roots: list[Path], folder: Path) -> CheckovRun:
    enrichment = [f"--repo-root-for-plan-enrichment={root}" for root in roots]
    argv = checkov_argv(
        checkov, "terraform_plan", "--file", *map(str, plans), *enrichment,
        "--output-file-path", str(folder),
    )  # fmt: skip
    return CheckovRun("plans", argv, folder)


# From checkov's results to findings -----------------------------------------------------------


def _relative(path: str | Path, project: Path) -> str:
    return os.path.relpath(os.path.normpath(path), project)


def code_location(item: dict[str, Any], project: Path) -> tuple[str, str]:
    """Source (``modules/<name>`` or ``envs/<name>``) and file of a result of the code run."""
    file = _relative(item["file_abs_path"], project)
    parts = Path(file).parts
    if len(parts) > 2 and parts[0] in SCANNED_FOLDERS:
        return f"{parts[0]}/{parts[1]}", file
    return file, file


def plan_location(item: dict[str, Any], plans: dict[str, str], project: Path) -> tuple[str, str]:
    """Source (``plan <environment>``) and file of a result of the plan run.

    Checkov gives failed and skipped results the file of the HCL that made the resource, relative
    to the environment's root; passed ones keep the plan file, which is temporary.
    """
    environment = plans.get(os.path.normpath(item["file_abs_path"]), "?")
    shown = item.get("file_path", "")
    if shown.startswith("/"):
        return f"plan {environment}", f"(plan of envs/{environment})"
    return f"plan {environment}", _relative(project / "envs" / environment / shown, project)


def to_findings(
    reports: list[dict[str, Any]], project: Path, plans: dict[str, str] | None = None
) -> tuple[list[Finding], list[str]]:
    """Findings and unparsed files of checkov's JSON reports (of the code run, or of plans)."""
    found: list[Finding] = []
    unparsed: list[str] = []
    for report in reports:
        results = report.get("results") or {}
        for path in results.get("parsing_errors", []):
            planned = (plans or {}).get(os.path.normpath(path))
            unparsed.append(f"the plan of envs/{planned}" if planned else _relative(path, project))
        for outcome in ("passed", "failed", "skipped"):
            for item in results.get(f"{outcome}_checks", []):
                if plans is None:
                    source, file = code_location(item, project)
                else:
                    source, file = plan_location(item, plans, project)
                reason = str(item["check_result"].get("suppress_comment") or "").strip()
                caller = str(item.get("caller_file_path") or "").lstrip("/")
                found.append(Finding(
                    check_id=item["check_id"],
                    name=item["check_name"],
                    outcome=outcome,
                    source=source,
                    file=file,
                    line=int((item.get("file_line_range") or [0])[0]),
                    resource=item["resource"],
                    reason="" if reason == NO_REASON else reason,
                    caller=caller if plans is None else "",
                ))  # fmt: skip
    return found, unparsed


def write_junit(report: PolicyReport, target: Path) -> None:
    """The report as JUnit XML for CI: a suite per source, a case per check and resource.

    Written from the findings rather than by checkov, so that it agrees with the run's verdict
    (environment skips, skips without a reason and unparsed files included).
    """
    failing = set(report.failed)
    suites = ET.Element("testsuites")
    for source in report.counts():
        suite = ET.SubElement(suites, "testsuite", name=source)
        cases = [finding for finding in report.findings if finding.source == source]
        for finding in cases:
            case = ET.SubElement(
                suite, "testcase", classname=source, name=f"{finding.check_id} {finding.resource}",
                file=finding.file, line=str(finding.line),
            )  # fmt: skip
            if finding in failing:
                failure = ET.SubElement(case, "failure", message=finding.name)
                failure.text = f"{finding.file}:{finding.line} {finding.reason}".strip()
            elif finding.outcome == "skipped":
                ET.SubElement(case, "skipped", message=finding.reason)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(len(suite.findall("testcase/failure"))))
        suite.set("skipped", str(len(suite.findall("testcase/skipped"))))
    if report.parsing_errors:
        suite = ET.SubElement(suites, "testsuite", name="unparsed files")
        for path in report.parsing_errors:
            case = ET.SubElement(
                suite, "testcase", classname="unparsed files", name=path, file=path
            )
            ET.SubElement(case, "failure", message="checkov could not parse it")
        suite.set("tests", str(len(report.parsing_errors)))
        suite.set("failures", str(len(report.parsing_errors)))
    for count in ("tests", "failures", "skipped"):
        suites.set(count, str(sum(int(suite.get(count, "0")) for suite in suites)))
    target.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(target, encoding="utf-8", xml_declaration=True)


# The policy run ---------------------------------------------------------------------------------


def planned_environments(settings: Settings) -> list[str]:
    """The environments planned by default: those that run on the emulator (all, rehearsed)."""
    names = available(settings.envs_dir)
    if settings.rehearse:
        return names
    return [name for name in names if Environment(name, settings.envs_dir / name).uses_emulator]


def environment_skips(settings: Settings, name: str) -> dict[str, str]:
    """Check id to reason, from ``envs/<name>/policy-skips.txt`` (``CHECK_ID: reason`` lines)."""
    path = settings.envs_dir / name / ENVIRONMENT_SKIPS
    if not path.is_file():
        return {}
    shown = f"envs/{name}/{ENVIRONMENT_SKIPS}"
    skips = {}
    for number, text in enumerate(path.read_text().splitlines(), 1):
        line = text.split("#", 1)[0].strip()
        if not line:
            continue
        match = SKIP_LINE.match(line)
        if match is None:
            raise BlueprintError(
                f"{shown}:{number}: write 'CHECK_ID: why it does not apply here', got {line!r}"
            )
        skips[match["check"]] = f"{match['reason']} ({shown})"
    return skips


def _environment_of(finding: Finding) -> str:
    """The environment a finding is about: its plan, or the root that rendered module code."""
    if finding.source.startswith("plan "):
        return finding.source.removeprefix("plan ")
    parts = Path(finding.caller).parts
    return parts[1] if len(parts) > 2 and parts[0] == "envs" else ""


def apply_environment_skips(
    findings: list[Finding], skips: dict[str, dict[str, str]], warn_unused: bool = True
) -> list[Finding]:
    """Failed findings of checks an environment skips, turned into skipped findings."""
    used: set[tuple[str, str]] = set()
    result = []
    for finding in findings:
        key = (_environment_of(finding), finding.check_id)
        reason = skips.get(key[0], {}).get(key[1])
        if finding.outcome == "failed" and reason:
            used.add(key)
            finding = replace(finding, outcome="skipped", reason=reason)
        result.append(finding)
    for name, listed in skips.items() if warn_unused else ():
        for check_id in sorted(set(listed) - {check for env, check in used if env == name}):
            log.warning(
                "envs/%s/%s: %s skips nothing; remove it", name, ENVIRONMENT_SKIPS, check_id
            )
    return result


def plan_document(settings: Settings, name: str) -> dict[str, Any]:
    """Plan the environment (saved, as ``blueprint plan`` does) and return the plan's JSON."""
    result = jobs.plan(settings, name)
    return ws.show_json(ws.prepare(settings, name), result.plan_file)


def evaluate(
    settings: Settings,
    plans: bool = True,
    junit_xml: Path | None = None,
    environments: Sequence[str] | None = None,
    checkov: str | None = None,
) -> PolicyReport:
    """Run every check and return the findings, failed or not; the benchmark calls this.

    The plan JSON can hold secret inputs, so it is written only to a private temporary folder
    (mode 0700, removed afterwards).
    """
    started = time.monotonic()
    executable = checkov or str(ensure_checkov())
    names = list(planned_environments(settings) if environments is None else environments)
    if not plans:
        names = []
    for name in names:
        load(settings.envs_dir, name)  # an unknown name fails here, before anything runs
    # Skips of every environment: they apply to its plan and to module code its root renders.
    skips = {name: environment_skips(settings, name) for name in available(settings.envs_dir)}
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="blueprint-policy-") as scratch:
        folder = Path(scratch).resolve()
        code = stage_code(settings.project_root, folder / "code")
        runs = [code_run(executable, code, folder / "code-results").start(code)]
        plan_files: dict[str, str] = {}
        try:
            if names:
                for name in names:
                    begun = time.monotonic()
                    path = folder / f"{name}.plan.json"
                    path.write_text(json.dumps(plan_document(settings, name)))
                    plan_files[str(path)] = name
                    timings[f"plan {name}"] = time.monotonic() - begun
                roots = [code / "envs" / name for name in names]
                files = [Path(path) for path in plan_files]
                runs.append(plan_run(executable, files, roots, folder / "plan-results").start(code))
            findings, unparsed = to_findings(runs[0].finish(), code)
            if len(runs) > 1:
                more, more_unparsed = to_findings(runs[1].finish(), code, plan_files)
                findings += more
                unparsed += more_unparsed
            findings = apply_environment_skips(findings, skips, warn_unused=bool(names))
        finally:
            for run in runs:
                run.stop()
        for run in runs:
            timings[f"checkov {run.name}"] = run.seconds
    report = PolicyReport(
        findings=tuple(findings),
        planned=tuple(names),
        parsing_errors=tuple(sorted(set(unparsed))),
        seconds=time.monotonic() - started,
        timings=timings,
    )
    if junit_xml is not None:
        write_junit(report, junit_xml)
    return report


def report_lines(report: PolicyReport) -> list[str]:
    """The report for people: counts by source, every skip with its reason, every failure."""
    spent = "; ".join(f"{name} {seconds:.1f}s" for name, seconds in report.timings.items())
    totals = Counter(finding.outcome for finding in report.findings)
    lines = [
        f"policy: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} "
        f"skipped in {report.seconds:.1f}s ({spent})",
        f"  {'source':<32} {'passed':>7} {'failed':>7} {'skipped':>8}",
    ]
    for source, counts in report.counts().items():
        lines.append(
            f"  {source:<32} {counts['passed']:>7} {counts['failed']:>7} {counts['skipped']:>8}"
        )
    skips: dict[tuple[str, str, int, str], set[str]] = {}
    for finding in report.outcome("skipped"):
        key = (finding.check_id, finding.file, finding.line, finding.reason)
        skips.setdefault(key, set()).add(finding.source)
    if skips:
        lines.append("skipped checks and why:")
    for (check_id, file, line, reason), sources in sorted(skips.items()):
        why = reason or "NO REASON GIVEN (counts as a failure)"
        lines.append(f"  {check_id} {file}:{line} [{', '.join(sorted(sources))}]: {why}")
    for path in report.parsing_errors:
        lines.append(f"UNCHECKED {path}: checkov could not parse it, so none of it was checked")
    for finding in sorted(report.outcome("failed"), key=lambda f: (f.file, f.line, f.check_id)):
        via = f" via {finding.caller}" if finding.caller else ""
        lines.append(
            f"FAILED {finding.check_id} {finding.file}:{finding.line} {finding.resource} "
            f"[{finding.source}{via}]: {finding.name}"
        )
    return lines


def run_policy(
    settings: Settings,
    plans: bool = True,
    junit_xml: Path | None = None,
    environments: Sequence[str] | None = None,
    checkov: str | None = None,
) -> PolicyReport:
    """Check the code and the plans, log the report; raise PolicyFailure on any failure."""
    report = evaluate(settings, plans, junit_xml, environments, checkov)
    for line in report_lines(report):
        log.info("%s", line)
    if not report.ok:
        raise PolicyFailure(report)
    return report
