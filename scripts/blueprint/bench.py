"""``make bench``: the glue's cost and the local environment's speed, measured in one run.

Everything runs on a private copy of the project, with its own home folder and emulator port, so
the user's state is never touched. Times are wall-clock seconds (median of the repeats); the
ratio column compares each row with the baseline row of its group, measured in the same run.
"""

from __future__ import annotations

import logging
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from blueprint import emulator, jobs, packaging, policy, toolchain
from blueprint import workspace as ws
from blueprint.config import Settings, copy_project
from blueprint.runner import IsFlagged

log = logging.getLogger("blueprint.bench")

REPEATS = 3
GROUPS = ["init", "plan", "replan", "apply", "destroy", "package", "policy"]


@dataclass(frozen=True)
class Row:
    group: str
    name: str
    seconds: float
    baseline: bool = False


def timed(action: Callable[[], object], repeats: int = 1) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure_terraform(settings: Settings) -> list[Row]:
    """Init, plan, apply and destroy of envs/local: bare Terraform against the glue."""
    root = settings.envs_dir / "local"

    def init(cold: bool) -> Callable[[], object]:
        def run() -> None:
            if cold:
                shutil.rmtree(settings.home / "plugin-cache", ignore_errors=True)
            shutil.rmtree(root / ".terraform", ignore_errors=True)
            ws.prepare(settings, "local")

        return run

    rows = [
        Row("init", "init, cold (empty plugin cache)", timed(init(cold=True))),
        Row("init", "init, warm (provider cached)", timed(init(cold=False), REPEATS), True),
    ]
    workspace = ws.prepare(settings, "local")
    terraform = workspace.runner

    def bare(command: str, *args: str, **options: object) -> Callable[[], object]:
        def run() -> None:
            outcome = terraform.capture(
                command, *args, input=False, no_color=IsFlagged,
                env=workspace.plan_environment(), **options,
            )  # fmt: skip
            assert outcome.returncode == 0, outcome.stderr
            ws.record_local_state(workspace)

        return run

    def glue(job: Callable[[Settings, str], object]) -> Callable[[], object]:
        return lambda: job(settings, "local")

    bare_plan = bare("plan", out="bench.tfplan")
    rows += [
        Row("plan", "terraform plan (empty state)", timed(bare_plan, REPEATS), True),
        Row("plan", "blueprint plan (empty state)", timed(glue(jobs.plan), REPEATS)),
        Row("apply", "terraform apply", timed(bare("apply", auto_approve=IsFlagged)), True),
        Row("replan", "terraform plan (no changes)", timed(bare_plan, REPEATS), True),
        Row("replan", "blueprint plan (no changes)", timed(glue(jobs.plan), REPEATS)),
        Row("destroy", "terraform destroy", timed(bare("destroy", auto_approve=IsFlagged)), True),
        Row("apply", "blueprint apply", timed(glue(jobs.apply))),
        Row("destroy", "blueprint destroy", timed(glue(jobs.destroy))),
    ]
    return rows


def measure_packaging(settings: Settings) -> list[Row]:
    """The image thumbnailer (Pillow inside) against a plain pip install -t and zip."""
    source = settings.lambda_src_dir / "image_thumbnailer"
    target = packaging.Target("3.12")
    scratch = settings.home / "bench-packaging"
    build_dir, cache_dir = scratch / "build", scratch / "cache"

    def build() -> None:
        packaging.build_function(source, build_dir, cache_dir, target)

    def change_one_file() -> None:
        handler = source / "handler.py"
        handler.write_text(handler.read_text() + f"\n# bench {time.perf_counter_ns()}\n")
        build()

    naive = timed(lambda: packaging.naive_build(source, scratch / "naive.zip", target))
    return [
        Row("package", "pip install -t and zip (naive)", naive, True),
        Row("package", "blueprint package, cold", timed(build)),
        Row("package", "blueprint package, nothing changed", timed(build, REPEATS)),
        Row("package", "blueprint package, one file changed", timed(change_one_file, REPEATS)),
    ]


def measure_policy(settings: Settings) -> list[Row]:
    return [
        Row("policy", "policy, code only", timed(lambda: policy.evaluate(settings, plans=False)),
            True),
        Row("policy", "policy, code and the local plan", timed(lambda: policy.evaluate(settings))),
    ]  # fmt: skip


def table(rows: list[Row]) -> str:
    baselines = {row.group: row.seconds for row in rows if row.baseline}
    lines = ["| group | measurement | seconds | ratio to baseline |", "|---|---|---:|---:|"]
    for row in rows:
        base = baselines.get(row.group)
        ratio = "baseline" if row.baseline else (f"{row.seconds / base:.2f}x" if base else "-")
        lines.append(f"| {row.group} | {row.name} | {row.seconds:.2f} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="bench: %(message)s", stream=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="blueprint-bench-") as folder:
        base = Path(folder)
        settings = Settings(
            project_root=copy_project(base / "project"),
            home=base / "home",
            emulator_port=emulator.free_port(),
            terraform_bin=None,
            auto_approve=False,
        )
        toolchain.ensure(settings.home)
        try:
            rows = measure_terraform(settings)
            rows += measure_packaging(settings)
            rows += measure_policy(settings)
        finally:
            emulator.stop(settings.emulator_paths)
    print(table(sorted(rows, key=lambda row: (GROUPS.index(row.group), not row.baseline))))


if __name__ == "__main__":
    main()
