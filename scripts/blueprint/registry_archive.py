"""Release archives of modules: the same files give the same archive, also from a fresh clone.

An archive holds the module under ``module/`` and, beside it under their own folder names, the
sibling modules it calls by relative path (``source = "../s3_bucket"``), so that such calls still
resolve once Terraform has unpacked it. Entries are sorted; times, owners and permissions are
fixed; the gzip header carries neither a time nor a file name. What a working copy collects
while it is used (``.terraform``, lock files, state, plans, override files) stays out.
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import io
import os
import stat
import tarfile
from dataclasses import dataclass
from pathlib import Path

from blueprint import hcl
from blueprint.errors import BlueprintError

ARCHIVE_NAME = "module.tar.gz"
PACKAGE_ROOT = "module"
# 1980-01-01, the time the Lambda zips carry too (packaging.py); any constant would do.
FIXED_MTIME = 315532800
# Release bookkeeping, caches and Terraform working folders; hidden ones are left out as well.
EXCLUDED_DIRS = frozenset({"releases", "__pycache__"})
EXCLUDED_FILES = (
    "*.tfstate", "*.tfstate.*", "*.tfplan", "crash.log", "crash.*.log",
    "override.tf", "override.tf.json", "*_override.tf", "*_override.tf.json", "*.pyc",
)  # fmt: skip
LOCAL_SOURCE_PREFIXES = ("./", "../")


@dataclass(frozen=True)
class Archive:
    data: bytes
    # The .tar.gz as published; the same Python and zlib rebuild it byte for byte.
    sha256: str
    # The tar inside, which depends only on the files and this code: a release's identity.
    content_sha256: str
    # Each file's SHA-256 by its name in the archive, to tell which ones changed.
    files: dict[str, str]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _included(name: str) -> bool:
    return not name.startswith(".") and not any(
        fnmatch.fnmatchcase(name, pattern) for pattern in EXCLUDED_FILES
    )


def module_files(folder: Path) -> list[tuple[str, Path]]:
    """(path relative to ``folder``, file) for what a release of ``folder`` carries, sorted."""
    found = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in EXCLUDED_DIRS)
        kept = [name for name in files if _included(name)]
        links = [Path(current, name) for name in dirs + kept if Path(current, name).is_symlink()]
        if links:
            raise BlueprintError(
                f"{links[0]}: a module release holds regular files and folders only; replace "
                "the link with what it points to"
            )
        for name in kept:
            path = Path(current, name)
            found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def _local_calls(folder: Path) -> list[tuple[Path, str, str]]:
    """(calling file, module name, source) of every module call by path in ``folder``'s tree."""
    calls = []
    directories = sorted({path.parent for _, path in module_files(folder)})
    for directory in directories:
        for path in hcl.root_files(directory):
            for block in hcl.parse_file(path).get("module", []):
                for name, body in block.items():
                    source = str(hcl.unquote(body.get("source", "")))
                    if source.startswith(LOCAL_SOURCE_PREFIXES):
                        calls.append((path, str(hcl.unquote(name)), source))
    return calls


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + os.sep)


def called_siblings(folder: Path, modules_dir: Path) -> list[Path]:
    """The other folders of ``modules_dir`` that ``folder`` calls by path, directly or not."""
    root = os.path.normpath(os.path.abspath(folder))
    modules = os.path.normpath(os.path.abspath(modules_dir))
    found: dict[str, Path] = {}
    pending = [root]
    while pending:
        current = pending.pop()
        for path, name, source in _local_calls(Path(current)):
            target = os.path.normpath(os.path.join(path.parent, source))
            if _inside(target, current) or target == root or target in found:
                continue
            if os.path.dirname(target) != modules or not os.path.isdir(target):
                raise BlueprintError(
                    f"{path}: module '{name}' calls {source}, which is not a folder of modules/; "
                    "a release can carry only sibling modules: move the code into modules/"
                )
            if os.path.basename(target) == PACKAGE_ROOT:
                raise BlueprintError(
                    f"{target}: a module folder named '{PACKAGE_ROOT}' clashes with the archive "
                    "layout; rename it"
                )
            found[target] = Path(target)
            pending.append(target)
    return sorted(found.values())


def _entry(name: str, data: bytes, path: Path) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = FIXED_MTIME
    # Git keeps only the executable bit, so that is all a fresh clone can reproduce.
    executable = path.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    info.mode = 0o755 if executable else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def package_files(folder: Path, modules_dir: Path) -> list[tuple[str, Path]]:
    """(name in the archive, file) for the module and the siblings it calls, sorted by name."""
    entries = [(f"{PACKAGE_ROOT}/{name}", path) for name, path in module_files(folder)]
    for sibling in called_siblings(folder, modules_dir):
        entries += [(f"{sibling.name}/{name}", path) for name, path in module_files(sibling)]
    return sorted(entries)


def build_archive(folder: Path, modules_dir: Path) -> Archive:
    tar_buffer = io.BytesIO()
    digests: dict[str, str] = {}
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, path in package_files(folder, modules_dir):
            data = path.read_bytes()
            digests[name] = sha256_hex(data)
            tar.addfile(_entry(name, data, path), io.BytesIO(data))
    content = tar_buffer.getvalue()
    gz_buffer = io.BytesIO()
    # No file name and time 0 in the gzip header; level 9 because archives are built rarely.
    with gzip.GzipFile(filename="", mode="wb", fileobj=gz_buffer, compresslevel=9, mtime=0) as gz:
        gz.write(content)
    data = gz_buffer.getvalue()
    return Archive(data, sha256_hex(data), sha256_hex(content), digests)


def content_sha256(archive: bytes) -> str:
    """The content digest of a published .tar.gz, whichever zlib compressed it."""
    try:
        return sha256_hex(gzip.decompress(archive))
    except (OSError, EOFError) as error:
        raise BlueprintError(f"not a gzip archive ({error}); rebuild the registry") from error
