"""Build one reproducible zip per Lambda function, with dependencies for Lambda's platform.

A function is a folder with ``handler.py`` and an optional ``requirements.txt`` of exact pins.
Modules in the ``_shared`` folder beside the function folders go into every function's zip, at
its top level beside ``handler.py``, and are part of every function's content hash.
Dependencies come from pip as manylinux wheels for the target Python and architecture, never
from the build machine, and are cached under ``cache_dir`` by requirements and target. The zip is
byte-identical for identical inputs: entries are sorted, timestamps and permissions fixed, and
nothing that names the build machine (bytecode, console scripts, pip's RECORD) goes in. A
function whose inputs did not change since the last build is not zipped again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from blueprint.errors import BlueprintError

log = logging.getLogger(__name__)

# Part of every hash: bump it when the zip layout changes, so that old builds are redone.
FORMAT_VERSION = "1"
# The earliest time a zip entry can hold; fixed so that builds do not depend on file times.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
# Lambda's Python runtimes run on Amazon Linux 2 (glibc 2.26) or 2023 (glibc 2.34), so wheels
# built for glibc 2.17 run on every one of them.
MANYLINUX = ("manylinux2014", "manylinux_2_17")
ARCHITECTURES = {"x86_64": "x86_64", "arm64": "aarch64"}
PYTHON_VERSION = re.compile(r"^3\.[0-9]+$")
# name[extras]==version ; marker -- the only requirement form accepted.
PINNED = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)"
    r"(?:\[[A-Za-z0-9._,\s-]*\])?"
    r"\s*==\s*(?P<version>[A-Za-z0-9.+!_-]+)"
    r"\s*(?:;.*)?$"
)
# The folder, beside the function folders, whose modules every function's zip gets.
SHARED_FOLDER = "_shared"
# Files in a function folder that are for developing it, not for running it.
TOP_LEVEL_EXCLUDES = frozenset({"requirements.txt", "__init__.py", "ruff.toml", "README.md"})
# What pip leaves in a --target folder that Lambda does not need or that names this machine.
DIST_INFO_EXCLUDES = frozenset({"RECORD", "direct_url.json"})


@dataclass(frozen=True)
class Target:
    """The Lambda runtime a zip is for: ``Target("3.12")`` is python3.12 on x86_64."""

    python_version: str
    architecture: str = "x86_64"

    def __post_init__(self) -> None:
        if not PYTHON_VERSION.match(self.python_version):
            raise BlueprintError(
                f"Python version {self.python_version!r} is not of the form 3.N, e.g. 3.12"
            )
        if self.architecture not in ARCHITECTURES:
            raise BlueprintError(
                f"architecture {self.architecture!r} is not one of {', '.join(ARCHITECTURES)}"
            )

    @property
    def runtime(self) -> str:
        return f"python{self.python_version}"

    @property
    def platforms(self) -> list[str]:
        machine = ARCHITECTURES[self.architecture]
        return [f"{tag}_{machine}" for tag in MANYLINUX]

    def pip_options(self) -> list[str]:
        options = ["--only-binary=:all:", "--implementation", "cp"]
        options += ["--python-version", self.python_version]
        for platform in self.platforms:
            options += ["--platform", platform]
        return options

    def describe(self) -> str:
        return f"{self.runtime} {self.architecture}"


@dataclass(frozen=True)
class BuildResult:
    name: str
    zip_path: Path
    # base64 of the zip's sha256, as Terraform's filebase64sha256() computes it.
    source_code_hash: str
    size: int
    rebuilt: bool
    seconds: float


@dataclass(frozen=True)
class Requirement:
    line_number: int
    text: str
    name: str
    version: str


@dataclass(frozen=True)
class Dependencies:
    """An installed set of dependencies and the wheels it was installed from."""

    folder: Path | None
    wheels: list[dict[str, str]]


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_requirements(function: str, path: Path) -> list[Requirement]:
    """The pins in ``requirements.txt``; anything but ``name==version`` is an error."""
    if not path.is_file():
        return []
    pins = []
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        text = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not text:
            continue
        match = PINNED.match(text)
        if match is None:
            raise BlueprintError(
                f"{function}: {path.name} line {number} {raw.strip()!r} is not an exact pin; "
                "write it as name==version (every dependency, direct or not, is pinned)"
            )
        normalised = re.sub(r"\s+", " ", text)
        pins.append(Requirement(number, normalised, match["name"], match["version"]))
    return pins


def source_files(source: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file) for the function's own code: no tests, caches or tooling files."""
    found = []
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        relative = Path(folder).relative_to(source)
        for file in sorted(files):
            if file.startswith(".") or file.endswith((".pyc", ".pyo")):
                continue
            if file == "conftest.py" or re.match(r"^test_.*\.py$|^.*_test\.py$", file):
                continue
            if relative == Path(".") and file in TOP_LEVEL_EXCLUDES:
                continue
            found.append(((relative / file).as_posix(), Path(folder) / file))
    return found


def shared_files(source_root: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file) for the modules in ``source_root/_shared``, if there is one."""
    shared = source_root / SHARED_FOLDER
    if not shared.is_dir():
        return []
    if (shared / "requirements.txt").is_file():
        # Its pins would have to be merged with each function's; nothing needs that so far.
        raise BlueprintError(
            f"{shared}: shared modules may use the standard library only; move requirements.txt "
            "and the code that needs it into the functions that use it"
        )
    return source_files(shared)


def installed_files(folder: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file) for a pip --target folder, minus what only pip needs."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        parts = path.relative_to(folder).parts
        # Console scripts carry the build machine's interpreter path; Lambda never runs them.
        if parts[0] == "bin" or "__pycache__" in parts or path.suffix in (".pyc", ".pyo"):
            continue
        if parts[-2:-1] and parts[-2].endswith(".dist-info") and parts[-1] in DIST_INFO_EXCLUDES:
            continue
        found.append(("/".join(parts), path))
    return found


def file_mode(path: Path) -> int:
    """0755 when the owner may execute the file, else 0644, whatever the umask was."""
    return 0o755 if path.stat().st_mode & stat.S_IXUSR else 0o644


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def terraform_hash(path: Path) -> str:
    """What Terraform's filebase64sha256() gives for the file."""
    return base64.b64encode(bytes.fromhex(sha256_file(path))).decode()


def _hash_json(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def run_pip(function: str, arguments: list[str]) -> None:
    command = [sys.executable, "-m", "pip", *arguments]
    log.info("%s: %s", function, shlex.join(command))
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = " | ".join((completed.stderr or completed.stdout).strip().splitlines()[-5:])
        raise BlueprintError(
            f"{function}: pip could not install requirements.txt "
            f"(exit {completed.returncode}): {tail}"
        )


def _wheels_from_report(report: dict) -> list[dict[str, str]]:
    wheels = []
    for item in report.get("install", []):
        info = item.get("download_info", {})
        archive = info.get("archive_info", {})
        sha256 = archive.get("hashes", {}).get("sha256") or archive.get("hash", "")
        wheels.append(
            {
                "name": canonical_name(item["metadata"]["name"]),
                "version": item["metadata"]["version"],
                # The file name only: where pip found it (an index, a local mirror) varies.
                "wheel": info.get("url", "").rsplit("/", 1)[-1],
                "sha256": sha256.removeprefix("sha256="),
            }
        )
    return sorted(wheels, key=lambda wheel: wheel["name"])


def _check_all_pinned(function: str, pins: list[Requirement], wheels: list[dict]) -> None:
    pinned = {canonical_name(pin.name) for pin in pins}
    missing = [f"{w['name']}=={w['version']}" for w in wheels if w["name"] not in pinned]
    if missing:
        raise BlueprintError(
            f"{function}: requirements.txt does not pin {', '.join(missing)}, pulled in as "
            "dependencies; add those lines so that every build installs the same versions"
        )


def install_dependencies(
    function: str, pins: list[Requirement], cache_dir: Path, target: Target
) -> Dependencies:
    """The dependencies for ``pins`` on ``target``, installed once per cache and reused."""
    if not pins:
        return Dependencies(None, [])
    key = _hash_json(
        {
            "format": FORMAT_VERSION,
            "requirements": sorted(pin.text for pin in pins),
            "python": target.python_version,
            "platforms": target.platforms,
        }
    )
    entry = cache_dir / "deps" / f"{target.runtime}-{target.architecture}-{key[:16]}"
    manifest = entry / "wheels.json"
    if manifest.is_file():
        return Dependencies(entry / "site", json.loads(manifest.read_text()))

    entry.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=entry.parent, prefix=".install-") as scratch:
        work = Path(scratch) / "entry"
        work.mkdir()
        site = work / "site"
        report_path = work / "report.json"
        run_pip(
            function,
            [
                "install", "--target", str(site), *target.pip_options(),
                "--no-compile", "--no-input", "--disable-pip-version-check", "--quiet",
                "--cache-dir", str(cache_dir / "pip"), "--report", str(report_path),
                *(pin.text for pin in pins),
            ],
        )  # fmt: skip
        wheels = _wheels_from_report(json.loads(report_path.read_text()))
        _check_all_pinned(function, pins, wheels)
        # Drop what the zip leaves out now, so that the cache holds just what ships.
        keep = {path for _, path in installed_files(site)}
        for path in sorted(site.rglob("*"), reverse=True):
            if path.is_file() and path not in keep:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        (work / "wheels.json").write_text(json.dumps(wheels, indent=2, sort_keys=True) + "\n")
        report_path.unlink()
        try:
            work.rename(entry)
        except OSError:
            # Another build filled the same entry meanwhile; either copy is as good.
            if not manifest.is_file():
                raise
    return Dependencies(entry / "site", json.loads(manifest.read_text()))


def write_zip(out: Path, files: list[tuple[str, Path]]) -> None:
    """Write ``files`` to ``out`` so that the same files always give the same bytes."""
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for name, path in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.create_system = 3  # Unix, so that the permission bits below are honoured
            info.external_attr = (stat.S_IFREG | file_mode(path)) << 16
            archive.writestr(
                info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6
            )
    tmp.replace(out)


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"


def build_function(source: Path, build_dir: Path, cache_dir: Path, target: Target) -> BuildResult:
    """Zip the function in ``source`` to ``build_dir/<name>.zip`` unless it is up to date."""
    started = time.monotonic()
    source = source.resolve()
    name = source.name
    if not (source / "handler.py").is_file():
        raise BlueprintError(f"{name}: no handler.py in {source}; every function needs one")
    pins = read_requirements(name, source / "requirements.txt")
    deps = install_dependencies(name, pins, cache_dir.resolve(), target)

    own = source_files(source)
    shared = shared_files(source.parent)
    overridden = sorted({arc for arc, _ in own} & {arc for arc, _ in shared})
    if overridden:
        raise BlueprintError(
            f"{name}: {', '.join(overridden)} exists both in the function and in "
            f"{SHARED_FOLDER}/; rename the function's file"
        )
    code = own + shared
    libraries = installed_files(deps.folder) if deps.folder else []
    clashes = sorted({arc for arc, _ in code} & {arc for arc, _ in libraries})
    if clashes:
        raise BlueprintError(
            f"{name}: {', '.join(clashes)} exists both in the function's code and in a "
            f"dependency; rename the file in the function or in {SHARED_FOLDER}/"
        )
    inputs = _hash_json(
        {
            "format": FORMAT_VERSION,
            "target": [target.python_version, target.architecture],
            "wheels": deps.wheels,
            # Shared modules included, so that a change there rebuilds every function.
            "code": [[arc, file_mode(path), sha256_file(path)] for arc, path in code],
        }
    )

    build_dir.mkdir(parents=True, exist_ok=True)
    zip_path = build_dir / f"{name}.zip"
    stamp_path = build_dir / f"{name}.json"
    stamp = _read_stamp(stamp_path)
    rebuilt = not (
        zip_path.is_file()
        and stamp.get("inputs") == inputs
        and stamp.get("source_code_hash") == terraform_hash(zip_path)
    )
    if rebuilt:
        write_zip(zip_path, code + libraries)
        stamp = {
            "inputs": inputs,
            "target": target.describe(),
            "wheels": deps.wheels,
            "source_code_hash": terraform_hash(zip_path),
        }
        stamp_path.write_text(json.dumps(stamp, indent=2, sort_keys=True) + "\n")

    result = BuildResult(
        name=name,
        zip_path=zip_path,
        source_code_hash=str(stamp["source_code_hash"]),
        size=zip_path.stat().st_size,
        rebuilt=rebuilt,
        seconds=time.monotonic() - started,
    )
    log.info(
        "%s: %s for %s (%s) in %.1fs",
        name, "built" if rebuilt else "up to date", target.describe(),
        _human(result.size), result.seconds,
    )  # fmt: skip
    return result


def _read_stamp(path: Path) -> dict:
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def function_folders(source_root: Path) -> Iterator[Path]:
    for path in sorted(source_root.iterdir()):
        if path.is_dir() and not path.name.startswith((".", "_")):
            yield path


def build_all(
    source_root: Path, build_dir: Path, cache_dir: Path, target: Target
) -> list[BuildResult]:
    """Build every function folder under ``source_root`` (each subfolder is one function)."""
    if not source_root.is_dir():
        raise BlueprintError(f"Lambda source folder {source_root} does not exist")
    folders = list(function_folders(source_root))
    if not folders:
        raise BlueprintError(f"no function folders under {source_root}")
    return [build_function(folder, build_dir, cache_dir, target) for folder in folders]


def naive_build(source: Path, out_zip: Path, target: Target) -> BuildResult:
    """The usual way, for benchmarks only: pip install -t, copy, zip; no cache, no determinism."""
    started = time.monotonic()
    name = source.name
    pins = read_requirements(name, source / "requirements.txt")
    with tempfile.TemporaryDirectory(prefix="naive-build-") as scratch:
        staging = Path(scratch) / "package"
        if pins:
            run_pip(
                name,
                [
                    "install", "--target", str(staging), *target.pip_options(),
                    "--no-cache-dir", "--quiet", *(pin.text for pin in pins),
                ],
            )  # fmt: skip
        shutil.copytree(source, staging, dirs_exist_ok=True)
        # Without the shared modules the function would not import; a fair baseline runs.
        for arc, path in shared_files(source.resolve().parent):
            (staging / arc).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, staging / arc)
        out_zip.parent.mkdir(parents=True, exist_ok=True)
        archive = shutil.make_archive(str(out_zip.with_suffix("")), "zip", staging)
        Path(archive).replace(out_zip)
    return BuildResult(
        name=name,
        zip_path=out_zip,
        source_code_hash=terraform_hash(out_zip),
        size=out_zip.stat().st_size,
        rebuilt=True,
        seconds=time.monotonic() - started,
    )
