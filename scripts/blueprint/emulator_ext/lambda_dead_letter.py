"""Lambda function settings that moto 5.2 forgets, which the AWS provider then plans again.

Dead-letter target (the gap this module is named after): AWS stores ``DeadLetterConfig
{TargetArn}`` from CreateFunction and UpdateFunctionConfiguration and returns it in their answers
and in GetFunction and GetFunctionConfiguration; an empty TargetArn removes it, and a function
without one has no DeadLetterConfig in the answers. moto drops it, so the provider reads a
function without one and plans to add it on every run.

Two smaller gaps on the same update path, found the same way (TF_LOG=DEBUG):

- Tracing mode: moto keeps TracingConfig from CreateFunction but ignores it in
  UpdateFunctionConfiguration, so changing PassThrough to Active never settles.
- Empty request body: the provider sends an update with no fields at all (provider 3.39 does so
  when a mapping's destination_config is removed); AWS reads that as no change, moto fails with a
  500 and the provider retries for minutes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

MARKER = "_blueprint_dead_letter_installed"


def _target_arn(config: Any) -> str | None:
    """The TargetArn of a DeadLetterConfig, or None when absent or empty (which removes it)."""
    if isinstance(config, dict) and config.get("TargetArn"):
        return str(config["TargetArn"])
    return None


def _install_function_settings() -> None:
    from moto.awslambda.models import LambdaFunction

    original_init: Callable[..., None] = LambdaFunction.__init__
    original_get: Callable[..., dict[str, Any]] = LambdaFunction.get_configuration
    original_update: Callable[..., dict[str, Any]] = LambdaFunction.update_configuration

    @functools.wraps(original_init)
    def init(self: Any, account_id: str, spec: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        original_init(self, account_id, spec, *args, **kwargs)
        self.dead_letter_target_arn = _target_arn(spec.get("DeadLetterConfig"))

    @functools.wraps(original_get)
    def get_configuration(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        config = original_get(self, *args, **kwargs)
        target = getattr(self, "dead_letter_target_arn", None)
        if target:
            config["DeadLetterConfig"] = {"TargetArn": target}
        return config

    @functools.wraps(original_update)
    def update_configuration(self: Any, updates: dict[str, Any]) -> dict[str, Any]:
        # Set first: moto's update answers with get_configuration(), which must show the change.
        if "DeadLetterConfig" in updates:
            self.dead_letter_target_arn = _target_arn(updates["DeadLetterConfig"])
        mode = (updates.get("TracingConfig") or {}).get("Mode")
        if mode:
            self.tracing_config = {"Mode": mode}
        return original_update(self, updates)

    LambdaFunction.__init__ = init
    LambdaFunction.get_configuration = get_configuration
    LambdaFunction.update_configuration = update_configuration


def _install_empty_body() -> None:
    from moto.awslambda.responses import LambdaResponse

    def json_body(self: Any) -> dict[str, Any]:
        # An empty body is an empty request, as the REST-JSON protocol defines it.
        return json.loads(self.body) if self.body else {}

    LambdaResponse.json_body = property(json_body)


def install() -> None:
    from moto.awslambda.models import LambdaFunction

    if getattr(LambdaFunction, MARKER, False):
        return
    _install_function_settings()
    _install_empty_body()
    setattr(LambdaFunction, MARKER, True)
