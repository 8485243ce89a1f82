"""A Terraform root made ready to run: toolchain, emulator wiring, guards, initialised.

``prepare`` (an environment) and ``prepare_bootstrap`` (the state backend of an environment's
account) are what every Terraform job calls first. They start the emulator for emulator runs
(``local`` always, staging and prod when rehearsed), write or remove the emulator override, check
that the credentials belong to an account the environment allows, move aside a local state that
describes resources of an emulator that has since restarted, and run ``terraform init`` only when
the configuration changed since the last one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import string
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blueprint import aws, emulator, emulator_wiring, environments, hcl, packaging, toolchain
from blueprint.bundles import build_bundles
from blueprint.config import Settings
from blueprint.environments import Environment
from blueprint.errors import BlueprintError
from blueprint.runner import IsFlagged, TerraformRunner, require_success

log = logging.getLogger(__name__)

LOCK_FILE = ".terraform.lock.hcl"
LAMBDA_INPUTS_FILE = "blueprint_lambda.auto.tfvars.json"
INIT_STAMP = "blueprint-init.sha256"
BOOTSTRAP_ROOT = "bootstrap"
# Root variables the glue fills with a fresh random value on every run, through the environment
# (never argv, never a file). The modules use them only at creation and ignore later changes.
GENERATED_SECRETS = ("database_master_password",)
SECRET_ALPHABET = string.ascii_letters + string.digits + "-_+=.,:;!"


@dataclass(frozen=True)
class Workspace:
    settings: Settings
    environment: Environment
    tools: toolchain.Toolchain
    runner: TerraformRunner
    emulator: emulator.EmulatorInfo | None
    root: Path
    data_dir: Path
    label: str
    account: str | None = None
    init_options: dict[str, Any] = field(default_factory=dict)
    local_state: Path | None = None

    def plan_environment(self) -> dict[str, str]:
        """Generated secrets, passed to ``plan`` only: a saved plan carries its own values."""
        return generated_secrets(self.root)

    @property
    def rehearsal(self) -> bool:
        return self.emulator is not None and not self.environment.uses_emulator


def config_fingerprint(settings: Settings, root: Path, extra: tuple[Path, ...] = ()) -> str:
    """Hash of everything Terraform reads from disk for this root: code, inputs, lock file."""
    digest = hashlib.sha256()
    files = [
        *sorted(settings.modules_dir.rglob("*.tf")),
        *sorted(root.glob("*.tf")),
        *sorted(root.glob("*.tf.json")),
        *sorted(root.glob("*.tfvars")),
        *sorted(root.glob("*.tfvars.json")),
        *sorted(root.glob("*.hcl")),
        root / LOCK_FILE,
        *extra,
    ]
    for path in files:
        if ".terraform" in path.parts or not path.is_file():
            continue
        digest.update(str(path.resolve()).encode() + b"\0")
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


def _state_record(workspace: Workspace) -> Path:
    assert workspace.emulator is not None and workspace.local_state is not None
    key = hashlib.sha256(str(workspace.local_state).encode()).hexdigest()[:16]
    return workspace.settings.emulator_paths.folder / f"state-{key}.json"


def reconcile_local_state(workspace: Workspace) -> None:
    """Move aside a local state whose resources lived in an emulator that has since restarted.

    The emulator keeps everything in memory, so after a restart such a state describes ghosts.
    The glue records which emulator instance each state lineage was applied to; a state with
    resources and no matching record is kept (renamed, never deleted) and the plan starts empty.
    """
    if workspace.emulator is None or workspace.local_state is None:
        return
    state_path = workspace.local_state
    state = _read_json(state_path)
    if not state.get("resources"):
        return
    expected = {"lineage": state.get("lineage"), "instance_id": workspace.emulator.instance_id}
    if _read_json(_state_record(workspace)) == expected:
        return
    kept = state_path.with_name(f"{state_path.name}.before-emulator-restart-{int(time.time())}")
    state_path.replace(kept)
    log.warning(
        "the emulator restarted since the state of %s was written, so the resources it lists "
        "are gone; moved it to %s and planning from an empty state",
        workspace.label, kept,
    )  # fmt: skip


def record_local_state(workspace: Workspace) -> None:
    """After a run that wrote state, tie the state's lineage to the emulator that holds it."""
    state = workspace.local_state
    if state is None:
        return
    for path in (state, state.with_name(f"{state.name}.backup")):
        # The state holds the database's initial password: owner-only, like the plan files.
        if path.exists():
            path.chmod(0o600)
    if workspace.emulator is None:
        return
    lineage = _read_json(workspace.local_state).get("lineage")
    record = _state_record(workspace)
    record.parent.mkdir(parents=True, exist_ok=True)
    instance_id = workspace.emulator.instance_id
    record.write_text(json.dumps({"lineage": lineage, "instance_id": instance_id}))


def _target(
    settings: Settings, environment: Environment, info: emulator.EmulatorInfo | None
) -> aws.Target:
    region = str(environment.inputs().get("region") or "us-east-1")
    if info is None:
        return aws.Target(region, instance_credentials=settings.instance_credentials)
    return aws.Target(region, info.endpoint, emulator_access_key(environment))


def emulator_access_key(environment: Environment) -> str:
    """A rehearsal signs as the environment's own account; ``local`` as the emulator's default."""
    allowed = environment.allowed_account_ids()
    return allowed[0] if allowed else emulator_wiring.TEST_ACCESS_KEY


def check_account(environment: Environment, target: aws.Target, rehearsal: bool) -> str:
    """Show account, region and environment; refuse credentials for any other account."""
    account = aws.caller_account(target)
    allowed = environment.allowed_account_ids()
    where = "the emulator (rehearsal)" if rehearsal else "AWS"
    log.info(
        "account %s, region %s, environment %s, on %s",
        account, target.region, environment.name, where,
    )  # fmt: skip
    if allowed and account not in allowed:
        raise BlueprintError(
            f"the credentials are for account {account}, but {environment.display} allows only "
            f"{', '.join(allowed)}; switch AWS_PROFILE to that account"
        )
    return account


def _emulator_env(access_key: str) -> dict[str, str]:
    return {
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": emulator_wiring.TEST_SECRET_KEY,
        "AWS_SESSION_TOKEN": "",
        "AWS_PROFILE": "",
    }


def _start(
    settings: Settings, environment: Environment, root: Path
) -> tuple[toolchain.Toolchain, emulator.EmulatorInfo | None, dict[str, str]]:
    """Toolchain, emulator (when this run uses it) and the environment Terraform runs with."""
    tools = toolchain.ensure(settings.home, settings.terraform_bin)
    extra_env = tools.environment()
    info = None
    if environment.uses_emulator or settings.rehearse:
        info = emulator.start(settings.emulator_paths, settings.emulator_port)
        access_key = emulator_access_key(environment)
        emulator_wiring.write_override(root, info.endpoint, provider_major(root), access_key)
        extra_env.update(_emulator_env(access_key))
    else:
        # A leftover override would point a real environment at the emulator.
        emulator_wiring.remove_override(root)
    return tools, info, extra_env


def lambda_runtime(settings: Settings, environment: Environment, root: Path) -> str:
    """The runtime this run gives the Lambda functions: forced on the emulator, else the input."""
    forced = None
    if environment.uses_emulator or settings.rehearse:
        forced = emulator_wiring.forced_inputs(root, provider_major(root)).get("lambda_runtime")
    chosen = forced or environment.inputs().get("lambda_runtime")
    if not isinstance(chosen, str) or not chosen.startswith("python"):
        raise BlueprintError(
            f'{environment.display}/terraform.tfvars must set lambda_runtime, e.g. "python3.12"'
        )
    return chosen


def package_lambdas(
    settings: Settings, environment: Environment, root: Path
) -> list[packaging.BuildResult]:
    """Build the functions of lambda_src for this run's runtime and hand them to Terraform."""
    if "lambda_packages" not in hcl.declared_variables(root):
        return []
    runtime = lambda_runtime(settings, environment, root)
    target = packaging.Target(runtime.removeprefix("python"))
    results = packaging.build_all(
        settings.lambda_src_dir,
        settings.build_dir / "lambda" / target.runtime,
        settings.home / "lambda-cache",
        target,
    )
    packages = {
        result.name: {
            "zip_path": os.path.relpath(result.zip_path, root),
            "source_code_hash": result.source_code_hash,
        }
        for result in results
    }
    text = json.dumps({"lambda_packages": packages}, indent=2, sort_keys=True) + "\n"
    path = root / LAMBDA_INPUTS_FILE
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return results


def prepare(settings: Settings, name: str, package: bool = True) -> Workspace:
    """Ready ``name`` for Terraform; ``package`` builds the Lambda zips first (not for reads)."""
    environment = environments.load(settings.envs_dir, name)
    root = environment.root
    if package:
        # Before anything starts, so a broken function stops the run with nothing changed, and
        # a plan never refers to stale zips.
        package_lambdas(settings, environment, root)
        if "service_bundles" in hcl.declared_variables(root):
            build_bundles(settings, environment, root)
    tools, info, extra_env = _start(settings, environment, root)
    rehearsal = info is not None and not environment.uses_emulator
    account = None
    if not environment.uses_emulator:
        account = check_account(environment, _target(settings, environment, info), rehearsal)
    # Rehearsals keep their own Terraform data folder, so that switching between the emulator
    # and the real account never asks to migrate state.
    data_dir = root / (".terraform-rehearsal" if rehearsal else ".terraform")
    extra_env["TF_DATA_DIR"] = str(data_dir)
    init_options: dict[str, Any] = {}
    if environment.backend_config is not None:
        init_options["backend_config"] = environment.backend_config.name
    if rehearsal:
        ensure_rehearsal_backend(settings, environment)
    local_backend = hcl.backend_block(root, "local") is not None
    workspace = Workspace(
        settings=settings,
        environment=environment,
        tools=tools,
        runner=TerraformRunner(root, tools.terraform_bin, extra_env),
        emulator=info,
        root=root,
        data_dir=data_dir,
        label=environment.display + (" (rehearsal)" if rehearsal else ""),
        account=account,
        init_options=init_options,
        local_state=root / "terraform.tfstate" if local_backend else None,
    )
    reconcile_local_state(workspace)
    init_if_needed(workspace)
    return workspace


def ensure_rehearsal_backend(settings: Settings, environment: Environment) -> None:
    """Create the environment's state bucket and lock table in the emulator when missing."""
    backend = environment.backend_settings()
    info = emulator.status(settings.emulator_paths)
    assert info is not None
    target = _target(settings, environment, info)
    if aws.bucket_exists(target, str(backend.get("bucket"))) and aws.table_exists(
        target, str(backend.get("dynamodb_table"))
    ):
        return
    log.info("creating the state backend of %s in the emulator", environment.display)
    # Imported here: jobs builds on this module.
    from blueprint import jobs

    # Part of preparing the emulator, so no question is asked.
    jobs.apply_workspace(
        prepare_bootstrap(settings, environment.name), destroy=False, confirmed=True
    )


def bootstrap_inputs(environment: Environment) -> dict[str, Any]:
    backend = environment.backend_settings()
    missing = [key for key in ("bucket", "dynamodb_table", "region") if not backend.get(key)]
    if missing:
        raise BlueprintError(
            f"{environment.display}/backend.hcl must set {', '.join(missing)} "
            "(the state bucket, lock table and region) before bootstrap"
        )
    inputs = environment.inputs()
    return {
        "bucket_name": backend["bucket"],
        "lock_table_name": backend["dynamodb_table"],
        "region": backend["region"],
        "allowed_account_ids": inputs.get("allowed_account_ids"),
        "owner": inputs.get("owner", "platform-team"),
        "environment": environment.name,
    }


def prepare_bootstrap(settings: Settings, name: str) -> Workspace:
    """The bootstrap root (state bucket and lock table) for the account of environment ``name``.

    Its own state is small and kept locally under the home folder; when that state is missing but
    the bucket and table exist (another machine made them), they are imported, so bootstrap can
    run again anywhere and only converges.
    """
    environment = environments.load(settings.envs_dir, name)
    if environment.backend_config is None:
        raise BlueprintError(
            f"{environment.display} keeps its state locally; bootstrap is for environments "
            "with an S3 backend (staging, prod)"
        )
    inputs = bootstrap_inputs(environment)
    root = settings.project_root / BOOTSTRAP_ROOT
    if not root.is_dir():
        raise BlueprintError(f"{root} is missing; it holds the state backend's Terraform root")
    tools, info, extra_env = _start(settings, environment, root)
    rehearsal = info is not None
    folder = settings.home / "bootstrap" / (f"{name}-rehearsal" if rehearsal else name)
    folder.mkdir(parents=True, exist_ok=True)
    var_file = folder / "bootstrap.tfvars.json"
    var_file.write_text(json.dumps(inputs, indent=2, sort_keys=True))
    target = aws.Target(
        inputs["region"],
        info.endpoint if info else None,
        emulator_access_key(environment) if info else None,
        instance_credentials=settings.instance_credentials,
    )
    account = check_account(environment, target, rehearsal)
    extra_env["TF_DATA_DIR"] = str(folder / "terraform-data")
    # -var-file on every plan, via the environment, so that saved plans and destroy agree.
    extra_env["TF_CLI_ARGS_plan"] = f"-var-file={var_file}"
    state = folder / "terraform.tfstate"
    workspace = Workspace(
        settings=settings,
        environment=environment,
        tools=tools,
        runner=TerraformRunner(root, tools.terraform_bin, extra_env),
        emulator=info,
        root=root,
        data_dir=folder / "terraform-data",
        label=f"bootstrap of {environment.display}" + (" (rehearsal)" if rehearsal else ""),
        account=account,
        init_options={"backend_config": f"path={state}"},
        local_state=state,
    )
    reconcile_local_state(workspace)
    write_bootstrap_imports(workspace, target, inputs)
    init_if_needed(workspace, extra=(var_file,))
    return workspace


IMPORTS_FILE = "blueprint_bootstrap_imports.tf.json"


def write_bootstrap_imports(workspace: Workspace, target: aws.Target, inputs: dict) -> None:
    """Adopt a state bucket and lock table that exist but are missing from the local state."""
    path = workspace.root / IMPORTS_FILE
    path.unlink(missing_ok=True)
    state = _read_json(workspace.local_state) if workspace.local_state else {}
    if state.get("resources"):
        return
    bucket, table = inputs["bucket_name"], inputs["lock_table_name"]
    imports = []
    if aws.bucket_exists(target, bucket):
        prefix = "module.state_backend.module.bucket"
        imports += [
            {"to": f"{prefix}.aws_s3_bucket.this", "id": bucket},
            {"to": f"{prefix}.aws_s3_bucket_public_access_block.this", "id": bucket},
            {"to": f"{prefix}.aws_s3_bucket_policy.this", "id": bucket},
        ]
    if aws.table_exists(target, table):
        imports.append({"to": "module.state_backend.aws_dynamodb_table.this", "id": table})
    if imports:
        log.info("adopting the existing state backend: %s", ", ".join(i["to"] for i in imports))
        path.write_text(json.dumps({"import": imports}, indent=2))


def init_if_needed(workspace: Workspace, extra: tuple[Path, ...] = ()) -> None:
    fingerprint = config_fingerprint(workspace.settings, workspace.root, extra)
    stamp = workspace.data_dir / INIT_STAMP
    if stamp.is_file() and stamp.read_text() == fingerprint:
        return
    outcome = workspace.runner.stream(
        "init", input=False, reconfigure=IsFlagged, **workspace.init_options
    )
    if outcome.returncode != 0:
        raise BlueprintError(
            f"terraform init failed for {workspace.label} (exit {outcome.returncode}); "
            "see the output above"
        )
    log.info("initialised %s in %.1fs", workspace.label, outcome.seconds)
    stamp.write_text(fingerprint)


def show_json(workspace: Workspace, plan_file: Path) -> dict[str, Any]:
    outcome = require_success(
        workspace.runner.capture("show", str(plan_file), json=IsFlagged, no_color=IsFlagged),
        "show",
    )
    return dict(json.loads(outcome.stdout))
