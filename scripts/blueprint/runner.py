"""The Terraform runner: the one place that runs Terraform, through python-terraform.

python-terraform builds every command line (its option conventions: ``no_color=IsFlagged``,
``input=False``, ``out="file"``). Its own ``cmd`` cannot stream output live while watching it, reads
the whole caller environment, and passes a ``synchronous`` option on to Terraform as a flag, so
the process is started here instead: streamed runs copy Terraform's output line by line to stderr
(stdout stays free for results), remember which resource Terraform was last waiting on, forward a
single interrupt so Terraform can stop cleanly, and can be bounded by a timeout.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from python_terraform import IsFlagged, Terraform

from blueprint.errors import BlueprintError

log = logging.getLogger(__name__)

__all__ = ["IsFlagged", "Outcome", "TerraformRunner"]

# "module.x.aws_kinesis_stream.this: Still creating... [00m10s elapsed]"
WAITING_LINE = re.compile(r"^(?P<address>\S+): Still (?P<verb>[a-z]+)\.\.\.")
# "│ Error: Saved plan is stale", with or without the box drawing
ERROR_LINE = re.compile(r"^[│ ]*(?P<error>Error: .+)$")
# "  on terraform.tfvars line 11:" inside a diagnostic
ON_LINE = re.compile(r"^\s+on (?P<where>.+? line \d+)")
INTERRUPT_GRACE_S = 60.0


@dataclass(frozen=True)
class Outcome:
    argv: list[str]
    returncode: int
    seconds: float
    stdout: str = ""
    stderr: str = ""
    waiting_on: str | None = None
    timed_out: bool = False
    error: str | None = None


class TerraformRunner:
    def __init__(self, root: Path, terraform_bin: str, extra_env: Mapping[str, str]) -> None:
        self.root = root
        self._terraform = Terraform(working_dir=str(root), terraform_bin_path=terraform_bin)
        self._env = {**os.environ, **extra_env}

    def argv(self, command: str, *args: str, **options: Any) -> list[str]:
        return list(self._terraform.generate_cmd_string(command, *args, **options))

    def capture(
        self, command: str, *args: str, env: Mapping[str, str] | None = None, **options: Any
    ) -> Outcome:
        """Run quietly and return what Terraform printed (for -json output)."""
        argv = self.argv(command, *args, **options)
        log.debug("$ %s", shlex.join(argv))
        started = time.monotonic()
        completed = subprocess.run(
            argv,
            cwd=self.root,
            env={**self._env, **(env or {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        return Outcome(
            argv,
            completed.returncode,
            time.monotonic() - started,
            completed.stdout,
            completed.stderr,
        )

    def stream(
        self,
        command: str,
        *args: str,
        timeout_s: float | None = None,
        sink: IO[str] | None = None,
        env: Mapping[str, str] | None = None,
        **options: Any,
    ) -> Outcome:
        """Run with Terraform's output copied live to ``sink`` (stderr by default)."""
        out = sink or sys.stderr
        if not out.isatty():
            options.setdefault("no_color", IsFlagged)
        argv = self.argv(command, *args, **options)
        log.info("$ %s  (in %s)", shlex.join(argv), self.root)
        started = time.monotonic()
        # A session of its own: a terminal's Ctrl-C reaches only us, and we pass Terraform exactly
        # one interrupt; two would make it exit at once, leaving resources half-made.
        process = subprocess.Popen(
            argv,
            cwd=self.root,
            env={**self._env, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        seen: dict[str, str | None] = {"on": None, "error": None}
        pump = threading.Thread(target=_copy_lines, args=(process, out, seen), daemon=True)
        pump.start()
        timed_out = _wait(process, timeout_s)
        pump.join()
        return Outcome(
            argv,
            process.returncode,
            time.monotonic() - started,
            waiting_on=seen["on"],
            timed_out=timed_out,
            error=seen["error"],
        )


def _copy_lines(process: subprocess.Popen[str], out: IO[str], seen: dict[str, str | None]) -> None:
    """Copy Terraform's output; note the last resource it waited on and its first error."""
    assert process.stdout is not None
    error_block: list[str] | None = None
    for line in process.stdout:
        out.write(line)
        out.flush()
        match = WAITING_LINE.match(line)
        if match:
            seen["on"] = match["address"]
        if seen["error"] is None and error_block is None and ERROR_LINE.match(line.rstrip()):
            error_block = []
        if error_block is not None:
            if line.startswith("╵"):
                seen["error"] = condense_error(error_block)
                error_block = None
            else:
                error_block.append(line.rstrip("\n").removeprefix("│").removeprefix(" "))
    if error_block:
        seen["error"] = condense_error(error_block)


def condense_error(block: list[str]) -> str:
    """One line from a Terraform diagnostic: its summary, where, and its first plain sentence.

    Indented lines are Terraform's code excerpt; the message a module author wrote for a failed
    validation is the first line that starts at the margin after the summary.
    """
    summary = block[0].strip()
    where = next((m["where"] for line in block if (m := ON_LINE.match(line))), None)
    detail = next(
        (line.strip() for line in block[1:] if line.strip() and not line[:1].isspace()), ""
    )
    text = summary + (f" ({where})" if where else "")
    return f"{text}: {detail}" if detail else text


def _interrupt(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)


def _wait(process: subprocess.Popen[str], timeout_s: float | None) -> bool:
    """Wait for Terraform; on Ctrl-C or timeout, interrupt it once and let it stop cleanly.

    Returns whether the timeout struck. Terraform that does not stop within the grace period
    after a timeout is killed.
    """
    timed_out = False
    limit = timeout_s
    while True:
        try:
            process.wait(timeout=limit)
            return timed_out
        except subprocess.TimeoutExpired:
            if timed_out:
                log.error("terraform did not stop within %.0fs; killing it", INTERRUPT_GRACE_S)
                process.kill()
                process.wait()
                return True
            log.error("terraform ran past its %.0fs limit; stopping it cleanly", timeout_s)
            timed_out = True
            _interrupt(process)
            limit = INTERRUPT_GRACE_S
        except KeyboardInterrupt:
            log.warning("interrupted: asking terraform to stop cleanly (the state is kept)")
            _interrupt(process)


def require_success(outcome: Outcome, what: str) -> Outcome:
    if outcome.returncode != 0:
        detail = first_error(outcome.stderr) if outcome.stderr else "see the output above"
        raise BlueprintError(f"terraform {what} failed (exit {outcome.returncode}): {detail}")
    return outcome


def first_error(text: str) -> str:
    """Terraform's first "Error:" diagnostic with its detail line, as one line."""
    lines = [line.strip(" │╷╵") for line in text.splitlines()]
    for index, line in enumerate(lines):
        if line.startswith("Error:"):
            following = next((item for item in lines[index + 1 :] if item), "")
            return f"{line} {following}".strip()
    return next((line for line in reversed(lines) if line), "no message")
