"""The module registry: releases of the modules, a static registry for Terraform, publishing.

A module's version is the top entry of its CHANGELOG.md. Releasing a version records, in
``modules/<m>/releases/<version>.json``, the release's interface and content digests; those
committed records are what the interface check compares the working copy against, so the check
works from a plain clone. ``build_registry`` writes the files of Terraform's module registry
protocol into a folder that any static HTTPS host can serve, with one fixed response header
(``object_headers``); ``publish_registry`` uploads them to S3 without ever replacing a release.
docs/registry.md explains the design.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from blueprint import docs
from blueprint.config import Settings
from blueprint.errors import BlueprintError
from blueprint.registry_archive import (
    ARCHIVE_NAME,
    PACKAGE_ROOT,
    Archive,
    build_archive,
    content_sha256,
)
from blueprint.registry_interface import Change, compare, read_interface, required_level
from blueprint.registry_versions import CHANGELOG, Level, Version, changelog_versions

log = logging.getLogger(__name__)

NAMESPACE = "blueprint"
SYSTEM = "aws"
DISCOVERY_KEY = ".well-known/terraform.json"
MODULES_BASE = "v1/modules"
RELEASES_DIR = "releases"
RECORD_FORMAT = 1
# Terraform reads the archive's location only from this header of the download endpoint; the
# value is relative and the same for every module and version, so a static host needs one fixed
# header rule. The "//module" part selects the module folder inside the archive.
DOWNLOAD_LOCATION = f"./{ARCHIVE_NAME}//{PACKAGE_ROOT}"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def registry_name(folder_name: str) -> str:
    return folder_name.replace("_", "-")


def module_address(folder_name: str) -> str:
    """namespace/name/system of a module, the part of its source address after the host."""
    return f"{NAMESPACE}/{registry_name(folder_name)}/{SYSTEM}"


def module_key(folder_name: str) -> str:
    return f"{MODULES_BASE}/{module_address(folder_name)}"


def object_headers(key: str) -> dict[str, str]:
    """The HTTP headers the host must send with the registry file at ``key``.

    S3 stores Content-Type and Cache-Control with each object; X-Terraform-Get on download
    endpoints has to come from the host's own configuration (docs/registry.md).
    """
    if key.endswith(f"/{ARCHIVE_NAME}"):
        return {"Content-Type": "application/gzip", "Cache-Control": IMMUTABLE}
    if key.endswith(".sha256"):
        return {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": IMMUTABLE}
    if key.endswith("/download"):
        return {
            "Content-Type": "application/json",
            "Cache-Control": IMMUTABLE,
            "X-Terraform-Get": DOWNLOAD_LOCATION,
        }
    return {"Content-Type": "application/json", "Cache-Control": REVALIDATE}


@dataclass(frozen=True)
class Record:
    """A released version as committed in ``releases/<version>.json``."""

    version: Version
    content_sha256: str
    archive_sha256: str
    files: dict[str, str]
    interface: dict[str, Any]

    def as_json(self, module: str) -> str:
        document = {
            "format": RECORD_FORMAT,
            "module": module,
            "version": str(self.version),
            "content_sha256": self.content_sha256,
            "archive_sha256": self.archive_sha256,
            "files": self.files,
            "interface": self.interface,
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"


def load_records(folder: Path) -> list[Record]:
    """The module's recorded releases, oldest first."""
    records = []
    for path in (folder / RELEASES_DIR).glob("*.json"):
        shown = f"modules/{folder.name}/{RELEASES_DIR}/{path.name}"
        try:
            document = json.loads(path.read_text())
            version = Version.parse(document["version"], shown)
            record = Record(
                version,
                document["content_sha256"],
                document["archive_sha256"],
                document["files"],
                document["interface"],
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BlueprintError(
                f"{shown} is not a release record ({error}); restore it from git"
            ) from error
        if document.get("format") != RECORD_FORMAT or path.stem != str(version):
            raise BlueprintError(
                f"{shown} holds version {version} in format {document.get('format')}; the file "
                f"name must be the version and the format {RECORD_FORMAT}: restore it from git"
            )
        records.append(record)
    return sorted(records, key=lambda record: record.version)


@dataclass(frozen=True)
class Assessment:
    """Where one module stands: its version, its releases, and what is wrong, if anything."""

    folder: Path
    version: Version
    records: list[Record]
    interface: dict[str, Any]
    archive: Archive
    # Interface changes since the release the working copy is compared with.
    changes: list[Change]
    problems: list[str]

    @property
    def recorded(self) -> bool:
        return any(record.version == self.version for record in self.records)

    def as_dict(self) -> dict[str, Any]:
        return {
            "module": self.folder.name,
            "address": module_address(self.folder.name),
            "version": str(self.version),
            "recorded": self.recorded,
            "releases": [str(record.version) for record in self.records],
            "changes": [{"level": c.level.label, "change": c.text} for c in self.changes],
            "problems": self.problems,
        }


def _changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    names = set(before) | set(after)
    return sorted(name for name in names if before.get(name) != after.get(name))


def _history_problems(shown: str, versions: list[Version], records: list[Record]) -> list[str]:
    problems = [
        f"{shown}/{RELEASES_DIR}/{record.version}.json has no entry in {CHANGELOG}; restore it"
        for record in records
        if record.version not in versions
    ]
    for before, after in itertools.pairwise(records):
        need = max(required_level(compare(before.interface, after.interface)), Level.PATCH)
        if before.version.level_to(after.version) < need:
            problems.append(
                f"{shown}: the recorded release {after.version} needed a {need.label} release "
                f"after {before.version}; restore its record from git"
            )
    return problems


def assess(settings: Settings, folder: Path) -> Assessment:
    """Compare the working copy of a module with its recorded releases."""
    shown = f"modules/{folder.name}"
    versions = changelog_versions(folder / CHANGELOG, f"{shown}/{CHANGELOG}")
    current = versions[0]
    records = load_records(folder)
    interface = read_interface(folder)
    archive = build_archive(folder, settings.modules_dir)
    problems = _history_problems(shown, versions, records)
    released = {record.version: record for record in records}
    latest = records[-1] if records else None
    changes: list[Change] = []
    if latest is not None and current < latest.version:
        problems.append(
            f"{shown}/{CHANGELOG}: the top entry {current} is older than the recorded release "
            f"{latest.version}; add an entry for the next version above it"
        )
    elif current in released:
        record = released[current]
        changes = compare(record.interface, interface)
        if record.content_sha256 != archive.content_sha256:
            need = max(required_level(changes), Level.PATCH)
            detail = "; ".join(str(change) for change in changes) or "files: " + ", ".join(
                _changed_files(record.files, archive.files)
            )
            problems.append(
                f"{shown} changed since {current} was released ({detail}); a version never "
                f"changes: add a {CHANGELOG} entry for {current.bump(need)} or later"
            )
    elif latest is not None:
        changes = compare(latest.interface, interface)
        content_changed = latest.content_sha256 != archive.content_sha256
        need = max(required_level(changes), Level.PATCH if content_changed else Level.NONE)
        have = latest.version.level_to(current)
        if have < need:
            listed = "; ".join(str(change) for change in changes if change.level == need)
            problems.append(
                f"{shown}: {current} is a {have.label} release after {latest.version}, but "
                f"{listed} needs a {need.label} release: make the top {CHANGELOG} entry "
                f"{latest.version.bump(need)}"
            )
    return Assessment(folder, current, records, interface, archive, changes, problems)


def module_folders(settings: Settings, names: Sequence[str] | None = None) -> list[Path]:
    """Every module folder, or those named; an unknown name is an error."""
    folders = docs.module_folders(settings.modules_dir)
    if names is None:
        return folders
    known = {folder.name: folder for folder in folders}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise BlueprintError(
            f"no module named {', '.join(unknown)} in {settings.modules_dir}; "
            f"the modules are {', '.join(sorted(known))}"
        )
    return [known[name] for name in sorted(set(names))]


def record_path(folder: Path, version: Version) -> Path:
    return folder / RELEASES_DIR / f"{version}.json"


def assess_all(
    settings: Settings, names: Sequence[str] | None = None
) -> tuple[list[Assessment], list[str]]:
    """Each module's assessment (all, or those named), and every problem found, one line each."""
    assessments: list[Assessment] = []
    problems: list[str] = []
    for folder in module_folders(settings, names):
        try:
            item = assess(settings, folder)
        except BlueprintError as error:
            problems.append(error.message)
            continue
        assessments.append(item)
        problems += item.problems
    return assessments, problems


def check_registry(settings: Settings) -> list[Assessment]:
    """Fail unless every module's version is recorded and its working copy matches the record.

    A version bump too small for the interface changes it carries is named first.
    """
    assessments, problems = assess_all(settings)
    for item in assessments:
        if not item.problems and not item.recorded:
            problems.append(
                f"modules/{item.folder.name}: version {item.version} is not recorded yet: run "
                f"'make registry' and commit modules/{item.folder.name}/{RELEASES_DIR}/"
                f"{item.version}.json"
            )
    if problems:
        raise BlueprintError("module registry check failed:\n  " + "\n  ".join(problems))
    return assessments


@dataclass(frozen=True)
class BuiltModule:
    module: str
    version: Version
    archive: Path
    sha256: str
    newly_recorded: bool
    # The source address consumers write, when the registry's URL is known.
    source: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "version": str(self.version),
            "archive": str(self.archive),
            "sha256": self.sha256,
            "newly_recorded": self.newly_recorded,
            "source": self.source,
        }


def registry_host(base_url: str) -> str:
    """The host part of module source addresses for a registry served at ``base_url``."""
    parts = urlsplit(base_url)
    if parts.scheme != "https":
        raise BlueprintError(
            f"registry URL {base_url!r}: Terraform talks to module registries over HTTPS only"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise BlueprintError(
            f"registry URL {base_url!r}: serve the registry from the root of its host, where "
            f"Terraform looks for /{DISCOVERY_KEY}"
        )
    host = (parts.hostname or "").lower()
    if "." not in host:
        raise BlueprintError(
            f"registry URL {base_url!r}: Terraform refuses registry hostnames without a dot, "
            "localhost among them; use 127.0.0.1 or a full name"
        )
    return host if parts.port in (None, 443) else f"{host}:{parts.port}"


def _write_json(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")


def versions_document(folder_name: str, versions: list[Version]) -> dict[str, Any]:
    listed = [{"version": str(version)} for version in sorted(set(versions), reverse=True)]
    return {"modules": [{"source": module_address(folder_name), "versions": listed}]}


def _versions_in(document: dict[str, Any], where: str) -> list[Version]:
    try:
        entries = document["modules"][0]["versions"]
        return [Version.parse(entry["version"], where) for entry in entries]
    except (KeyError, IndexError, TypeError) as error:
        raise BlueprintError(f"{where} is not a module versions document ({error})") from error


def _archived_versions(out_dir: Path, folder_name: str) -> list[Version]:
    """The versions of a module whose archive sits in ``out_dir``."""
    base = out_dir / module_key(folder_name)
    return [
        Version.parse(path.parent.name, str(path))
        for path in sorted(base.glob(f"*/{ARCHIVE_NAME}"))
    ]


def _write_release(out_dir: Path, folder_name: str, version: Version, archive: Archive) -> Path:
    release_dir = out_dir / module_key(folder_name) / str(version)
    release_dir.mkdir(parents=True, exist_ok=True)
    archive_path = release_dir / ARCHIVE_NAME
    archive_path.write_bytes(archive.data)
    (release_dir / f"{ARCHIVE_NAME}.sha256").write_text(f"{archive.sha256}  {ARCHIVE_NAME}\n")
    # OpenTofu also reads the location from a 200 response's JSON body, so it needs no header.
    _write_json(release_dir / "download", {"location": DOWNLOAD_LOCATION})
    return archive_path


def build_registry(
    settings: Settings,
    out_dir: Path,
    base_url: str | None = None,
    modules: Sequence[str] | None = None,
) -> list[BuiltModule]:
    """Release the current version of every module (or of those named) into ``out_dir``.

    A version released for the first time is recorded in ``modules/<m>/releases/`` (commit
    it); nothing is written when a module's version bump is too small for its changes. Older
    releases already in ``out_dir`` stay listed; the whole history lives in the bucket.
    """
    host = registry_host(base_url) if base_url else None
    assessments, problems = assess_all(settings, modules)
    if problems:
        raise BlueprintError("cannot release the modules:\n  " + "\n  ".join(problems))
    _write_json(out_dir / DISCOVERY_KEY, {"modules.v1": f"/{MODULES_BASE}/"})
    built = []
    for item in assessments:
        name = item.folder.name
        newly = not item.recorded
        if newly:
            _record(item)
        archive_path = _write_release(out_dir, name, item.version, item.archive)
        _write_json(
            out_dir / module_key(name) / "versions",
            versions_document(name, _archived_versions(out_dir, name)),
        )
        source = f"{host}/{module_address(name)}" if host else None
        sha256 = item.archive.sha256
        built.append(BuiltModule(name, item.version, archive_path, sha256, newly, source))
        log.info("built %s %s (sha256 %s)", module_address(name), item.version, sha256)
    return built


def _record(item: Assessment) -> None:
    archive = item.archive
    record = Record(
        item.version, archive.content_sha256, archive.sha256, archive.files, item.interface
    )
    path = record_path(item.folder, item.version)
    path.parent.mkdir(exist_ok=True)
    path.write_text(record.as_json(item.folder.name))
    shown = f"modules/{item.folder.name}/{RELEASES_DIR}/{path.name}"
    log.warning("recorded %s: commit it with the %s entry", shown, CHANGELOG)


@contextmanager
def _s3_errors(bucket: str) -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        detail = error.response.get("Error", {})
        raise BlueprintError(
            f"s3://{bucket}: {detail.get('Code', 'error')}: {detail.get('Message', error)}; "
            "check the bucket name and the AWS credentials in use"
        ) from error
    except BotoCoreError as error:
        raise BlueprintError(f"s3://{bucket}: {error}") from error


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}


def _published_metadata(client: Any, bucket: str, key: str) -> dict[str, str] | None:
    try:
        return dict(client.head_object(Bucket=bucket, Key=key).get("Metadata", {}))
    except ClientError as error:
        if _missing(error):
            return None
        raise


def _published_json(client: Any, bucket: str, key: str) -> dict[str, Any] | None:
    try:
        body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        if _missing(error):
            return None
        raise
    try:
        return dict(json.loads(body))
    except ValueError as error:
        raise BlueprintError(f"s3://{bucket}/{key} is not JSON; restore it") from error


def _put(client: Any, bucket: str, key: str, body: bytes, **extra: Any) -> None:
    headers = object_headers(key)
    checksum = base64.b64encode(hashlib.sha256(body).digest()).decode()
    client.put_object(
        Bucket=bucket,
        Key=key,
        Body=body,
        ContentType=headers["Content-Type"],
        CacheControl=headers["Cache-Control"],
        # S3 refuses the upload when the bytes it received do not match.
        ChecksumSHA256=checksum,
        **extra,
    )
    log.info("uploaded s3://%s/%s", bucket, key)


def _check_recorded(settings: Settings, key: str, content: str) -> None:
    """Refuse an archive that is not a release recorded in this repository."""
    _, _, _, name, _, version, _ = key.split("/")
    folders = {registry_name(folder.name): folder for folder in module_folders(settings)}
    if name not in folders:
        raise BlueprintError(f"{key}: no module of {settings.modules_dir} is called {name}")
    folder = folders[name]
    path = record_path(folder, Version.parse(version, key))
    shown = f"modules/{folder.name}/{RELEASES_DIR}/{path.name}"
    if not path.is_file():
        raise BlueprintError(
            f"{key}: {shown} is missing; publish only recorded releases: run 'make registry' "
            "and commit the record"
        )
    recorded = json.loads(path.read_text()).get("content_sha256")
    if recorded != content:
        raise BlueprintError(
            f"{key} is not the release {shown} records (content sha256 {content}, recorded "
            f"{recorded}); rebuild the registry from the commit that recorded it"
        )


def _new_archives(
    settings: Settings, client: Any, bucket: str, out_dir: Path
) -> list[tuple[Path, str]]:
    """(archive, content digest) of the releases the bucket lacks; refuses changed releases."""
    fresh = []
    for path in sorted(out_dir.glob(f"{MODULES_BASE}/*/*/*/*/{ARCHIVE_NAME}")):
        key = path.relative_to(out_dir).as_posix()
        content = content_sha256(path.read_bytes())
        published = _published_metadata(client, bucket, key)
        if published is None:
            _check_recorded(settings, key, content)
            fresh.append((path, content))
        elif published.get("content-sha256") != content:
            raise BlueprintError(
                f"s3://{bucket}/{key} already holds a different release of this version "
                f"(content sha256 {published.get('content-sha256')}, not {content}); "
                "releases never change: publish a new version"
            )
        else:
            log.info("already published: s3://%s/%s", bucket, key)
    return fresh


def _upload_release(
    client: Any, bucket: str, out_dir: Path, archive: Path, content: str
) -> list[str]:
    data = archive.read_bytes()
    metadata = {"sha256": hashlib.sha256(data).hexdigest(), "content-sha256": content}
    key = archive.relative_to(out_dir).as_posix()
    _put(client, bucket, key, data, Metadata=metadata)
    keys = [key]
    for companion in (archive.parent / f"{ARCHIVE_NAME}.sha256", archive.parent / "download"):
        keys.append(companion.relative_to(out_dir).as_posix())
        _put(client, bucket, keys[-1], companion.read_bytes())
    return keys


def _merge_versions(client: Any, bucket: str, out_dir: Path, path: Path) -> str:
    key = path.relative_to(out_dir).as_posix()
    local = json.loads(path.read_text())
    versions = _versions_in(local, str(path))
    remote = _published_json(client, bucket, key)
    if remote is not None:
        versions += _versions_in(remote, f"s3://{bucket}/{key}")
    listed = [{"version": str(version)} for version in sorted(set(versions), reverse=True)]
    document = {"modules": [{**local["modules"][0], "versions": listed}]}
    _put(client, bucket, key, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode())
    return key


def publish_registry(
    settings: Settings, out_dir: Path, bucket: str, endpoint_url: str | None = None
) -> list[str]:
    """Upload a built registry to ``bucket`` and return the keys written.

    A release already in the bucket is never replaced: the same content is skipped, different
    content under the same version is refused before anything is uploaded. Archives go up
    before the documents that list them, and each module's versions list is merged with the
    one in the bucket, so no published version ever disappears from it. Only releases recorded
    in the repository of ``settings``, with the recorded content, are uploaded.
    """
    if not (out_dir / DISCOVERY_KEY).is_file():
        raise BlueprintError(f"{out_dir} holds no registry; run 'blueprint registry build' first")
    written: list[str] = []
    with _s3_errors(bucket):
        client = boto3.client("s3", endpoint_url=endpoint_url)
        for archive, content in _new_archives(settings, client, bucket, out_dir):
            written += _upload_release(client, bucket, out_dir, archive, content)
        for path in sorted(out_dir.glob(f"{MODULES_BASE}/*/*/*/versions")):
            written.append(_merge_versions(client, bucket, out_dir, path))
        _put(client, bucket, DISCOVERY_KEY, (out_dir / DISCOVERY_KEY).read_bytes())
        written.append(DISCOVERY_KEY)
    return written
