"""The one error type the glue raises for anything a user can fix."""

from __future__ import annotations

import click


class BlueprintError(click.ClickException):
    """A one-line message naming what is wrong and how to fix it; exits with status 1."""

    exit_code = 1
