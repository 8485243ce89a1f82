"""Module READMEs: the inputs and outputs section, generated from the module's Terraform files.

The section sits between two markers in each README and is rewritten by ``blueprint docs``;
``blueprint docs --check`` (part of the test command) fails when a README is stale. The files are
read with python-hcl2, a real HCL parser, never with regular expressions.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from blueprint import hcl
from blueprint.errors import BlueprintError

BEGIN = "<!-- BEGIN GENERATED: inputs and outputs (blueprint docs) -->"
END = "<!-- END GENERATED -->"
WIDTH = 100
LONG_TYPE = 40


@dataclass(frozen=True)
class Input:
    name: str
    type: str
    description: str
    default: str | None  # None: required


@dataclass(frozen=True)
class Output:
    name: str
    description: str


def _text(value: Any) -> str:
    """A description or similar string as written, without quotes, heredoc markers or indent."""
    text = str(hcl.unquote(value) if value is not None else "")
    if text.startswith("<<"):
        body = text.split("\n", 1)[1] if "\n" in text else ""
        body = body.rsplit("\n", 1)[0]
        return " ".join(textwrap.dedent(body).split())
    try:
        return str(json.loads(f'"{text}"'))
    except ValueError:
        return text


def _type(value: Any) -> str:
    text = str(value or "any")
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return " ".join(text.split())


def _default(body: dict[str, Any]) -> str | None:
    if "default" not in body:
        return None
    value = body["default"]
    if isinstance(value, str):
        return json.dumps(_text(value))
    return json.dumps(hcl.plain(value))


def read_module(folder: Path) -> tuple[list[Input], list[Output]]:
    inputs: list[Input] = []
    outputs: list[Output] = []
    for path in sorted(folder.glob("*.tf")):
        parsed = hcl.parse_file(path)
        for block in parsed.get("variable", []):
            for name, body in block.items():
                inputs.append(
                    Input(hcl.unquote(name), _type(body.get("type")),
                          _text(body.get("description")), _default(body))
                )  # fmt: skip
        for block in parsed.get("output", []):
            for name, body in block.items():
                outputs.append(Output(hcl.unquote(name), _text(body.get("description"))))
    inputs.sort(key=lambda item: (item.default is not None, item.name))
    outputs.sort(key=lambda item: item.name)
    return inputs, outputs


def _code(text: str) -> str:
    return f"`{text}`"


def _described(name: str, description: str) -> list[str]:
    return textwrap.wrap(
        f"- {_code(name)}: {description or '(no description)'}",
        WIDTH,
        subsequent_indent="  ",
        break_on_hyphens=False,
    )


def render(inputs: list[Input], outputs: list[Output]) -> str:
    lines = [BEGIN, "", "### Inputs", ""]
    if inputs:
        lines += ["| Name | Type | Default |", "|---|---|---|"]
        for item in inputs:
            shown_type = item.type if len(item.type) <= LONG_TYPE else item.type.split("(")[0]
            default = "required" if item.default is None else _code(item.default)
            if len(default) > LONG_TYPE:
                default = "see below"
            lines.append(f"| {_code(item.name)} | {_code(shown_type)} | {default} |")
        lines.append("")
        for item in inputs:
            lines += _described(item.name, item.description)
            if item.type != item.type.split("(")[0] and len(item.type) > LONG_TYPE:
                lines += textwrap.wrap(
                    f"Type: {_code(item.type)}", WIDTH, initial_indent="  ",
                    subsequent_indent="  ", break_long_words=False,
                )  # fmt: skip
    else:
        lines.append("None.")
    lines += ["", "### Outputs", ""]
    for item in outputs:
        lines += _described(item.name, item.description)
    if not outputs:
        lines.append("None.")
    lines += ["", END]
    return "\n".join(lines)


def module_folders(modules_dir: Path) -> list[Path]:
    return sorted(path.parent for path in modules_dir.glob("*/variables.tf"))


def update_readme(folder: Path, write: bool) -> bool:
    """Bring the README's generated section up to date; True when it was (or would be) changed."""
    readme = folder / "README.md"
    if not readme.is_file():
        raise BlueprintError(f"{readme} is missing; every module needs a README")
    text = readme.read_text()
    if BEGIN not in text or END not in text:
        raise BlueprintError(
            f"{readme} lacks the generated section's marker lines; copy them from "
            "modules/s3_bucket/README.md, then run 'blueprint docs'"
        )
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    fresh = head + render(*read_module(folder)) + tail
    if fresh == text:
        return False
    if write:
        readme.write_text(fresh)
    return True
