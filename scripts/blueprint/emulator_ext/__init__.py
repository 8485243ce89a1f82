"""Our additions to moto, loaded only by the emulator process (``blueprint.emulator_server``).

Each module here fills one gap between moto and what the AWS provider calls. A module exposes
``install()``, which patches moto's response classes or backends; keep each one small, shaped like
the real AWS API, and covered by a test that calls it through boto3 against a running emulator.
Every module in this package is installed, in name order.
"""

from __future__ import annotations

import importlib
import pkgutil


def extension_names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.ispkg)


def install_all() -> None:
    for name in extension_names():
        importlib.import_module(f"{__name__}.{name}").install()
