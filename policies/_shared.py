"""What the checks of this folder share: checkov's value shapes, IAM documents, graph lookups.

Not a check: checkov imports every module of the folder, and this one registers nothing.

Checkov hands a check one resource as a dict whose values are wrapped in one-element lists, both
for HCL and for a plan's JSON; a plan's resources also carry ``__change_actions__``, which is how a
check tells the two apart. Relations between resources (a bucket and its policy, a policy and the
``aws_iam_policy_document`` it renders) live only in checkov's graph of the scanned root, which
checkov hands every check as ``self.graph`` (a rustworkx graph whose node payloads are
``(index, attributes)``; policy.py pins that framework).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

from checkov.terraform.plan_parser import TF_PLAN_RESOURCE_CHANGE_ACTIONS

# How a policy argument refers to a rendered document, with or without interpolation.
DOCUMENT_REFERENCE = re.compile(r"^(?:\$\{)?data\.aws_iam_policy_document\.([\w-]+)\.json\}?$")
# Checkov leaves a ``jsonencode`` whose object holds unresolved references as the text
# ``jsonencode(<Python repr>)``, and renders an interpolation such as "${aws_s3_bucket.this.arn}/*"
# there as ''aws_s3_bucket.this.arn'/*' (quotes inside quotes). This pattern rejoins such a piece
# into one string, so that the rest of the document can still be read.
BROKEN_INTERPOLATION = re.compile(r"''([^']*)'([^']*)'")
# aws_iam_policy_document block names and the policy JSON keys they become.
DOCUMENT_KEYS = {
    "actions": "Action",
    "not_actions": "NotAction",
    "resources": "Resource",
    "not_resources": "NotResource",
}


def is_plan(conf: dict[str, Any]) -> bool:
    return TF_PLAN_RESOURCE_CHANGE_ACTIONS in conf


def first(conf: dict[str, Any], key: str) -> Any:
    """The value of ``key``, unwrapped from checkov's one-element list; None when absent."""
    value = conf.get(key)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def blocks(conf: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The nested blocks called ``key`` (``ingress``, ``inline_policy``), each a dict."""
    return [block for block in as_list(conf.get(key)) if isinstance(block, dict)]


def as_int(value: Any) -> int | None:
    """A whole number, also from the strings HCL rendering leaves; None for unresolved values."""
    if isinstance(value, bool):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


# Graph ------------------------------------------------------------------------------------------


def vertex_of(graph: Any, conf: dict[str, Any]) -> int | None:
    """Index of the vertex whose configuration checkov handed to the check.

    Checkov passes the very dict it keeps in the vertex, so identity finds the right vertex even
    when several roots call one module and share its addresses. The address is the fallback.
    """
    if graph is None:
        return None
    address = conf.get("__address__")
    fallback = None
    for index, attributes in graph.nodes():
        for bodies in (attributes.get("config_") or {}).values():
            if isinstance(bodies, dict) and any(body is conf for body in bodies.values()):
                return int(index)
        if fallback is None and address and attributes.get("__address__") == address:
            fallback = int(index)
    return fallback


def predecessors(graph: Any, index: int) -> Iterator[dict[str, Any]]:
    """Attributes of the vertices that refer to vertex ``index``."""
    for other in graph.predecessor_indices(index):
        yield graph[other][1]


def successors(graph: Any, index: int) -> Iterator[dict[str, Any]]:
    """Attributes of the vertices that vertex ``index`` refers to."""
    for other in graph.successor_indices(index):
        yield graph[other][1]


# Policy documents -------------------------------------------------------------------------------


def policy_document(graph: Any, conf: dict[str, Any], value: Any) -> dict[str, Any] | None:
    """The IAM document of a policy argument, in policy JSON form; None when unknown.

    ``value`` is what the argument holds: a JSON string (plans, heredocs), a dict (``jsonencode``
    rendered by checkov), or a reference to an ``aws_iam_policy_document``, found through the
    graph edge from the resource that holds the argument.
    """
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    reference = DOCUMENT_REFERENCE.match(text)
    if reference is None:
        return _parse(text)
    index = vertex_of(graph, conf)
    if index is None:
        return None
    wanted = f"aws_iam_policy_document.{reference[1]}"
    for attributes in successors(graph, index):
        if attributes.get("block_type_") == "data" and attributes.get("id_") == wanted:
            blocks = as_list(attributes.get("statement"))
            return {"Statement": [from_document_block(block) for block in blocks]}
    return None


def _parse(text: str) -> dict[str, Any] | None:
    """A JSON document, or the text checkov leaves for a partly unresolved ``jsonencode``."""
    try:
        if text.startswith("jsonencode(") and text.endswith(")"):
            document = ast.literal_eval(BROKEN_INTERPOLATION.sub(r"'\1\2'", text[11:-1]))
        else:
            document = json.loads(text)
    except (ValueError, SyntaxError):
        return None
    return document if isinstance(document, dict) else None


def from_document_block(block: dict[str, Any]) -> dict[str, Any]:
    """One ``statement`` block of an ``aws_iam_policy_document`` as a policy JSON statement."""
    statement: dict[str, Any] = {"Effect": block.get("effect") or "Allow"}
    for block_key, json_key in DOCUMENT_KEYS.items():
        if as_list(block.get(block_key)):
            statement[json_key] = as_list(block.get(block_key))
    principals: dict[str, list[Any]] = {}
    for principal in as_list(block.get("principals")):
        principals.setdefault(str(principal.get("type")), []).extend(
            as_list(principal.get("identifiers"))
        )
    if principals:
        statement["Principal"] = "*" if principals == {"*": ["*"]} else principals
    conditions: dict[str, dict[str, list[Any]]] = {}
    for condition in as_list(block.get("condition")):
        tests = conditions.setdefault(str(condition.get("test")), {})
        tests[str(condition.get("variable"))] = as_list(condition.get("values"))
    if conditions:
        statement["Condition"] = conditions
    return statement


def statements(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The statements of a policy JSON document; a lone statement object becomes a list."""
    if document is None:
        return []
    return [item for item in as_list(document.get("Statement")) if isinstance(item, dict)]
