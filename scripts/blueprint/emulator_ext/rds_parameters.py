"""DB parameter groups that report the parameters a user set the way RDS does.

moto keeps what ModifyDBParameterGroup sends (name, value, apply method) and returns it from
DescribeDBParameters without a ``Source``. RDS marks every parameter a user changed with
``Source = "user"``, and the AWS provider keeps only such parameters in its state: it drops the
others, so every plan wanted to set them again. This extension adds the source (and
``IsModifiable``, which is true for anything a user could set), honours the ``Source`` filter of
DescribeDBParameters, and answers ResetDBParameterGroup, which the provider calls when a
parameter leaves the configuration and moto does not implement.

Not modelled: the engine's default parameters (``Source`` "engine-default" or "system") and their
metadata (``ApplyType``, ``DataType``, ``AllowedValues``); a filter for those sources finds none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from moto.core.responses import ActionResult
from moto.rds.exceptions import DBParameterGroupNotFoundError, InvalidParameterCombination
from moto.rds.models import DBParameterGroup
from moto.rds.responses import RDSResponse

USER_SOURCE = "user"


def _update_parameters(self: DBParameterGroup, new_parameters: Iterable[dict[str, Any]]) -> None:
    for new_parameter in new_parameters:
        parameter = self.parameters[new_parameter["ParameterName"]]
        parameter.update(new_parameter)
        parameter["Source"] = USER_SOURCE
        parameter["IsModifiable"] = True


def _find_group(response: RDSResponse) -> DBParameterGroup:
    name = response.params.get("DBParameterGroupName")
    groups = response.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
    if not groups:
        raise DBParameterGroupNotFoundError(name)
    return groups[0]


def _describe_db_parameters(self: RDSResponse) -> ActionResult:
    group = _find_group(self)
    source = self.params.get("Source")
    parameters = [
        parameter
        for parameter in group.parameters.values()
        if source is None or parameter.get("Source") == source
    ]
    return ActionResult({"Parameters": parameters})


def _reset_db_parameter_group(self: RDSResponse) -> ActionResult:
    group = _find_group(self)
    reset_all = bool(self.params.get("ResetAllParameters"))
    names = [parameter["ParameterName"] for parameter in self.params.get("Parameters") or []]
    if reset_all == bool(names):
        raise InvalidParameterCombination(
            "Specify either ResetAllParameters or a list of Parameters, not both or neither."
        )
    if reset_all:
        group.parameters.clear()
    for name in names:
        group.parameters.pop(name, None)
    return ActionResult({"DBParameterGroupName": group.name})


def install() -> None:
    DBParameterGroup.update_parameters = _update_parameters  # type: ignore[method-assign]
    RDSResponse.describe_db_parameters = _describe_db_parameters  # type: ignore[method-assign]
    RDSResponse.reset_db_parameter_group = _reset_db_parameter_group  # type: ignore[attr-defined]
