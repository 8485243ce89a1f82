from pathlib import Path

import pytest

from blueprint import hcl, toolchain
from blueprint.config import default_project_root
from blueprint.errors import BlueprintError

REPO = default_project_root()


def test_bundled_provider_zip_has_hashicorps_hash() -> None:
    zip_path = toolchain.bundled_provider_zip()
    assert zip_path.name == toolchain.PROVIDER_ZIP
    toolchain.verify_provider_zip(zip_path, origin=zip_path)


def test_tampered_zip_is_refused_and_not_mirrored(tmp_path: Path) -> None:
    tampered = tmp_path / toolchain.PROVIDER_ZIP
    tampered.write_bytes(b"not the provider")
    mirror = tmp_path / "mirror"
    with pytest.raises(BlueprintError, match="tampered with or corrupted"):
        toolchain.build_mirror(mirror, tampered)
    assert not list(mirror.rglob("*.zip")), "a refused zip must not reach the mirror"
    assert not list(mirror.rglob("*.partial"))


def test_mirror_copy_changed_after_verification_is_refused(tmp_path: Path) -> None:
    source = toolchain.bundled_provider_zip()
    mirror = tmp_path / "mirror"
    target = toolchain.build_mirror(mirror, source)
    assert toolchain.sha256_of(target) == toolchain.PROVIDER_SHA256
    with target.open("r+b") as handle:  # one byte flipped in place, size unchanged
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(BlueprintError, match="it changed after it was verified"):
        toolchain.build_mirror(mirror, source)


def test_cli_config_installs_hashicorp_providers_only_from_the_mirror(tmp_path: Path) -> None:
    text = toolchain.cli_config_text(tmp_path / "mirror dir", tmp_path / "cache")
    parsed = hcl.parse_file(_write(tmp_path / "rc.hcl", text))
    installation = parsed["provider_installation"][0]
    mirror = installation["filesystem_mirror"][0]
    assert hcl.unquote(mirror["path"]) == str(tmp_path / "mirror dir")
    included = [hcl.unquote(item) for item in mirror["include"]]
    excluded = [hcl.unquote(item) for item in installation["direct"][0]["exclude"]]
    assert included == excluded == ["registry.terraform.io/hashicorp/*"]
    assert hcl.unquote(parsed["plugin_cache_dir"]) == str(tmp_path / "cache")


@pytest.mark.parametrize("name", ["local", "staging", "prod"])
def test_environment_lock_files_pin_the_official_provider_hash(name: str) -> None:
    lock = hcl.parse_file(REPO / "envs" / name / ".terraform.lock.hcl")
    (provider,) = lock["provider"]
    body = provider['"registry.terraform.io/hashicorp/aws"']
    assert hcl.unquote(body["version"]) == toolchain.PROVIDER_VERSION
    hashes = [hcl.unquote(item) for item in body["hashes"]]
    assert f"zh:{toolchain.PROVIDER_SHA256}" in hashes


def test_terraform_bin_override_must_exist() -> None:
    with pytest.raises(BlueprintError, match="TERRAFORM_BIN=/no/such/terraform"):
        toolchain.resolve_terraform_bin("/no/such/terraform")


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
