"""The ``blueprint`` command: a thin click layer over the jobs, toolchain and emulator modules.

Every setting has a flag and an environment variable (listed in the README). Logs go to stderr;
stdout carries only results meant for scripts (``--json``, ``output``, ``emulator status``).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from blueprint import checks, docs, emulator, environments, jobs, policy, registry, toolchain
from blueprint import workspace as ws
from blueprint.config import DEFAULT_EMULATOR_PORT, Settings, default_project_root
from blueprint.errors import BlueprintError

ENV_OPTION = click.argument("environment", default="local", envvar="ENV")


def _settings(ctx: click.Context) -> Settings:
    return ctx.ensure_object(Settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), envvar="BLUEPRINT_ROOT",
    default=default_project_root, show_default="this repository",
    help="The Blueprint repository to work on.",
)  # fmt: skip
@click.option(
    "--home", type=click.Path(file_okay=False, path_type=Path), envvar="BLUEPRINT_HOME",
    default=None, show_default="ROOT/.blueprint",
    help="Folder for the provider mirror, plugin cache and emulator files.",
)  # fmt: skip
@click.option(
    "--emulator-port", type=click.IntRange(1024, 65535), envvar="BLUEPRINT_EMULATOR_PORT",
    default=DEFAULT_EMULATOR_PORT, show_default=True, help="Port of the local AWS emulator.",
)  # fmt: skip
@click.option(
    "--terraform-bin", envvar="TERRAFORM_BIN", default=None,
    help="Use this terraform (or tofu) instead of the bundled one.",
)  # fmt: skip
@click.option(
    "--auto-approve", is_flag=True, envvar="AUTO_APPROVE",
    help="Apply and destroy staging and prod without asking.",
)  # fmt: skip
@click.option(
    "--rehearse", is_flag=True, envvar="REHEARSE",
    help="Run staging or prod against the local emulator, backend included.",
)  # fmt: skip
@click.option(
    "--allow-data-loss", is_flag=True, envvar="ALLOW_DATA_LOSS",
    help="Let a prod apply destroy or replace a database, bucket, stream or table.",
)  # fmt: skip
@click.option(
    "--instance-credentials", is_flag=True, envvar="BLUEPRINT_INSTANCE_CREDENTIALS",
    help="Let boto3 take credentials from EC2/ECS metadata (CI runners with an instance role).",
)  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, envvar="BLUEPRINT_VERBOSE", help="Debug logs.")
@click.pass_context
def main(
    ctx: click.Context,
    root: Path,
    home: Path | None,
    emulator_port: int,
    terraform_bin: str | None,
    auto_approve: bool,
    rehearse: bool,
    allow_data_loss: bool,
    instance_credentials: bool,
    verbose: bool,
) -> None:
    """Plan, apply and test the Blueprint platform."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s" if verbose else "blueprint: %(message)s",
        stream=sys.stderr,
    )
    root = root.resolve()
    ctx.obj = Settings(
        project_root=root,
        home=(home or root / ".blueprint").resolve(),
        emulator_port=emulator_port,
        terraform_bin=terraform_bin or None,
        auto_approve=auto_approve,
        rehearse=rehearse,
        allow_data_loss=allow_data_loss,
        instance_credentials=instance_credentials,
    )


@main.command()
@ENV_OPTION
@click.option(
    "--detailed-exitcode", is_flag=True,
    help="Exit 0 when there are no changes, 2 when there are, 1 on error.",
)  # fmt: skip
@click.option("--destroy", is_flag=True, help="Plan the destruction of the environment.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.pass_context
def plan(
    ctx: click.Context, environment: str, detailed_exitcode: bool, destroy: bool, as_json: bool
) -> None:
    """Plan ENVIRONMENT (default: local) and save the plan for apply."""
    result = jobs.plan(_settings(ctx), environment, destroy=destroy)
    if as_json:
        click.echo(json.dumps({"environment": environment, **result.summary.as_dict()}))
    if detailed_exitcode and result.summary.has_changes:
        ctx.exit(2)


@main.command()
@ENV_OPTION
@click.pass_context
def apply(ctx: click.Context, environment: str) -> None:
    """Apply the saved plan of ENVIRONMENT, or plan and apply when it is missing or stale."""
    jobs.apply(_settings(ctx), environment)


@main.command()
@ENV_OPTION
@click.pass_context
def destroy(ctx: click.Context, environment: str) -> None:
    """Destroy everything ENVIRONMENT manages."""
    jobs.destroy(_settings(ctx), environment)


@main.command()
@ENV_OPTION
@click.pass_context
def output(ctx: click.Context, environment: str) -> None:
    """Print the outputs of ENVIRONMENT as JSON (sensitive values withheld)."""
    click.echo(json.dumps(jobs.outputs(_settings(ctx), environment), indent=2, sort_keys=True))


@main.command()
@click.argument("environment")
@click.pass_context
def bootstrap(ctx: click.Context, environment: str) -> None:
    """Create the S3 state bucket and lock table of ENVIRONMENT's account (idempotent)."""
    settings = jobs.bootstrap(_settings(ctx), environment)
    for key, value in settings.items():
        click.echo(f'{key} = "{value}"')


@main.command()
@click.argument("names", nargs=-1)
@click.pass_context
def drift(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Plan each environment (default: all) and report which have drifted.

    Exits 1 when an environment could not be planned, else 2 when any drifted, else 0.
    """
    settings = _settings(ctx)
    results = jobs.drift(settings, list(names) or environments.available(settings.envs_dir))
    for name, verdict in results.items():
        click.echo(f"{name}: {verdict}")
    if any(verdict.startswith("error") for verdict in results.values()):
        ctx.exit(1)
    if "drifted" in results.values():
        ctx.exit(2)


@main.command()
@ENV_OPTION
@click.pass_context
def package(ctx: click.Context, environment: str) -> None:
    """Build the Lambda zips for ENVIRONMENT's runtime (plan and apply do this first)."""
    settings = _settings(ctx)
    loaded = environments.load(settings.envs_dir, environment)
    for result in ws.package_lambdas(settings, loaded, loaded.root):
        click.echo(f"{result.name} {result.zip_path} {result.source_code_hash}")


@main.command("envs")
@click.pass_context
def list_environments(ctx: click.Context) -> None:
    """List the environments."""
    for name in environments.available(_settings(ctx).envs_dir):
        click.echo(name)


@main.command("setup")
@click.pass_context
def setup_toolchain(ctx: click.Context) -> None:
    """Verify the provider and write the mirror, plugin cache and Terraform CLI config."""
    settings = _settings(ctx)
    tools = toolchain.ensure(settings.home, settings.terraform_bin)
    click.echo(f"terraform: {tools.terraform_bin}")
    click.echo(f"TF_CLI_CONFIG_FILE={tools.cli_config}")


@main.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Run terraform validate on every environment and module example."""
    checks.validate_all(_settings(ctx))


@main.command("docs")
@click.option("--check", is_flag=True, help="Change nothing; fail when a README is stale.")
@click.pass_context
def module_docs(ctx: click.Context, check: bool) -> None:
    """Regenerate the inputs and outputs section of every module README."""
    settings = _settings(ctx)
    stale = [
        folder.name
        for folder in docs.module_folders(settings.modules_dir)
        if docs.update_readme(folder, write=not check)
    ]
    if check and stale:
        raise BlueprintError(
            f"module READMEs out of date: {', '.join(stale)}; run 'make docs' and commit them"
        )
    for name in stale:
        logging.getLogger(__name__).info("updated modules/%s/README.md", name)


@main.command("policy")
@click.argument("environments", nargs=-1, envvar="POLICY_ENVS")
@click.option("--no-plans", is_flag=True, envvar="POLICY_NO_PLANS", help="Check the code only.")
@click.option(
    "--junit-xml", type=click.Path(dir_okay=False, path_type=Path), envvar="POLICY_JUNIT_XML",
    default=None, help="Also write every result as JUnit XML, for CI.",
)  # fmt: skip
@click.option(
    "--checkov-bin", envvar="CHECKOV_BIN", default=None,
    help="Use this checkov 3.3 instead of the one in .venv-checkov.",
)  # fmt: skip
@click.pass_context
def policy_checks(
    ctx: click.Context,
    environments: tuple[str, ...],
    no_plans: bool,
    junit_xml: Path | None,
    checkov_bin: str | None,
) -> None:
    """Checkov's and the platform's checks on the code and on the plans of ENVIRONMENTS."""
    policy.run_policy(
        _settings(ctx), plans=not no_plans, junit_xml=junit_xml,
        environments=list(environments) or None, checkov=checkov_bin,
    )  # fmt: skip


REGISTRY_DIR_OPTION = click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
    envvar="BLUEPRINT_REGISTRY_DIR", default=None, show_default="ROOT/build/registry",
    help="Folder the static registry is written to and published from.",
)  # fmt: skip


@main.group("registry")
def registry_group() -> None:
    """Release the modules into a static module registry, publish it, check versions."""


@registry_group.command("build")
@click.argument("modules", nargs=-1)
@REGISTRY_DIR_OPTION
@click.option(
    "--base-url", envvar="BLUEPRINT_REGISTRY_URL", default=None,
    help="HTTPS URL the registry is served at, for the source addresses printed.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print what was built as JSON on stdout.")
@click.pass_context
def registry_build(
    ctx: click.Context,
    modules: tuple[str, ...],
    out_dir: Path | None,
    base_url: str | None,
    as_json: bool,
) -> None:
    """Release the current version of every module (or of MODULES) into a static registry."""
    settings = _settings(ctx)
    out = out_dir or settings.build_dir / "registry"
    built = registry.build_registry(settings, out, base_url, modules or None)
    if as_json:
        click.echo(json.dumps([item.as_dict() for item in built], indent=2))
        return
    for item in built:
        address = item.source or registry.module_address(item.module)
        click.echo(f"{address} {item.version} sha256:{item.sha256}")


@registry_group.command("publish")
@REGISTRY_DIR_OPTION
@click.option(
    "--bucket", envvar="BLUEPRINT_REGISTRY_BUCKET", required=True,
    help="S3 bucket the registry's host serves.",
)  # fmt: skip
@click.option(
    "--endpoint-url", envvar="BLUEPRINT_REGISTRY_ENDPOINT_URL", default=None,
    help="S3 endpoint, for the emulator or an S3-compatible store.",
)  # fmt: skip
@click.pass_context
def registry_publish(
    ctx: click.Context, out_dir: Path | None, bucket: str, endpoint_url: str | None
) -> None:
    """Upload a built registry to S3; a published release is never replaced."""
    settings = _settings(ctx)
    out = out_dir or settings.build_dir / "registry"
    for key in registry.publish_registry(settings, out, bucket, endpoint_url):
        click.echo(key)


@registry_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print each module's state as JSON.")
@click.pass_context
def registry_check(ctx: click.Context, as_json: bool) -> None:
    """Fail when a module changed without the version bump it needs, or is not recorded."""
    assessments = registry.check_registry(_settings(ctx))
    if as_json:
        click.echo(json.dumps([item.as_dict() for item in assessments], indent=2))
        return
    for item in assessments:
        click.echo(f"{item.folder.name} {item.version}")


if __name__ == "__main__":
    main()


@main.group("emulator")
def emulator_group() -> None:
    """Start, stop or query the local AWS emulator."""


@emulator_group.command("start")
@click.pass_context
def emulator_start(ctx: click.Context) -> None:
    """Start the emulator (harmless when it already runs)."""
    settings = _settings(ctx)
    click.echo(emulator.start(settings.emulator_paths, settings.emulator_port).endpoint)


@emulator_group.command("stop")
@click.pass_context
def emulator_stop(ctx: click.Context) -> None:
    """Stop the emulator; everything it held is lost."""
    if not emulator.stop(_settings(ctx).emulator_paths):
        logging.getLogger(__name__).info("the emulator was not running")


@emulator_group.command("status")
@click.pass_context
def emulator_status(ctx: click.Context) -> None:
    """Print the endpoint URL when the emulator runs; exit 1 when it does not."""
    settings = _settings(ctx)
    info = emulator.status(settings.emulator_paths)
    if info is None:
        click.echo(f"not running (log: {settings.emulator_paths.log_file})", err=True)
        ctx.exit(1)
    click.echo(info.endpoint)
