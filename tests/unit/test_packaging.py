"""Lambda packaging: Lambda-platform wheels, byte-identical zips, rebuilds only on change.

These tests install real wheels from PyPI; downloads and installs are cached for the session.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from blueprint.errors import BlueprintError
from blueprint.packaging import Target, build_all, build_function, naive_build

HANDLER = '''"""A function that makes thumbnails."""

from PIL import Image


def handler(event, context):
    return Image.__name__
'''


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lambda-cache")


def make_function(root: Path, name: str = "thumbs", requirements: str = "pillow==10.4.0\n") -> Path:
    folder = root / name
    (folder / "lib").mkdir(parents=True)
    (folder / "__pycache__").mkdir()
    (folder / "handler.py").write_text(HANDLER)
    (folder / "lib" / "__init__.py").write_text("")
    (folder / "lib" / "sizes.py").write_text("SMALL = 64\n")
    (folder / "requirements.txt").write_text(f"# runtime deps\n{requirements}")
    (folder / "test_handler.py").write_text("def test_nothing():\n    pass\n")
    (folder / "__init__.py").write_text("")
    (folder / "__pycache__" / "handler.cpython-311.pyc").write_bytes(b"\x00bytecode")
    (folder / ".DS_Store").write_bytes(b"junk")
    return folder


@pytest.fixture
def function(tmp_path: Path) -> Path:
    return make_function(tmp_path / "src")


def test_zip_holds_code_and_lambda_platform_wheels_only(function, tmp_path, cache_dir):
    result = build_function(function, tmp_path / "build", cache_dir, Target("3.8"))

    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
        infos = archive.infolist()
        wheel = archive.read("pillow-10.4.0.dist-info/WHEEL").decode()
    assert {"handler.py", "lib/__init__.py", "lib/sizes.py"} <= set(names)
    assert "PIL/_imaging.cpython-38-x86_64-linux-gnu.so" in names
    assert "Tag: cp38-cp38-manylinux_2_17_x86_64" in wheel
    assert not [n for n in names if "cpython-311" in n or "cpython-312" in n]
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert not [n for n in names if n.endswith("RECORD") or n.startswith("bin/")]
    assert not [n for n in names if "test_" in n.rsplit("/", 1)[-1]]
    assert not {"requirements.txt", "__init__.py", ".DS_Store"} & set(names)
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 & 0o777 for info in infos} <= {0o644, 0o755}
    assert result.size == result.zip_path.stat().st_size
    assert result.rebuilt


def test_python_312_gets_the_312_wheel(function, tmp_path, cache_dir):
    result = build_function(function, tmp_path / "build", cache_dir, Target("3.12"))

    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
    assert "PIL/_imaging.cpython-312-x86_64-linux-gnu.so" in names
    assert not [n for n in names if "cpython-38" in n]


def test_second_build_is_byte_identical_and_not_rebuilt(function, tmp_path, cache_dir):
    first = build_function(function, tmp_path / "one", cache_dir, Target("3.8"))
    again = build_function(function, tmp_path / "one", cache_dir, Target("3.8"))
    elsewhere = build_function(function, tmp_path / "two", cache_dir, Target("3.8"))

    assert not again.rebuilt
    assert elsewhere.rebuilt
    assert first.zip_path.read_bytes() == elsewhere.zip_path.read_bytes()
    assert first.source_code_hash == again.source_code_hash == elsewhere.source_code_hash


def test_touch_timezone_umask_and_a_copied_tree_change_nothing(
    function, tmp_path, cache_dir, monkeypatch
):
    reference = build_function(function, tmp_path / "ref", cache_dir, Target("3.8"))

    later = time.time() + 86_400
    for path in function.rglob("*"):
        os.utime(path, (later, later))
    copy = shutil.copytree(function, tmp_path / "clone" / "deeper" / function.name)
    # A fresh dependency install too (an empty cache), under another umask and time zone.
    fresh_cache = tmp_path / "fresh-cache"
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    old_umask = os.umask(0o077)
    try:
        monkeypatch.chdir(copy.parent)
        other = build_function(Path(function.name), Path("build"), fresh_cache, Target("3.8"))
    finally:
        os.umask(old_umask)
        monkeypatch.delenv("TZ")
        time.tzset()

    assert other.rebuilt
    assert other.zip_path.read_bytes() == reference.zip_path.read_bytes()


def test_changed_source_changes_the_hash(function, tmp_path, cache_dir):
    before = build_function(function, tmp_path / "build", cache_dir, Target("3.8"))
    (function / "lib" / "sizes.py").write_text("SMALL = 128\n")

    after = build_function(function, tmp_path / "build", cache_dir, Target("3.8"))

    assert after.rebuilt
    assert after.source_code_hash != before.source_code_hash


def test_changed_test_file_is_not_a_change(function, tmp_path, cache_dir):
    build_function(function, tmp_path / "build", cache_dir, Target("3.8"))
    (function / "test_handler.py").write_text("def test_more():\n    assert True\n")

    assert not build_function(function, tmp_path / "build", cache_dir, Target("3.8")).rebuilt


def test_damaged_zip_is_rebuilt(function, tmp_path, cache_dir):
    first = build_function(function, tmp_path / "build", cache_dir, Target("3.8"))
    first.zip_path.write_bytes(b"not a zip")

    again = build_function(function, tmp_path / "build", cache_dir, Target("3.8"))

    assert again.rebuilt
    assert again.source_code_hash == first.source_code_hash


def test_function_without_dependencies_runs_no_pip(tmp_path, cache_dir, caplog):
    function = make_function(tmp_path, "plain", requirements="")
    (function / "handler.py").write_text("def handler(event, context):\n    return 1\n")

    with caplog.at_level("INFO", logger="blueprint.packaging"):
        result = build_function(function, tmp_path / "build", tmp_path / "cache", Target("3.12"))

    with zipfile.ZipFile(result.zip_path) as archive:
        assert archive.namelist() == ["handler.py", "lib/__init__.py", "lib/sizes.py"]
    assert "pip" not in caplog.text
    assert "plain: built for python3.12 x86_64" in caplog.text


def test_pip_command_is_logged_once_shell_quoted(tmp_path, cache_dir, caplog):
    function = make_function(tmp_path, "logged")

    with caplog.at_level("INFO", logger="blueprint.packaging"):
        build_function(function, tmp_path / "build", tmp_path / "own-cache", Target("3.8"))
        build_function(function, tmp_path / "build2", tmp_path / "own-cache", Target("3.8"))

    commands = [r.getMessage() for r in caplog.records if " -m pip install " in r.getMessage()]
    assert len(commands) == 1
    assert "--platform manylinux2014_x86_64" in commands[0]
    assert "--python-version 3.8" in commands[0]
    assert "--only-binary=:all:" in commands[0]


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("pillow>=10\n", "line 2 'pillow>=10'"),
        ("pillow\n", "line 2 'pillow'"),
        ("pillow==10.*\n", "line 2 'pillow==10.*'"),
        ("-r other.txt\n", "line 2 '-r other.txt'"),
    ],
)
def test_unpinned_requirement_is_rejected(tmp_path, cache_dir, line, shown):
    function = make_function(tmp_path, "loose", requirements=line)

    expected = re.escape(f"loose: requirements.txt {shown}") + ".*exact pin"
    with pytest.raises(BlueprintError, match=expected):
        build_function(function, tmp_path / "build", cache_dir, Target("3.8"))


def test_unpinned_transitive_dependency_is_rejected(tmp_path, cache_dir):
    function = make_function(tmp_path, "dates", requirements="python-dateutil==2.9.0.post0\n")

    with pytest.raises(BlueprintError, match=r"dates: requirements.txt does not pin six==1\."):
        build_function(function, tmp_path / "build", cache_dir, Target("3.8"))


def test_console_scripts_are_left_out(tmp_path, cache_dir):
    function = make_function(tmp_path, "tables", requirements="tabulate==0.9.0\n")

    result = build_function(function, tmp_path / "build", cache_dir, Target("3.12"))

    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
    assert "tabulate/__init__.py" in names
    assert not [n for n in names if n.startswith("bin/")]
    assert "tabulate-0.9.0.dist-info/entry_points.txt" in names


def test_requirement_that_does_not_exist_names_the_function(tmp_path, cache_dir):
    function = make_function(tmp_path, "broken", requirements="pillow==0.0.1\n")

    with pytest.raises(BlueprintError, match="broken: pip could not install"):
        build_function(function, tmp_path / "build", cache_dir, Target("3.8"))


def test_missing_handler_names_the_function(tmp_path, cache_dir):
    (tmp_path / "src" / "thumbs").mkdir(parents=True)
    make_function(tmp_path / "src", "other", requirements="")

    with pytest.raises(BlueprintError, match=r"thumbs: no handler\.py"):
        build_all(tmp_path / "src", tmp_path / "build", cache_dir, Target("3.8"))


@pytest.mark.parametrize(
    ("version", "architecture"), [("3", "x86_64"), ("python3.8", "x86_64"), ("3.8", "amd64")]
)
def test_bad_target_is_rejected(version, architecture):
    with pytest.raises(BlueprintError):
        Target(version, architecture)


def test_build_all_builds_each_function_folder(tmp_path, cache_dir):
    make_function(tmp_path / "src", "one", requirements="")
    make_function(tmp_path / "src", "two", requirements="")
    (tmp_path / "src" / "README.md").write_text("# functions\n")

    results = build_all(tmp_path / "src", tmp_path / "build", cache_dir, Target("3.8"))

    assert [r.name for r in results] == ["one", "two"]
    assert sorted(p.name for p in (tmp_path / "build").glob("*.zip")) == ["one.zip", "two.zip"]


def make_shared(root: Path, text: str = "LEVEL = 'INFO'\n") -> Path:
    shared = root / "_shared"
    shared.mkdir(parents=True, exist_ok=True)
    (shared / "common_log.py").write_text(text)
    (shared / "test_common_log.py").write_text("def test_nothing():\n    pass\n")
    (shared / "ruff.toml").write_text('target-version = "py38"\n')
    return shared


def test_shared_modules_are_in_every_zip_at_the_top(tmp_path, cache_dir):
    make_function(tmp_path / "src", "one", requirements="")
    make_function(tmp_path / "src", "two", requirements="")
    make_shared(tmp_path / "src")

    results = build_all(tmp_path / "src", tmp_path / "build", cache_dir, Target("3.8"))
    again = build_all(tmp_path / "src", tmp_path / "elsewhere", cache_dir, Target("3.8"))

    assert [r.name for r in results] == ["one", "two"]
    for result in results:
        with zipfile.ZipFile(result.zip_path) as archive:
            names = archive.namelist()
            assert names == ["common_log.py", "handler.py", "lib/__init__.py", "lib/sizes.py"]
            assert archive.read("common_log.py") == b"LEVEL = 'INFO'\n"
    for first, second in zip(results, again, strict=True):
        assert first.zip_path.read_bytes() == second.zip_path.read_bytes()


def test_changed_shared_module_rebuilds_every_function(tmp_path, cache_dir):
    make_function(tmp_path / "src", "one", requirements="")
    make_function(tmp_path / "src", "two", requirements="")
    shared = make_shared(tmp_path / "src")
    before = build_all(tmp_path / "src", tmp_path / "build", cache_dir, Target("3.8"))
    (shared / "test_common_log.py").write_text("def test_more():\n    assert True\n")
    unchanged = build_all(tmp_path / "src", tmp_path / "build", cache_dir, Target("3.8"))

    (shared / "common_log.py").write_text("LEVEL = 'DEBUG'\n")
    after = build_all(tmp_path / "src", tmp_path / "build", cache_dir, Target("3.8"))

    assert not [r.name for r in unchanged if r.rebuilt]
    assert [r.name for r in after if r.rebuilt] == ["one", "two"]
    for old, new in zip(before, after, strict=True):
        assert old.source_code_hash != new.source_code_hash


def test_function_file_named_like_a_shared_module_is_rejected(tmp_path, cache_dir):
    function = make_function(tmp_path / "src", "one", requirements="")
    make_shared(tmp_path / "src")
    (function / "common_log.py").write_text("LEVEL = 'WARNING'\n")

    with pytest.raises(BlueprintError, match=r"one: common_log\.py exists both .* _shared/"):
        build_function(function, tmp_path / "build", cache_dir, Target("3.8"))


def test_shared_requirements_are_rejected(tmp_path, cache_dir):
    function = make_function(tmp_path / "src", "one", requirements="")
    shared = make_shared(tmp_path / "src")
    (shared / "requirements.txt").write_text("six==1.16.0\n")

    with pytest.raises(BlueprintError, match="standard library only"):
        build_function(function, tmp_path / "build", cache_dir, Target("3.8"))


def test_the_repository_functions_package(tmp_path, cache_dir):
    source_root = Path(__file__).resolve().parents[2] / "lambda_src"

    results = build_all(source_root, tmp_path / "build", cache_dir, Target("3.8"))

    assert {r.name for r in results} == {"event_archiver", "image_thumbnailer", "scheduled_sweeper"}
    for result in results:
        with zipfile.ZipFile(result.zip_path) as archive:
            assert {"handler.py", "blueprint_lambda.py"} <= set(archive.namelist())
            assert "test_handler.py" not in archive.namelist()


def test_naive_build_is_a_plain_zip(function, tmp_path):
    result = naive_build(function, tmp_path / "naive" / "thumbs.zip", Target("3.8"))

    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
    assert "handler.py" in names
    assert "PIL/_imaging.cpython-38-x86_64-linux-gnu.so" in names
    assert result.rebuilt


def test_naive_build_has_the_shared_modules_too(tmp_path):
    function = make_function(tmp_path / "src", "plain", requirements="")
    make_shared(tmp_path / "src")

    result = naive_build(function, tmp_path / "naive" / "plain.zip", Target("3.8"))

    with zipfile.ZipFile(result.zip_path) as archive:
        assert "common_log.py" in archive.namelist()
