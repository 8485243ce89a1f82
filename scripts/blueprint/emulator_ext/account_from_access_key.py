"""Credentials choose the account, as on AWS: an access key of twelve digits acts as that account.

moto answers every request as one default account unless told otherwise. A rehearsal of staging
or prod must pass the provider's ``allowed_account_ids`` check honestly, so the glue signs its
requests with the environment's account id as the access key and the emulator answers as that
account (STS GetCallerIdentity, ARNs, resource ownership).
"""

from __future__ import annotations

import re

from moto.core.responses import BaseResponse

# moto's own pattern only knows 20-character keys; SigV4 names the key as Credential=KEY/...
ACCOUNT_KEY = re.compile(r"Credential=(?P<account>[0-9]{12})/")

_original_get_current_account = BaseResponse.get_current_account


def _get_current_account(self: BaseResponse) -> str:
    match = ACCOUNT_KEY.search(self.headers.get("Authorization", ""))
    if match:
        return match["account"]
    return _original_get_current_account(self)


def install() -> None:
    BaseResponse.get_current_account = _get_current_account  # type: ignore[method-assign]
