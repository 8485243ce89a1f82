"""An environment made ready for Terraform: toolchain, emulator wiring, initialised root.

``prepare`` is what every Terraform job calls first. It starts the emulator for emulator-backed
environments, writes or removes the emulator override, moves aside a local state that describes
resources of an emulator that has since restarted, and runs ``terraform init`` only when the
configuration changed since the last one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import string
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from blueprint import emulator, emulator_wiring, environments, hcl, toolchain
from blueprint.config import Settings
from blueprint.environments import Environment
from blueprint.errors import BlueprintError
from blueprint.runner import IsFlagged, TerraformRunner, require_success

log = logging.getLogger(__name__)

LOCK_FILE = ".terraform.lock.hcl"
INIT_STAMP = "blueprint-init.sha256"
# Root variables the glue fills with a fresh random value on every run, through the environment
# (never argv, never a file). The modules use them only at creation and ignore later changes.
GENERATED_SECRETS = ("database_master_password",)
SECRET_ALPHABET = string.ascii_letters + string.digits + "-_+=.,:;!"
EMULATOR_ENV = {
    "AWS_ACCESS_KEY_ID": emulator_wiring.TEST_ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": emulator_wiring.TEST_SECRET_KEY,
    "AWS_SESSION_TOKEN": "",
    "AWS_PROFILE": "",
}


@dataclass(frozen=True)
class Workspace:
    settings: Settings
    environment: Environment
    tools: toolchain.Toolchain
    runner: TerraformRunner
    emulator: emulator.EmulatorInfo | None

    @property
    def data_dir(self) -> Path:
        return self.environment.root / ".terraform"


def config_fingerprint(settings: Settings, environment: Environment) -> str:
    """Hash of everything Terraform reads from disk for this root: code, inputs, lock file."""
    digest = hashlib.sha256()
    files = [
        *sorted(settings.modules_dir.rglob("*.tf")),
        *sorted(settings.envs_dir.rglob("*.tf")),
        *sorted(environment.root.glob("*.tf.json")),
        *sorted(environment.root.glob("*.tfvars")),
        *sorted(environment.root.glob("*.hcl")),
        environment.root / LOCK_FILE,
    ]
    for path in files:
        if ".terraform" in path.parts or not path.is_file():
            continue
        digest.update(str(path.relative_to(settings.project_root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def provider_major(root: Path) -> int:
    """Major version of the AWS provider the root's lock file selects (the bundled one if none)."""
    version = toolchain.PROVIDER_VERSION
    lock = root / LOCK_FILE
    if lock.is_file():
        for block in hcl.parse_file(lock).get("provider", []):
            for address, body in block.items():
                if hcl.unquote(address).endswith("/hashicorp/aws"):
                    version = hcl.unquote(body.get("version", version))
    return int(version.split(".")[0])


def generated_secrets(root: Path) -> dict[str, str]:
    declared = hcl.declared_variables(root)
    return {
        f"TF_VAR_{name}": "".join(secrets.choice(SECRET_ALPHABET) for _ in range(32))
        for name in GENERATED_SECRETS
        if name in declared
    }


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return {}


def _state_record_path(settings: Settings, environment: Environment) -> Path:
    return settings.emulator_paths.folder / f"state-{environment.name}.json"


def reconcile_local_state(settings: Settings, environment: Environment, instance_id: str) -> None:
    """Move aside a local state whose resources lived in an emulator that has since restarted.

    The emulator keeps everything in memory, so after a restart such a state describes ghosts.
    The glue records which emulator instance each state lineage was applied to; a state with
    resources and no matching record is kept (renamed, never deleted) and the plan starts empty.
    """
    state_path = environment.root / "terraform.tfstate"
    state = _read_json(state_path)
    if not state.get("resources"):
        return
    record = _read_json(_state_record_path(settings, environment))
    if record == {"lineage": state.get("lineage"), "instance_id": instance_id}:
        return
    kept = state_path.with_name(f"terraform.tfstate.before-emulator-restart-{int(time.time())}")
    state_path.replace(kept)
    log.warning(
        "the emulator restarted since %s/terraform.tfstate was written, so the resources it "
        "lists are gone; moved it to %s and planning from an empty state",
        environment.display, kept.name,
    )  # fmt: skip


def record_local_state(workspace: Workspace) -> None:
    """After a run that wrote state, tie the state's lineage to the emulator that holds it."""
    if workspace.emulator is None:
        return
    environment = workspace.environment
    lineage = _read_json(environment.root / "terraform.tfstate").get("lineage")
    record_path = _state_record_path(workspace.settings, environment)
    record_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.write_text(
        json.dumps({"lineage": lineage, "instance_id": workspace.emulator.instance_id})
    )


def prepare(settings: Settings, name: str) -> Workspace:
    environment = environments.load(settings.envs_dir, name)
    tools = toolchain.ensure(settings.home, settings.terraform_bin)
    extra_env = tools.environment()
    info = None
    if environment.uses_emulator:
        info = emulator.start(settings.emulator_paths, settings.emulator_port)
        emulator_wiring.write_override(
            environment.root, info.endpoint, provider_major(environment.root)
        )
        extra_env.update(EMULATOR_ENV)
        reconcile_local_state(settings, environment, info.instance_id)
    else:
        # A leftover override would point a real environment at the emulator.
        emulator_wiring.remove_override(environment.root)
    extra_env.update(generated_secrets(environment.root))
    runner = TerraformRunner(environment.root, tools.terraform_bin, extra_env)
    workspace = Workspace(settings, environment, tools, runner, info)
    init_if_needed(workspace)
    return workspace


def init_if_needed(workspace: Workspace) -> None:
    environment = workspace.environment
    fingerprint = config_fingerprint(workspace.settings, environment)
    stamp = workspace.data_dir / INIT_STAMP
    if stamp.is_file() and stamp.read_text() == fingerprint:
        return
    options: dict[str, Any] = {"input": False}
    if environment.backend_config is not None:
        options["backend_config"] = environment.backend_config.name
    outcome = workspace.runner.stream("init", **options)
    if outcome.returncode != 0:
        raise BlueprintError(
            f"terraform init failed in {environment.display} (exit {outcome.returncode}); "
            "see the output above"
        )
    log.info("initialised %s in %.1fs", environment.display, outcome.seconds)
    stamp.write_text(config_fingerprint(workspace.settings, environment))


def show_json(workspace: Workspace, plan_file: Path) -> dict[str, Any]:
    outcome = require_success(
        workspace.runner.capture("show", str(plan_file), json=IsFlagged, no_color=IsFlagged),
        "show",
    )
    return dict(json.loads(outcome.stdout))
