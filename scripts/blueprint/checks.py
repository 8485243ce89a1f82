"""``terraform validate`` over every environment and every module example."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from blueprint import environments, toolchain
from blueprint.config import Settings
from blueprint.errors import BlueprintError
from blueprint.runner import IsFlagged, TerraformRunner, first_error

log = logging.getLogger(__name__)


def validation_roots(settings: Settings) -> list[Path]:
    envs = [settings.envs_dir / name for name in environments.available(settings.envs_dir)]
    bootstrap = [settings.project_root / "bootstrap"]
    examples = sorted(path.parent for path in settings.modules_dir.glob("*/examples/*/main.tf"))
    return envs + bootstrap + examples


def validate_root(root: Path, tools: toolchain.Toolchain, lock_file: Path) -> str | None:
    """None when ``root`` is valid, else Terraform's first error in one line."""
    if not (root / lock_file.name).exists():
        # Module examples keep no lock file of their own. Without one, init copies the provider
        # into the shared plugin cache again, which fails while another Terraform runs it.
        shutil.copyfile(lock_file, root / lock_file.name)
    runner = TerraformRunner(root, tools.terraform_bin, tools.environment())
    init = runner.capture("init", backend=False, input=False, no_color=IsFlagged)
    if init.returncode != 0:
        return f"init: {first_error(init.stderr or init.stdout)}"
    result = runner.capture("validate", no_color=IsFlagged)
    if result.returncode != 0:
        return first_error(result.stderr or result.stdout)
    return None


def validate_all(settings: Settings) -> None:
    tools = toolchain.ensure(settings.home, settings.terraform_bin)
    failures = []
    lock_file = settings.envs_dir / "local" / ".terraform.lock.hcl"
    for root in validation_roots(settings):
        shown = root.relative_to(settings.project_root)
        problem = validate_root(root, tools, lock_file)
        if problem is None:
            log.info("valid: %s", shown)
        else:
            log.error("invalid: %s: %s", shown, problem)
            failures.append(str(shown))
    if failures:
        raise BlueprintError(f"terraform validate failed for: {', '.join(failures)}")
