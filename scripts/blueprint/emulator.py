"""Start, stop and query the local AWS emulator (moto in server mode plus our extensions).

The emulator runs as a background process bound to one loopback address. Its pid, port, instance
id and log live in a state folder, so that ``start`` twice is harmless and ``stop`` finds it again.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from blueprint.emulator_server import INSTANCE_PATH
from blueprint.errors import BlueprintError

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class EmulatorPaths:
    """Where one emulator keeps its bookkeeping."""

    folder: Path

    @property
    def pid_file(self) -> Path:
        return self.folder / "emulator.json"

    @property
    def log_file(self) -> Path:
        return self.folder / "emulator.log"


@dataclass(frozen=True)
class EmulatorInfo:
    pid: int
    port: int
    instance_id: str

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}"


def endpoint_for(port: int) -> str:
    return f"http://{HOST}:{port}"


def query_instance_id(port: int, timeout: float = 1.0) -> str | None:
    """Instance id of our emulator on ``port``; None when nothing, or something else, answers."""
    url = endpoint_for(port) + INSTANCE_PATH
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
            return str(json.loads(response.read())["instance_id"])
    except (OSError, ValueError, KeyError):
        return None


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the server itself does: a port whose last connections linger in TIME_WAIT is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port on the loopback address that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_info(paths: EmulatorPaths) -> EmulatorInfo | None:
    try:
        data = json.loads(paths.pid_file.read_text())
        return EmulatorInfo(int(data["pid"]), int(data["port"]), str(data["instance_id"]))
    except (OSError, ValueError, KeyError):
        return None


def status(paths: EmulatorPaths) -> EmulatorInfo | None:
    """The running emulator recorded in ``paths``, or None (a stale record is removed)."""
    info = read_info(paths)
    if info is None:
        return None
    if _pid_alive(info.pid) and query_instance_id(info.port) == info.instance_id:
        return info
    paths.pid_file.unlink(missing_ok=True)
    return None


def start(paths: EmulatorPaths, port: int) -> EmulatorInfo:
    """Start the emulator on ``port`` unless ours already runs there; return what runs."""
    running = status(paths)
    if running is not None:
        if running.port != port:
            raise BlueprintError(
                f"the emulator already runs on port {running.port}, not {port}; "
                "stop it first with 'blueprint emulator stop' or use that port"
            )
        log.info("emulator already running at %s (pid %d)", running.endpoint, running.pid)
        return running
    if not port_is_free(port):
        raise BlueprintError(
            f"port {port} on {HOST} is taken by another program; "
            "choose another with --emulator-port or BLUEPRINT_EMULATOR_PORT"
        )
    paths.folder.mkdir(parents=True, exist_ok=True)
    instance_id = uuid.uuid4().hex
    command = [
        sys.executable, "-m", "blueprint.emulator_server",
        "--host", HOST, "--port", str(port), "--instance-id", instance_id,
    ]  # fmt: skip
    started = time.monotonic()
    with paths.log_file.open("ab") as log_handle:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = started + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BlueprintError(
                f"the emulator exited at start (status {process.returncode}); "
                f"see its log at {paths.log_file}"
            )
        if query_instance_id(port, timeout=0.5) == instance_id:
            info = EmulatorInfo(process.pid, port, instance_id)
            paths.pid_file.write_text(json.dumps(info.__dict__))
            log.info(
                "emulator started at %s in %.1fs (pid %d, log %s)",
                info.endpoint, time.monotonic() - started, info.pid, paths.log_file,
            )  # fmt: skip
            return info
        time.sleep(0.1)
    process.kill()
    raise BlueprintError(
        f"the emulator did not answer on port {port} within {START_TIMEOUT_S:.0f}s; "
        f"see its log at {paths.log_file}"
    )


def stop(paths: EmulatorPaths) -> bool:
    """Stop the recorded emulator; False when none was running."""
    info = status(paths)
    if info is None:
        return False
    os.killpg(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _pid_alive(info.pid) and time.monotonic() < deadline:
        _reap(info.pid)
        time.sleep(0.05)
    if _pid_alive(info.pid):
        os.killpg(info.pid, signal.SIGKILL)
    paths.pid_file.unlink(missing_ok=True)
    log.info("emulator stopped (pid %d)", info.pid)
    return True


def _reap(pid: int) -> None:
    """Collect the exit status when the emulator is our own child, so it does not linger."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
