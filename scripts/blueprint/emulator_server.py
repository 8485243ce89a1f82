"""The emulator process: moto's server with our extensions, bound to one loopback address.

Started by ``blueprint.emulator`` as ``python -m blueprint.emulator_server``; not meant to be
imported by the glue itself, because installing the extensions patches moto in this process.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from werkzeug.serving import run_simple

from blueprint import emulator_ext

INSTANCE_PATH = "/_blueprint/instance"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class InstanceEndpoint:
    """Answers ``GET /_blueprint/instance`` with the id this process was started with.

    The glue records that id next to the local state; a different id later means the emulator
    restarted and lost everything the state describes.
    """

    def __init__(self, app: WsgiApp, instance_id: str) -> None:
        self.app = app
        self.body = json.dumps({"instance_id": instance_id}).encode()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == INSTANCE_PATH:
            start_response(
                "200 OK",
                [("Content-Type", "application/json"), ("Content-Length", str(len(self.body)))],
            )
            return [self.body]
        return self.app(environ, start_response)


def build_app(instance_id: str) -> InstanceEndpoint:
    # Imported here so that moto loads only in the emulator process.
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    emulator_ext.install_all()
    return InstanceEndpoint(DomainDispatcherApplication(create_backend_app), instance_id)


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m blueprint.emulator_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--instance-id", required=True)
    args = parser.parse_args(argv)

    from moto.moto_server.werkzeug_app import MotoRequestHandler

    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    run_simple(
        args.host,
        args.port,
        build_app(args.instance_id),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
