"""Reading Terraform files with python-hcl2, for the few facts the glue needs before Terraform runs.

python-hcl2 keeps string literals with their quotes and block labels quoted; the helpers here
strip them so callers see plain values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2
from lark.exceptions import LarkError, UnexpectedInput

from blueprint.errors import BlueprintError


def parse_file(path: Path, display: str | None = None) -> dict[str, Any]:
    """Parse one HCL file; a syntax error becomes a one-line error naming file and line."""
    name = display or str(path)
    try:
        text = path.read_text()
    except OSError as error:
        raise BlueprintError(f"cannot read {name}: {error.strerror}") from error
    try:
        parsed = hcl2.loads(text)
    except UnexpectedInput as error:
        raise BlueprintError(
            f"{name} line {error.line}, column {error.column}: invalid HCL syntax; "
            "fix the file (each line is name = value)"
        ) from error
    except LarkError as error:
        raise BlueprintError(f"{name}: invalid HCL syntax ({error}); fix the file") from error
    # python-hcl2 adds bookkeeping keys such as __comments__; they are not part of the file.
    return {key: value for key, value in parsed.items() if not key.startswith("__")}


def unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def root_files(root: Path) -> list[Path]:
    """The root's own .tf files (symlinks followed), without override files."""
    return sorted(
        path
        for path in root.glob("*.tf")
        if not path.name.endswith("_override.tf") and path.name != "override.tf"
    )


def declared_variables(root: Path) -> set[str]:
    names: set[str] = set()
    for path in root_files(root):
        for block in parse_file(path).get("variable", []):
            names.update(unquote(name) for name in block)
    return names


def provider_aliases(root: Path, provider: str) -> list[str | None]:
    """Each configuration of ``provider`` in the root: None for the default one, else its alias."""
    aliases: list[str | None] = []
    for path in root_files(root):
        for block in parse_file(path).get("provider", []):
            for name, body in block.items():
                if unquote(name) == provider:
                    alias = body.get("alias")
                    aliases.append(None if alias is None else unquote(alias))
    return aliases


def backend_block(root: Path, kind: str) -> dict[str, Any] | None:
    """The settings of the root's ``backend "<kind>"`` block; None when it declares another."""
    for path in root_files(root):
        for block in parse_file(path).get("terraform", []):
            for backend in block.get("backend", []):
                for name, body in backend.items():
                    if unquote(name) == kind:
                        return dict(plain(body))
    return None


def plain_values(path: Path, display: str | None = None) -> dict[str, Any]:
    """Top-level ``name = value`` pairs of a tfvars or backend file, strings unquoted."""
    return {key: plain(value) for key, value in parse_file(path, display).items()}


def plain(value: Any) -> Any:
    """A parsed value with the quotes of every string inside it removed."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items() if not key.startswith("__")}
    return unquote(value)
