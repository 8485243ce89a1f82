import socket
from pathlib import Path

import pytest

from blueprint import emulator
from blueprint.errors import BlueprintError

pytestmark = pytest.mark.integration


def test_start_twice_is_harmless_and_stop_ends_it(tmp_path: Path) -> None:
    paths = emulator.EmulatorPaths(tmp_path)
    port = emulator.free_port()
    first = emulator.start(paths, port)
    try:
        again = emulator.start(paths, port)
        assert again == first
        assert emulator.status(paths) == first
        assert first.endpoint == f"http://127.0.0.1:{port}"
        assert paths.log_file.is_file()
    finally:
        assert emulator.stop(paths)
    assert emulator.status(paths) is None
    assert emulator.query_instance_id(port) is None
    assert not emulator.stop(paths)


def test_port_taken_by_another_program_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(BlueprintError, match=f"port {port} on 127.0.0.1 is taken"):
            emulator.start(emulator.EmulatorPaths(tmp_path), port)
    assert not (tmp_path / "emulator.json").exists()


def test_emulator_listens_on_loopback_only(tmp_path: Path) -> None:
    paths = emulator.EmulatorPaths(tmp_path)
    info = emulator.start(paths, emulator.free_port())
    try:
        with open("/proc/net/tcp") as table:
            listening = [line.split() for line in table.readlines()[1:] if line.split()[3] == "0A"]
        ours = [row for row in listening if int(row[1].split(":")[1], 16) == info.port]
        assert ours, "the emulator's listening socket was not found"
        assert all(row[1].split(":")[0] == "0100007F" for row in ours), "bound beyond 127.0.0.1"
    finally:
        emulator.stop(paths)
