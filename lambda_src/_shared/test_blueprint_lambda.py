"""The shared logging and settings helpers, on their own."""

from __future__ import annotations

import json
import logging

import pytest

from blueprint_lambda import ConfigError, FunctionLogger, env_flag


class Context:
    aws_request_id = "req-42"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({}, True), ({"FLAG": " Yes "}, True), ({"FLAG": "0"}, False), ({"FLAG": "false"}, False)],
)
def test_env_flag_reads_words_and_defaults_when_unset(environ, expected):
    assert env_flag(environ, "FLAG", default=True) is expected


@pytest.mark.parametrize("text", ["", "maybe", "on"])
def test_env_flag_rejects_anything_else_naming_the_variable(text):
    with pytest.raises(ConfigError, match=f"FLAG {text!r} must be 'true' or 'false'"):
        env_flag({"FLAG": text}, "FLAG", default=False)


def test_log_line_is_one_json_object_with_request_and_fields(capsys, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "debug")
    log = FunctionLogger("shared_test_function")
    log.start(Context())
    log.start(Context())  # a warm invocation must not add a second handler

    log.log(logging.DEBUG, "done", count=2, when=Context)

    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line) == {
        "level": "DEBUG",
        "logger": "shared_test_function",
        "message": "done",
        "request_id": "req-42",
        "count": 2,
        "when": str(Context),
    }
