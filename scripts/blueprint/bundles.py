"""Source bundles of the services, for Elastic Beanstalk application versions.

Each folder ``services/<name>/`` holds one service's code. For every service the environment
declares (its ``services`` input) that has such a folder, ``build_bundles`` writes a zip whose
bytes depend only on the files, and hands path and sha256 to Terraform through
``blueprint_services.auto.tfvars.json``. The hash names the S3 object and the version label, so
unchanged code never makes a new version. A service without a folder keeps whatever the
environment runs, which for a new one is the platform's sample application.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from blueprint import packaging
from blueprint.config import Settings
from blueprint.environments import Environment
from blueprint.errors import BlueprintError

log = logging.getLogger(__name__)

SERVICES_FOLDER = "services"
BUNDLE_INPUTS_FILE = "blueprint_services.auto.tfvars.json"


@dataclass(frozen=True)
class Bundle:
    name: str
    zip_path: Path
    sha256: str

    @property
    def version_label(self) -> str:
        """The label the microservice module gives the version (kept in step with it)."""
        return f"v-{self.sha256[:12]}"


def declared_services(environment: Environment) -> list[str]:
    services = environment.inputs().get("services") or {}
    if not isinstance(services, dict):
        raise BlueprintError(
            f"{environment.display}/terraform.tfvars: services must be a map of name to sizing"
        )
    return sorted(services)


def build_bundle(name: str, source: Path, out_dir: Path) -> Bundle:
    """Zip ``source`` (no tests, no caches) to ``out_dir/<name>-<sha prefix>.zip``."""
    files = packaging.source_files(source)
    if not files:
        raise BlueprintError(f"{source} holds no files to deploy; add the service's code")
    out_dir.mkdir(parents=True, exist_ok=True)
    # Written under a scratch name first: the final name needs the hash of the bytes.
    scratch = out_dir / f"{name}.zip"
    packaging.write_zip(scratch, files)
    sha256 = packaging.sha256_file(scratch)
    zip_path = out_dir / f"{name}-{sha256[:12]}.zip"
    scratch.replace(zip_path)
    return Bundle(name, zip_path, sha256)


def build_bundles(settings: Settings, environment: Environment, root: Path) -> dict[str, Bundle]:
    """Build the bundle of each declared service that has code, and write the root's inputs."""
    source_root = settings.project_root / SERVICES_FOLDER
    out_dir = settings.build_dir / "bundles"
    bundles = {}
    for name in declared_services(environment):
        source = source_root / name
        if not source.is_dir():
            log.info("%s: no %s, the environment keeps its current application", name, source)
            continue
        bundle = build_bundle(name, source, out_dir)
        log.info("%s: bundle %s (%s)", name, bundle.zip_path.name, bundle.version_label)
        bundles[name] = bundle
    inputs = {
        name: {"path": os.path.relpath(bundle.zip_path, root), "sha256": bundle.sha256}
        for name, bundle in bundles.items()
    }
    text = json.dumps({"service_bundles": inputs}, indent=2, sort_keys=True) + "\n"
    path = root / BUNDLE_INPUTS_FILE
    # Rewritten only on change: the file is part of the fingerprint that decides re-init.
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return bundles
