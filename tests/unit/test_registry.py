"""The module registry: versions, reproducible archives, the interface check and the files built.

Every test works on a small module written here, so that the repository's own modules can change
without touching these tests.
"""

import gzip
import io
import json
import os
import re
import subprocess
import tarfile
from pathlib import Path

import pytest

from blueprint import registry
from blueprint.config import Settings
from blueprint.errors import BlueprintError
from blueprint.registry_archive import (
    ARCHIVE_NAME,
    FIXED_MTIME,
    build_archive,
    called_siblings,
    content_sha256,
    sha256_hex,
)
from blueprint.registry_interface import accepts, compare, parse_type, read_interface
from blueprint.registry_versions import (
    Level,
    Version,
    changelog_versions,
    constraint_change,
    parse_constraint,
)

VARIABLES = """\
variable "name" {
  description = "Name of the bucket."
  type        = string

  validation {
    condition     = length(var.name) > 2
    error_message = "name must be at least 3 characters."
  }
}

variable "size" {
  description = "How many."
  type        = number
  default     = 1
}

variable "settings" {
  description = "Tuning."
  type = object({
    retries = number
    label   = optional(string, "x")
  })
  default = { retries = 1 }
}
"""
OUTPUTS = """\
output "id" {
  description = "Id of the bucket."
  value       = aws_s3_bucket.this.id
}
"""
VERSIONS = """\
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 7.0"
    }
  }
}
"""
MAIN = """\
resource "aws_s3_bucket" "this" {
  bucket = var.name
}
"""
EXAMPLE = """\
module "widget" {
  source = "../.."

  name = "example"
}
"""
CHANGELOG = "# Changelog\n\n## 1.0.0 - 2026-12-04\n\nFirst release.\n"


def write_module(folder: Path, **overrides: str) -> Path:
    files = {
        "variables.tf": VARIABLES,
        "outputs.tf": OUTPUTS,
        "versions.tf": VERSIONS,
        "main.tf": MAIN,
        "README.md": "# widget\n",
        "CHANGELOG.md": CHANGELOG,
        "examples/basic/main.tf": EXAMPLE,
        **overrides,
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    root = tmp_path / "project"
    write_module(root / "modules" / "widget")
    return Settings(root, tmp_path / "home", 4580, None, False)


def widget(settings: Settings) -> Path:
    return settings.modules_dir / "widget"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def set_version(settings: Settings, version: str) -> None:
    path = widget(settings) / "CHANGELOG.md"
    path.write_text(path.read_text().replace("# Changelog\n", f"# Changelog\n\n## {version}\n", 1))


# Versions and changelogs


def test_versions_order_bump_and_level() -> None:
    assert Version.parse("1.10.0", "x") > Version.parse("1.9.3", "x")
    one = Version(1, 4, 2)
    assert [str(one.bump(level)) for level in (Level.MAJOR, Level.MINOR, Level.PATCH)] == [
        "2.0.0",
        "1.5.0",
        "1.4.3",
    ]
    assert one.level_to(Version(2, 0, 0)) is Level.MAJOR
    assert one.level_to(Version(1, 5, 0)) is Level.MINOR
    assert one.level_to(Version(1, 4, 3)) is Level.PATCH
    assert one.level_to(one) is Level.NONE
    # Below 1.0 the minor part breaks and the patch part adds.
    assert Version(0, 3, 1).level_to(Version(0, 4, 0)) is Level.MAJOR
    assert str(Version(0, 3, 1).bump(Level.MINOR)) == "0.3.2"


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "1.0.0-rc.1", "01.0.0", "1.0.x"])
def test_a_version_must_be_plain_semver(text: str) -> None:
    with pytest.raises(BlueprintError, match=re.escape("MAJOR.MINOR.PATCH")):
        Version.parse(text, "CHANGELOG.md line 3")


def test_changelog_top_entry_is_the_version(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    path.write_text("# Changelog\n\n## [1.2.0] - 2026-12-04\n\nText.\n\n## 1.1.0\n\n## 1.0.0\n")
    assert [str(v) for v in changelog_versions(path, "c")] == ["1.2.0", "1.1.0", "1.0.0"]
    path.write_text("# Changelog\n\n## 1.0.0\n\n## 1.1.0\n")
    with pytest.raises(BlueprintError, match=re.escape("line 5: 1.1.0 is listed below 1.0.0")):
        changelog_versions(path, "c")
    path.write_text("# Changelog\n\nNothing yet.\n")
    with pytest.raises(BlueprintError, match=re.escape("no '## X.Y.Z' entry")):
        changelog_versions(path, "c")
    with pytest.raises(BlueprintError, match="missing"):
        changelog_versions(tmp_path / "absent.md", "absent.md")


@pytest.mark.parametrize(
    ("old", "new", "level"),
    [
        (">= 3.39.0", ">= 3.39.0", Level.NONE),
        ("~> 3.39", ">= 3.39.0, < 4.0.0", Level.NONE),
        (">= 3.39.0", ">= 4.0.0", Level.MAJOR),
        (">= 3.39, < 7.0", ">= 3.39, < 6.0", Level.MAJOR),
        (">= 3.39, < 7.0", ">= 3.39, < 8.0", Level.MINOR),
        (">= 3.39.0", ">= 3.0.0", Level.MINOR),
        (">= 3.39.0", ">= 3.39.0, != 5.1.0", Level.MAJOR),
        (">= 3.39.0, != 5.1.0", ">= 3.39.0", Level.MINOR),
        ("~> 5.0", "~> 5.0.0", Level.MAJOR),
        (None, ">= 1.5", Level.MAJOR),
        (">= 1.5", None, Level.MINOR),
        (">= 1.5", "> 1.5", Level.MAJOR),
        ("= 1.6.0", "1.6.0", Level.NONE),
    ],
)
def test_constraint_changes(old: str | None, new: str | None, level: Level) -> None:
    assert constraint_change(old, new, "versions.tf") is level


def test_constraint_range_contents() -> None:
    allowed = parse_constraint("~> 1.2.3, != 1.2.5", "x")
    assert allowed.contains((1, 2, 4)) and not allowed.contains((1, 2, 5))
    assert not allowed.contains((1, 3, 0)) and not allowed.contains((1, 2, 2))
    with pytest.raises(BlueprintError, match="not a version"):
        parse_constraint(">= three", "versions.tf")


# Type constraints


@pytest.mark.parametrize(
    ("old", "new", "wider"),
    [
        ("string", "any", True),
        ("list(string)", "list(any)", True),
        ("list(string)", "list(number)", False),
        ("list(string)", "set(string)", False),
        ("object({a = string})", "object({a = string, b = optional(number)})", True),
        ("object({a = string})", "object({a = string, b = number})", False),
        ("object({a = string, b = number})", "object({a = string})", False),
        ("object({a = string, b = number})", "object({a = string, b = optional(number)})", True),
        ('object({a = optional(string, "x")})', 'object({a = optional(string, "y")})', False),
        ("tuple([string, number])", "tuple([string, any])", True),
        ("tuple([string, number])", "tuple([string])", False),
        ("any", "string", False),
    ],
)
def test_type_widening(old: str, new: str, wider: bool) -> None:
    assert accepts(parse_type(old, "t"), parse_type(new, "t")) is wider


def test_types_are_compared_by_structure_not_text() -> None:
    one = parse_type("object({b = optional(number, 3), a = map(string)})", "t")
    two = parse_type("${object({\n  a = map(string)\n  b = optional(number, 3)\n})}", "t")
    assert one == two
    assert one.render() == "object({a = map(string), b = optional(number, 3)})"
    with pytest.raises(BlueprintError, match="not a type constraint"):
        parse_type("strng", "variables.tf: variable x")


# The interface check: each rule, from the released module to a changed working copy


def changes_after(tmp_path: Path, file: str, old: str, new: str) -> list:
    before = read_interface(write_module(tmp_path / "before"))
    after = write_module(tmp_path / "after")
    edit(after / file, old, new)
    return compare(before, read_interface(after))


RENAMED = 'resource "aws_s3_bucket" "main" {'
MOVED = "moved {\n  from = aws_s3_bucket.this\n  to   = aws_s3_bucket.main\n}\n\n" + RENAMED


@pytest.mark.parametrize(
    ("file", "old", "new", "level", "said"),
    [
        ("outputs.tf", 'output "id"', 'output "bucket_id"', Level.MAJOR, "output 'id' removed"),
        ("variables.tf", 'variable "size"', 'variable "count_of"', Level.MAJOR,
         "input 'size' removed or renamed"),
        ("variables.tf", "", 'variable "owner" {\n  type = string\n}\n', Level.MAJOR,
         "new required input 'owner'"),
        ("variables.tf", "", 'variable "tags" {\n  type    = map(string)\n  default = {}\n}\n',
         Level.MINOR, "new input 'tags'"),
        ("outputs.tf", "", 'output "arn" {\n  value = aws_s3_bucket.this.arn\n}\n', Level.MINOR,
         "new output 'arn'"),
        ("variables.tf", "    retries = number\n", "    retries = number\n    zone = string\n",
         Level.MAJOR, "type of input 'settings' changed"),
        ("variables.tf", "    retries = number\n",
         "    retries = number\n    zone = optional(string)\n", Level.MINOR,
         "type of input 'settings' widened"),
        ("variables.tf", "  default     = 1\n",
         "  default     = 1\n\n  validation {\n    condition     = var.size < 10\n"
         '    error_message = "size must be below 10."\n  }\n', Level.MAJOR,
         "input 'size' has a new or changed validation: var.size < 10"),
        ("variables.tf", "length(var.name) > 2", "length(var.name) > 4", Level.MAJOR,
         "new or changed validation"),
        ("variables.tf", "  default     = 1\n", "  default     = 2\n", Level.MAJOR,
         "default of input 'size' changed from 1 to 2"),
        ("variables.tf", "  default     = 1\n", "", Level.MAJOR,
         "input 'size' lost its default"),
        ("variables.tf", "  type        = string\n",
         '  type        = string\n  default     = "widget"\n', Level.MINOR,
         "input 'name' is now optional"),
        ("variables.tf", "  default     = 1\n", "  default     = 1\n  nullable    = false\n",
         Level.MAJOR, "input 'size' no longer accepts null"),
        ("outputs.tf", "  value       = aws_s3_bucket.this.id\n",
         "  value       = aws_s3_bucket.this.id\n  sensitive   = true\n", Level.MAJOR,
         "output 'id' became sensitive"),
        ("versions.tf", ">= 3.39.0, < 7.0", ">= 4.0.0, < 7.0", Level.MAJOR,
         "provider 'aws' versions narrowed"),
        ("versions.tf", ">= 3.39.0, < 7.0", ">= 3.39.0, < 8.0", Level.MINOR,
         "provider 'aws' versions widened"),
        ("versions.tf", '">= 1.5"', '">= 1.7"', Level.MAJOR,
         "required Terraform version narrowed"),
        ("versions.tf", "    aws = {", '    random = {\n      source = "hashicorp/random"\n'
         "    }\n    aws = {", Level.MAJOR, "new provider 'random'"),
        ("main.tf", 'resource "aws_s3_bucket" "this" {', RENAMED, Level.MAJOR,
         "resource aws_s3_bucket.this removed or renamed without a moved block"),
        ("main.tf", "  bucket = var.name\n",
         "  for_each = toset([var.name])\n  bucket = each.key\n", Level.MAJOR,
         "switched from single to for_each"),
        ("main.tf", "",
         'resource "aws_s3_bucket_policy" "this" {\n  bucket = "b"\n  policy = ""\n}\n',
         Level.MINOR, "new resource aws_s3_bucket_policy.this"),
    ],
)  # fmt: skip
def test_each_interface_rule(
    tmp_path: Path, file: str, old: str, new: str, level: Level, said: str
) -> None:
    changes = changes_after(tmp_path, file, old, new)
    assert changes, "the change went unnoticed"
    assert changes[0].level is level
    assert any(said in change.text for change in changes), [c.text for c in changes]


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("main.tf", 'resource "aws_s3_bucket" "this" {', MOVED),
        ("main.tf", "  bucket = var.name\n", "  count  = 1\n  bucket = var.name\n"),
        ("variables.tf", '"Name of the bucket."', '"Name of the bucket, globally unique."'),
        ("variables.tf", '"name must be at least 3 characters."', '"name: 3 characters or more."'),
    ],
)
def test_changes_consumers_cannot_see_are_not_interface_changes(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    assert changes_after(tmp_path, file, old, new) == []


def test_removing_one_validation_of_two_widens(tmp_path: Path) -> None:
    before = write_module(tmp_path / "before")
    second = (
        "  }\n\n  validation {\n    condition     = length(var.name) < 60\n"
        '    error_message = "name must be below 60 characters."\n  }\n}\n\nvariable "size"'
    )
    edit(before / "variables.tf", '  }\n}\n\nvariable "size"', second)
    after = write_module(tmp_path / "after")
    changes = compare(read_interface(before), read_interface(after))
    assert [(c.level, c.text) for c in changes] == [(Level.MINOR, "input 'name' lost a validation")]


# Archives


def members(data: bytes) -> list[tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.getmembers()


def test_archive_is_normalised(project: Settings) -> None:
    archive = build_archive(widget(project), project.modules_dir)
    entries = members(archive.data)
    names = [entry.name for entry in entries]
    assert names == sorted(names)
    assert names == [
        "module/CHANGELOG.md",
        "module/README.md",
        "module/examples/basic/main.tf",
        "module/main.tf",
        "module/outputs.tf",
        "module/variables.tf",
        "module/versions.tf",
    ]
    for entry in entries:
        assert (entry.mtime, entry.uid, entry.gid, entry.uname, entry.gname) == (
            FIXED_MTIME, 0, 0, "", "",
        )  # fmt: skip
        assert entry.mode == 0o644 and entry.isfile()
    # gzip header: no file name flag, modification time 0.
    assert archive.data[3] & 0x08 == 0
    assert archive.data[4:8] == b"\0\0\0\0"
    assert archive.content_sha256 == content_sha256(archive.data)


def test_archive_leaves_out_working_files(project: Settings) -> None:
    clean = build_archive(widget(project), project.modules_dir)
    folder = widget(project)
    example = folder / "examples" / "basic"
    junk = [
        example / ".terraform" / "modules" / "modules.json",
        example / ".terraform.lock.hcl",
        example / "terraform.tfstate",
        example / "terraform.tfstate.backup",
        example / "plan.tfplan",
        example / "blueprint_emulator_override.tf.json",
        folder / "override.tf",
        folder / "crash.log",
        folder / ".DS_Store",
        folder / "releases" / "1.0.0.json",
    ]
    for path in junk:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n")
    (folder / "main.tf").chmod(0o600)
    os.utime(folder / "main.tf", (1_000_000_000, 1_000_000_000))
    again = build_archive(folder, project.modules_dir)
    assert again.data == clean.data
    (folder / "notes.md").write_text("stray file\n")
    assert build_archive(folder, project.modules_dir).content_sha256 != clean.content_sha256


def test_executable_bit_is_kept_and_links_are_refused(project: Settings) -> None:
    script = widget(project) / "files" / "run.sh"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o700)
    (entry,) = [e for e in members(build_archive(widget(project), project.modules_dir).data)
                if e.name.endswith("run.sh")]  # fmt: skip
    assert entry.mode == 0o755
    (widget(project) / "files" / "link.tf").symlink_to(widget(project) / "main.tf")
    with pytest.raises(BlueprintError, match="regular files and folders only"):
        build_archive(widget(project), project.modules_dir)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True,
    )  # fmt: skip


def test_archive_from_a_fresh_clone_is_byte_identical(project: Settings, tmp_path: Path) -> None:
    root = project.project_root
    git("init", "--quiet", cwd=root)
    git("add", ".", cwd=root)
    git("commit", "--quiet", "-m", "module", cwd=root)
    # The working copy gathers what use leaves behind; the clone has none of it.
    example = widget(project) / "examples" / "basic"
    (example / ".terraform").mkdir()
    (example / ".terraform.lock.hcl").write_text("# lock\n")
    (example / "terraform.tfstate").write_text("{}\n")
    (widget(project) / "variables.tf").chmod(0o664)
    git("clone", "--quiet", str(root), str(tmp_path / "clone"), cwd=tmp_path)
    clone_modules = tmp_path / "clone" / "modules"
    original = build_archive(widget(project), project.modules_dir)
    cloned = build_archive(clone_modules / "widget", clone_modules)
    assert cloned.data == original.data
    assert cloned.sha256 == original.sha256


def test_sibling_modules_called_by_path_travel_along(project: Settings) -> None:
    helper = write_module(project.modules_dir / "helper")
    edit(widget(project) / "main.tf", "", 'module "helper" {\n  source = "../helper"\n}\n\n')
    assert called_siblings(widget(project), project.modules_dir) == [helper]
    names = [e.name for e in members(build_archive(widget(project), project.modules_dir).data)]
    assert "helper/main.tf" in names and "module/main.tf" in names
    # What the helper calls in turn comes too.
    edit(helper / "main.tf", "", 'module "leaf" {\n  source = "../leaf"\n}\n\n')
    leaf = write_module(project.modules_dir / "leaf")
    assert called_siblings(widget(project), project.modules_dir) == [helper, leaf]


def test_a_call_outside_the_modules_folder_is_refused(project: Settings) -> None:
    edit(widget(project) / "main.tf", "", 'module "far" {\n  source = "../../../elsewhere"\n}\n')
    with pytest.raises(BlueprintError, match=r"module 'far' calls ../../../elsewhere"):
        build_archive(widget(project), project.modules_dir)


# The registry files and the release gate


def registry_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_build_writes_the_registry_protocol_files(project: Settings, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (built,) = registry.build_registry(project, out, "https://registry.example.com/")
    base = "v1/modules/blueprint/widget/aws"
    assert registry_files(out) == [
        ".well-known/terraform.json",
        f"{base}/1.0.0/download",
        f"{base}/1.0.0/{ARCHIVE_NAME}",
        f"{base}/1.0.0/{ARCHIVE_NAME}.sha256",
        f"{base}/versions",
    ]
    assert json.loads((out / ".well-known/terraform.json").read_text()) == {
        "modules.v1": "/v1/modules/"
    }
    versions = json.loads((out / base / "versions").read_text())
    assert versions["modules"][0]["versions"] == [{"version": "1.0.0"}]
    assert json.loads((out / base / "1.0.0/download").read_text()) == {
        "location": "./module.tar.gz//module"
    }
    data = (out / base / "1.0.0" / ARCHIVE_NAME).read_bytes()
    assert (out / base / "1.0.0" / f"{ARCHIVE_NAME}.sha256").read_text().split()[0] == built.sha256
    assert sha256_hex(data) == built.sha256
    assert built.source == "registry.example.com/blueprint/widget/aws"
    assert built.newly_recorded
    record = json.loads((widget(project) / "releases" / "1.0.0.json").read_text())
    assert record["version"] == "1.0.0" and record["content_sha256"]
    assert set(record["interface"]["inputs"]) == {"name", "settings", "size"}
    assert registry.check_registry(project)[0].recorded

    again = registry.build_registry(project, tmp_path / "again")
    assert not again[0].newly_recorded
    assert (tmp_path / "again" / base / "1.0.0" / ARCHIVE_NAME).read_bytes() == data


def test_only_the_download_endpoint_needs_a_header() -> None:
    download = registry.object_headers("v1/modules/blueprint/widget/aws/1.0.0/download")
    assert download["X-Terraform-Get"] == registry.DOWNLOAD_LOCATION
    assert download["Content-Type"] == "application/json"
    for key in (".well-known/terraform.json", "v1/modules/blueprint/widget/aws/versions"):
        headers = registry.object_headers(key)
        assert "X-Terraform-Get" not in headers
        assert headers["Cache-Control"] == "no-cache"
    archive = registry.object_headers(f"v1/modules/blueprint/widget/aws/1.0.0/{ARCHIVE_NAME}")
    assert "immutable" in archive["Cache-Control"]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://registry.example.com/", "HTTPS only"),
        ("https://localhost:8443/", "without a dot"),
        ("https://registry.example.com/modules/", "root of its host"),
    ],
)
def test_registry_url_must_suit_terraform(url: str, said: str) -> None:
    with pytest.raises(BlueprintError, match=said):
        registry.registry_host(url)


def test_registry_host_keeps_a_port_but_not_443() -> None:
    assert registry.registry_host("https://127.0.0.1:8443/") == "127.0.0.1:8443"
    assert registry.registry_host("https://Registry.Example.com:443") == "registry.example.com"


def release(project: Settings, tmp_path: Path) -> None:
    registry.build_registry(project, tmp_path / "first")


def test_a_breaking_change_released_as_a_patch_is_blocked(
    project: Settings, tmp_path: Path
) -> None:
    release(project, tmp_path)
    edit(widget(project) / "outputs.tf", 'output "id"', 'output "bucket_id"')
    set_version(project, "1.0.1")
    for attempt in (registry.check_registry, lambda s: registry.build_registry(s, tmp_path / "o")):
        with pytest.raises(BlueprintError) as caught:
            attempt(project)
        assert (
            "1.0.1 is a patch release after 1.0.0, but output 'id' removed or renamed needs a "
            "major release: make the top CHANGELOG.md entry 2.0.0"
        ) in caught.value.message
    assert not (widget(project) / "releases" / "1.0.1.json").exists()
    assert not (tmp_path / "o").exists()
    set_version(project, "2.0.0")
    registry.build_registry(project, tmp_path / "o")
    assert registry.check_registry(project)[0].version == Version(2, 0, 0)


def test_additions_need_a_minor_release(project: Settings, tmp_path: Path) -> None:
    release(project, tmp_path)
    edit(
        widget(project) / "outputs.tf", "", 'output "arn" {\n  value = aws_s3_bucket.this.arn\n}\n'
    )
    set_version(project, "1.0.1")
    with pytest.raises(BlueprintError, match=r"new output 'arn' needs a minor release: .* 1\.1\.0"):
        registry.check_registry(project)
    path = widget(project) / "CHANGELOG.md"
    path.write_text(path.read_text().replace("## 1.0.1", "## 1.1.0"))
    with pytest.raises(
        BlueprintError, match=re.escape("1.1.0 is not recorded yet: run 'make registry'")
    ):
        registry.check_registry(project)
    registry.build_registry(project, tmp_path / "second")
    (item,) = registry.check_registry(project)
    assert [str(r.version) for r in item.records] == ["1.0.0", "1.1.0"]


def test_a_fix_needs_a_patch_release(project: Settings, tmp_path: Path) -> None:
    release(project, tmp_path)
    edit(widget(project) / "main.tf", "  bucket = var.name\n", "  bucket = lower(var.name)\n")
    with pytest.raises(BlueprintError, match=r"changed since 1.0.0 was released \(files: "
                       r"module/main.tf\); .* entry for 1.0.1 or later"):  # fmt: skip
        registry.check_registry(project)
    set_version(project, "1.0.1")
    registry.build_registry(project, tmp_path / "second")
    registry.check_registry(project)


def test_a_released_version_cannot_change_its_interface(project: Settings, tmp_path: Path) -> None:
    release(project, tmp_path)
    edit(widget(project) / "variables.tf", 'variable "size"', 'variable "amount"')
    with pytest.raises(BlueprintError, match=r"input 'size' removed or renamed.*for 2.0.0"):
        registry.check_registry(project)


def test_records_must_match_the_changelog(project: Settings, tmp_path: Path) -> None:
    release(project, tmp_path)
    (widget(project) / "CHANGELOG.md").write_text("# Changelog\n\n## 0.9.0\n")
    with pytest.raises(BlueprintError) as caught:
        registry.check_registry(project)
    assert "releases/1.0.0.json has no entry in CHANGELOG.md" in caught.value.message
    assert "the top entry 0.9.0 is older than the recorded release 1.0.0" in caught.value.message


def test_every_problem_of_every_module_is_reported(project: Settings) -> None:
    write_module(project.modules_dir / "other")
    (project.modules_dir / "other" / "CHANGELOG.md").unlink()
    with pytest.raises(BlueprintError) as caught:
        registry.check_registry(project)
    assert "modules/other/CHANGELOG.md is missing" in caught.value.message
    assert "modules/widget: version 1.0.0 is not recorded yet" in caught.value.message
    with pytest.raises(BlueprintError, match="no module named nope"):
        registry.build_registry(project, project.build_dir, modules=["nope"])


def test_publish_needs_a_built_registry(project: Settings, tmp_path: Path) -> None:
    with pytest.raises(BlueprintError, match="run 'blueprint registry build' first"):
        registry.publish_registry(project, tmp_path / "empty", "bucket")


def test_archive_member_names_survive_a_round_trip(project: Settings) -> None:
    archive = build_archive(widget(project), project.modules_dir)
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(archive.data)), mode="r:") as tar:
        text = tar.extractfile("module/main.tf").read().decode()
    assert text == MAIN
