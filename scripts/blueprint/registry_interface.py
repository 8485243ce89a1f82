"""The public interface of a module, read from its Terraform files, and how two of them differ.

The interface is what a consumer's configuration and state depend on: inputs (type, default,
nullability, validations), outputs (and whether they are sensitive), the Terraform and provider
versions the module accepts, and the addresses of the resources it manages. Every difference
between a release and the working copy is classified as MAJOR (a consumer may break), MINOR (a
consumer may use something new) or nothing; any other change to the files is a PATCH.

Files are read with python-hcl2 (through ``blueprint.hcl``), type constraints with its expression
tree, never with regular expressions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2.rules.abstract import LarkRule
from hcl2.rules.containers import ObjectElemRule, ObjectRule, TupleRule
from hcl2.rules.expressions import ExprTermRule
from hcl2.rules.functions import FunctionCallRule
from hcl2.rules.literal_rules import IdentifierRule
from hcl2.rules.whitespace import NewLineOrCommentRule
from lark.exceptions import LarkError

from blueprint import hcl
from blueprint.errors import BlueprintError
from blueprint.registry_archive import LOCAL_SOURCE_PREFIXES
from blueprint.registry_versions import Level, constraint_change

PRIMITIVES = frozenset({"string", "number", "bool", "any"})
COLLECTIONS = frozenset({"list", "set", "map"})
# Local module calls nest rarely more than two deep; the limit only stops a runaway loop.
MAX_NESTING = 8


@dataclass(frozen=True)
class Change:
    level: Level
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Attribute:
    name: str
    type: TypeNode
    optional: bool
    default: str | None


@dataclass(frozen=True)
class TypeNode:
    """A type constraint: a primitive, a collection of one type, a tuple or an object."""

    kind: str
    items: tuple[TypeNode, ...] = ()
    attributes: tuple[Attribute, ...] = ()

    def render(self) -> str:
        if self.kind in COLLECTIONS:
            return f"{self.kind}({self.items[0].render()})"
        if self.kind == "tuple":
            return f"tuple([{', '.join(item.render() for item in self.items)}])"
        if self.kind == "object":
            return f"object({{{', '.join(_render_attribute(a) for a in self.attributes)}}})"
        return self.kind


def _render_attribute(attribute: Attribute) -> str:
    shown = attribute.type.render()
    if attribute.optional:
        default = "" if attribute.default is None else f", {attribute.default}"
        shown = f"optional({shown}{default})"
    return f"{attribute.name} = {shown}"


def _rules(rule: LarkRule) -> list[LarkRule]:
    """The child rules that carry meaning: no tokens, newlines or comments."""
    return [
        child
        for child in rule.children
        if isinstance(child, LarkRule) and not isinstance(child, NewLineOrCommentRule)
    ]


def _unwrap(rule: LarkRule) -> LarkRule:
    # An expression term wraps one expression, possibly in parentheses.
    while isinstance(rule, ExprTermRule) and len(_rules(rule)) == 1:
        rule = _rules(rule)[0]
    return rule


def _arguments(call: FunctionCallRule) -> list[LarkRule]:
    return [_unwrap(argument) for argument in _rules(call.arguments)] if call.arguments else []


def _type_node(rule: LarkRule, where: str) -> TypeNode:
    rule = _unwrap(rule)
    if isinstance(rule, IdentifierRule) and rule.serialize() in PRIMITIVES:
        return TypeNode(rule.serialize())
    if isinstance(rule, FunctionCallRule):
        name = rule.identifiers[0].serialize()
        arguments = _arguments(rule)
        if name in COLLECTIONS and len(arguments) == 1:
            return TypeNode(name, (_type_node(arguments[0], where),))
        if name == "tuple" and len(arguments) == 1 and isinstance(arguments[0], TupleRule):
            items = tuple(_type_node(item, where) for item in _rules(arguments[0]))
            return TypeNode("tuple", items)
        if name == "object" and len(arguments) == 1 and isinstance(arguments[0], ObjectRule):
            attributes = [_attribute(element, where) for element in _rules(arguments[0])]
            return TypeNode("object", attributes=tuple(sorted(attributes, key=lambda a: a.name)))
    raise BlueprintError(f"{where}: {rule.serialize()!r} is not a type constraint Terraform knows")


def _attribute(element: LarkRule, where: str) -> Attribute:
    if not isinstance(element, ObjectElemRule):
        raise BlueprintError(f"{where}: object type attributes must be written name = type")
    name = str(hcl.unquote(element.key.serialize()))
    value = _unwrap(element.expression)
    if isinstance(value, FunctionCallRule) and value.identifiers[0].serialize() == "optional":
        arguments = _arguments(value)
        if not 1 <= len(arguments) <= 2:
            raise BlueprintError(f"{where}: optional() takes a type and an optional default")
        default = _shown(_plain(arguments[1].serialize())) if len(arguments) == 2 else None
        return Attribute(name, _type_node(arguments[0], where), True, default)
    return Attribute(name, _type_node(value, where), False, None)


def parse_type(text: str, where: str) -> TypeNode:
    """A type constraint as python-hcl2 gives it ("string", "${map(string)}") as a tree."""
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    try:
        document = hcl2.parses(f"type = {text}\n")
    except LarkError as error:
        raise BlueprintError(f"{where}: cannot read the type constraint {text!r}") from error
    attribute = _rules(_rules(document)[0])[0]
    return _type_node(_rules(attribute)[-1], where)


def accepts(old: TypeNode, new: TypeNode) -> bool:
    """Whether every value ``old`` accepted, ``new`` accepts with the same meaning.

    Terraform would also convert, say, a number to a string; such a change still counts as
    breaking here because the module then sees a different value.
    """
    if new.kind == "any":
        return True
    if old.kind != new.kind:
        return False
    if old.kind in COLLECTIONS:
        return accepts(old.items[0], new.items[0])
    if old.kind == "tuple":
        pairs = zip(old.items, new.items, strict=False)
        return len(old.items) == len(new.items) and all(accepts(a, b) for a, b in pairs)
    if old.kind == "object":
        before = {attribute.name: attribute for attribute in old.attributes}
        after = {attribute.name: attribute for attribute in new.attributes}
        # A dropped attribute would be silently discarded from the caller's value.
        if set(before) - set(after):
            return False
        if any(not after[name].optional for name in set(after) - set(before)):
            return False
        return all(_attribute_accepts(before[name], after[name]) for name in before)
    return True


def _attribute_accepts(old: Attribute, new: Attribute) -> bool:
    if old.optional and not new.optional:
        return False
    if old.optional and old.default != new.default:
        return False
    return accepts(old.type, new.type)


def _plain(value: Any) -> Any:
    """A python-hcl2 value without its quoting, for snapshots and messages."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)
        except ValueError:
            return value[1:-1]
    return value


def _expression(value: Any) -> str:
    text = str(value)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return " ".join(text.split())


def _blocks(parsed: dict[str, Any], kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(label, body) of every one-label block of ``kind``."""
    found = []
    for block in parsed.get(kind, []):
        for label, body in block.items():
            if not label.startswith("__"):
                found.append((str(hcl.unquote(label)), body))
    return found


def _input(name: str, body: dict[str, Any], where: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": parse_type(str(body.get("type") or "any"), f"{where}: variable {name}").render(),
        "required": "default" not in body,
        "nullable": body.get("nullable", True) is not False,
        "validations": sorted(
            _expression(rule.get("condition", "")) for rule in body.get("validation", [])
        ),
    }
    if "default" in body:
        entry["default"] = _plain(body["default"])
    return entry


def _providers(parsed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    providers: dict[str, dict[str, Any]] = {}
    for block in parsed.get("terraform", []):
        for requirements in block.get("required_providers", []):
            for name, spec in requirements.items():
                if name.startswith("__"):
                    continue
                if not isinstance(spec, dict):
                    spec = {"version": spec}
                providers[name] = {
                    "source": _plain(spec.get("source", f'"hashicorp/{name}"')),
                    "version": _plain(spec.get("version")),
                    "aliases": sorted(
                        _expression(alias) for alias in spec.get("configuration_aliases", [])
                    ),
                }
    return providers


def _kind(body: dict[str, Any]) -> str:
    if "for_each" in body:
        return "for_each"
    return "count" if "count" in body else "single"


def _managed(folder: Path, prefix: str, depth: int) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Resource addresses as they appear in a consumer's state, and the module's moved blocks.

    Local module calls are followed, so a resource renamed inside a called module counts too.
    """
    if depth > MAX_NESTING:
        raise BlueprintError(f"{folder}: local module calls nest deeper than {MAX_NESTING}")
    resources: dict[str, str] = {}
    moved: list[dict[str, str]] = []
    for path in hcl.root_files(folder):
        parsed = hcl.parse_file(path)
        for block in parsed.get("resource", []):
            for kind, named in block.items():
                for name, body in named.items():
                    address = f"{prefix}{hcl.unquote(kind)}.{hcl.unquote(name)}"
                    resources[address] = _kind(body)
        for name, body in _blocks(parsed, "module"):
            address = f"{prefix}module.{name}"
            resources[address] = _kind(body)
            source = str(_plain(body.get("source", "")))
            if source.startswith(LOCAL_SOURCE_PREFIXES) and (folder / source).is_dir():
                inner, inner_moved = _managed(folder / source, f"{address}.", depth + 1)
                resources.update(inner)
                moved += inner_moved
        for block in parsed.get("moved", []):
            moved.append(
                {
                    "from": prefix + _expression(block.get("from", "")),
                    "to": prefix + _expression(block.get("to", "")),
                }
            )
    return resources, moved


def read_interface(folder: Path) -> dict[str, Any]:
    """The interface of the module in ``folder`` as plain JSON-ready data."""
    inputs: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    required_version: str | None = None
    providers: dict[str, dict[str, Any]] = {}
    for path in hcl.root_files(folder):
        where = f"{folder.name}/{path.name}"
        parsed = hcl.parse_file(path, display=where)
        for name, body in _blocks(parsed, "variable"):
            inputs[name] = _input(name, body, where)
        for name, body in _blocks(parsed, "output"):
            outputs[name] = {"sensitive": body.get("sensitive") is True}
        for block in parsed.get("terraform", []):
            if "required_version" in block:
                required_version = _plain(block["required_version"])
        providers.update(_providers(parsed))
    resources, moved = _managed(folder, "", 0)
    return {
        "inputs": dict(sorted(inputs.items())),
        "outputs": dict(sorted(outputs.items())),
        "terraform": required_version,
        "providers": dict(sorted(providers.items())),
        "resources": dict(sorted(resources.items())),
        "moved": sorted(moved, key=lambda item: (item["from"], item["to"])),
    }


def _shown(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _input_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    if not old["required"] and new["required"]:
        changes.append(Change(Level.MAJOR, f"input '{name}' lost its default and is now required"))
    elif old["required"] and not new["required"]:
        changes.append(Change(Level.MINOR, f"input '{name}' is now optional"))
    elif not old["required"] and old.get("default") != new.get("default"):
        changes.append(
            Change(
                Level.MAJOR,
                f"default of input '{name}' changed from {_shown(old.get('default'))} to "
                f"{_shown(new.get('default'))}: callers that leave it unset get other results",
            )
        )
    if old["type"] != new["type"]:
        before = parse_type(old["type"], f"input {name}")
        after = parse_type(new["type"], f"input {name}")
        if accepts(before, after):
            text = f"type of input '{name}' widened from {old['type']} to {new['type']}"
            changes.append(Change(Level.MINOR, text))
        else:
            text = f"type of input '{name}' changed from {old['type']} to {new['type']}"
            changes.append(Change(Level.MAJOR, text))
    if old["nullable"] and not new["nullable"]:
        changes.append(Change(Level.MAJOR, f"input '{name}' no longer accepts null"))
    elif not old["nullable"] and new["nullable"]:
        changes.append(Change(Level.MINOR, f"input '{name}' now accepts null"))
    added = sorted(set(new["validations"]) - set(old["validations"]))
    dropped = set(old["validations"]) - set(new["validations"])
    for condition in added:
        text = f"input '{name}' has a new or changed validation: {condition}"
        changes.append(Change(Level.MAJOR, text))
    if dropped and not added:
        changes.append(Change(Level.MINOR, f"input '{name}' lost a validation"))
    return changes


def _added_and_removed(kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = [
        Change(Level.MAJOR, f"{kind} '{name}' removed or renamed")
        for name in sorted(set(old) - set(new))
    ]
    for name in sorted(set(new) - set(old)):
        if kind == "input" and new[name]["required"]:
            changes.append(Change(Level.MAJOR, f"new required input '{name}'"))
        else:
            changes.append(Change(Level.MINOR, f"new {kind} '{name}'"))
    return changes


def _requirement_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    level = constraint_change(old["terraform"], new["terraform"], "required_version")
    if level is not Level.NONE:
        verb = "narrowed" if level is Level.MAJOR else "widened"
        text = f"required Terraform version {verb} from {old['terraform']} to {new['terraform']}"
        changes.append(Change(level, text))
    before, after = old["providers"], new["providers"]
    for name in sorted(set(after) - set(before)):
        text = f"new provider '{name}' ({after[name]['source']}): consumers must install it"
        changes.append(Change(Level.MAJOR, text))
    for name in sorted(set(before) - set(after)):
        changes.append(Change(Level.MINOR, f"provider '{name}' no longer required"))
    for name in sorted(set(before) & set(after)):
        was, now = before[name], after[name]
        if was["source"] != now["source"]:
            text = f"provider '{name}' source changed from {was['source']} to {now['source']}"
            changes.append(Change(Level.MAJOR, text))
        level = constraint_change(was["version"], now["version"], f"provider {name}")
        if level is not Level.NONE:
            verb = "narrowed" if level is Level.MAJOR else "widened"
            text = f"provider '{name}' versions {verb} from {was['version']} to {now['version']}"
            changes.append(Change(level, text))
        if was["aliases"] != now["aliases"]:
            text = f"provider '{name}' configuration aliases changed: callers pass other providers"
            changes.append(Change(Level.MAJOR, text))
    return changes


def _mentions(addresses: set[str], address: str) -> bool:
    return any(
        item == address or item.startswith((f"{address}[", f"{address}.")) for item in addresses
    )


def _resource_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before, after = old["resources"], new["resources"]
    moved_from = {move["from"] for move in new["moved"]}
    moved_to = {move["to"] for move in new["moved"]}
    changes = []
    for address in sorted(set(before) - set(after)):
        if not _mentions(moved_from, address):
            text = f"resource {address} removed or renamed without a moved block (destroyed)"
            changes.append(Change(Level.MAJOR, text))
    for address in sorted(set(after) - set(before)):
        if not _mentions(moved_to, address):
            changes.append(Change(Level.MINOR, f"new resource {address}"))
    for address in sorted(set(before) & set(after)):
        kinds = {before[address], after[address]}
        # Terraform itself moves x to x[0] when count appears; for_each keys need moved blocks.
        if len(kinds) == 2 and "for_each" in kinds and not _mentions(moved_from, address):
            text = (
                f"resource {address} switched from {before[address]} to {after[address]} "
                "without moved blocks (replaced)"
            )
            changes.append(Change(Level.MAJOR, text))
    return changes


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every interface difference from ``old`` (a release) to ``new``, most severe first."""
    changes = _added_and_removed("input", old["inputs"], new["inputs"])
    for name in sorted(set(old["inputs"]) & set(new["inputs"])):
        changes += _input_changes(name, old["inputs"][name], new["inputs"][name])
    changes += _added_and_removed("output", old["outputs"], new["outputs"])
    for name in sorted(set(old["outputs"]) & set(new["outputs"])):
        was, now = old["outputs"][name]["sensitive"], new["outputs"][name]["sensitive"]
        if now and not was:
            changes.append(Change(Level.MAJOR, f"output '{name}' became sensitive"))
        elif was and not now:
            changes.append(Change(Level.MINOR, f"output '{name}' is no longer sensitive"))
    changes += _requirement_changes(old, new)
    changes += _resource_changes(old, new)
    return sorted(changes, key=lambda change: -change.level)


def required_level(changes: list[Change]) -> Level:
    return max((change.level for change in changes), default=Level.NONE)
