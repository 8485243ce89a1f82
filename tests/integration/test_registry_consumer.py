"""The built registry, consumed by real Terraform over HTTPS and published to the emulator's S3.

A consumer configuration outside the repository sources the modules from a registry served on
127.0.0.1 by a plain static file server over TLS (a test CA made here; Go reads SSL_CERT_FILE).
The server adds exactly the headers ``registry.object_headers`` asks a host for, nothing else.
"""

import datetime
import ipaddress
import json
import shutil
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from blueprint import emulator, emulator_wiring, registry, toolchain
from blueprint.config import Settings, default_project_root
from blueprint.errors import BlueprintError
from blueprint.registry_archive import ARCHIVE_NAME
from blueprint.runner import IsFlagged, Outcome, TerraformRunner

pytestmark = pytest.mark.integration

REPO = default_project_root()
IGNORED = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*", "*_override.tf.json",
    "releases",
)  # fmt: skip
# A module of our own that calls s3_bucket by relative path, as modules of this repository may.
SHARED_FILES = {
    "main.tf": 'module "bucket" {\n  source = "../s3_bucket"\n\n  bucket_name = var.name\n}\n',
    "variables.tf": 'variable "name" {\n  description = "Name."\n  type        = string\n}\n',
    "outputs.tf": 'output "arn" {\n  description = "ARN."\n  value = module.bucket.bucket_arn\n}\n',
    "versions.tf": (REPO / "modules/s3_bucket/versions.tf").read_text(),
    "README.md": "# shared_files\n",
    "CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\nFirst release.\n",
}


def tls_files(folder: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a certificate for 127.0.0.1 it signed: (CA, certificate, key)."""
    now = datetime.datetime.now(datetime.UTC)
    valid = {"not_valid_before": now - datetime.timedelta(minutes=5),
             "not_valid_after": now + datetime.timedelta(hours=2)}  # fmt: skip
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "blueprint test CA")])
    ca = (
        x509.CertificateBuilder(issuer_name=ca_name, subject_name=ca_name, **valid)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    certificate = (
        x509.CertificateBuilder(issuer_name=ca_name, subject_name=subject, **valid)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = (folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


class StaticRegistryHandler(SimpleHTTPRequestHandler):
    """Files as they are, plus the fixed headers a static host is configured to send."""

    requests: list[str]

    def guess_type(self, path: Any) -> str:
        return registry.object_headers(self.path)["Content-Type"]

    def end_headers(self) -> None:
        for name, value in registry.object_headers(self.path).items():
            if name != "Content-Type":
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        self.requests.append(self.path)


@dataclass(frozen=True)
class ServedRegistry:
    host: str
    ca_file: Path
    settings: Settings
    requests: list[str]


def copy_modules(target: Path, home: Path) -> Settings:
    """The repository's modules without their release records, so that any state builds."""
    shutil.copytree(REPO / "modules", target / "modules", ignore=IGNORED)
    shared = target / "modules" / "shared_files"
    shared.mkdir()
    for name, text in SHARED_FILES.items():
        (shared / name).write_text(text)
    return Settings(target, home, emulator.free_port(), None, False)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, blueprint_home: Path
) -> Iterator[ServedRegistry]:
    folder = Path(tmp_path_factory.mktemp("registry"))
    settings = copy_modules(folder / "project", blueprint_home)
    ca_file, cert_file, key_file = tls_files(folder)
    out = folder / "site"
    requests: list[str] = []
    handler = type("Handler", (StaticRegistryHandler,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(out)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    base_url = f"https://127.0.0.1:{server.server_address[1]}/"
    registry.build_registry(settings, out, base_url, modules=["s3_bucket", "shared_files"])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ServedRegistry(registry.registry_host(base_url), ca_file, settings, requests)
    server.shutdown()
    server.server_close()


def consumer(root: Path, module_block: str) -> Path:
    root.mkdir()
    (root / "main.tf").write_text(
        "terraform {\n  required_providers {\n    aws = {\n"
        '      source  = "hashicorp/aws"\n      version = ">= 3.39.0"\n    }\n  }\n}\n\n'
        'provider "aws" {\n  region = "us-east-1"\n}\n\n' + module_block
    )
    return root


def terraform(served: ServedRegistry, root: Path) -> Callable[..., Outcome]:
    tools = toolchain.ensure(served.settings.home)
    env = {**tools.environment(), "SSL_CERT_FILE": str(served.ca_file)}
    runner = TerraformRunner(root, tools.terraform_bin, env)
    return partial(runner.capture, no_color=IsFlagged)


def succeeded(outcome: Outcome) -> Outcome:
    assert outcome.returncode == 0, outcome.stderr + outcome.stdout
    return outcome


def installed(root: Path, key: str) -> dict[str, Any]:
    manifest = json.loads((root / ".terraform/modules/modules.json").read_text())
    return next(module for module in manifest["Modules"] if module["Key"] == key)


def test_consumer_installs_a_module_from_the_registry_and_applies_it(
    served: ServedRegistry,
    tmp_path: Path,
    emulator_info: emulator.EmulatorInfo,
    aws_client: Callable[[str], Any],
) -> None:
    root = consumer(
        tmp_path / "consumer",
        f'module "files" {{\n  source  = "{served.host}/blueprint/s3-bucket/aws"\n'
        '  version = "~> 1.0"\n\n  bucket_name          = "registry-consumer-files"\n'
        "  enable_force_destroy = true\n}\n",
    )
    emulator_wiring.write_override(root, emulator_info.endpoint, 3)
    run = terraform(served, root)
    before = len(served.requests)
    succeeded(run("init", input=False))
    module = installed(root, "files")
    assert module["Version"] == "1.0.0"
    assert module["Source"] == f"{served.host}/blueprint/s3-bucket/aws"
    unpacked = root / module["Dir"]
    assert unpacked.name == "module"
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (unpacked / name).read_bytes() == (REPO / "modules/s3_bucket" / name).read_bytes()
    assert not (unpacked / "releases").exists()
    base = "/v1/modules/blueprint/s3-bucket/aws"
    assert served.requests[before : before + 3] == [
        "/.well-known/terraform.json",
        f"{base}/versions",
        f"{base}/1.0.0/download",
    ]
    succeeded(run("validate"))

    succeeded(run("apply", auto_approve=IsFlagged, input=False))
    s3 = aws_client("s3")
    assert s3.get_bucket_versioning(Bucket="registry-consumer-files")["Status"] == "Enabled"
    rules = s3.get_bucket_encryption(Bucket="registry-consumer-files")[
        "ServerSideEncryptionConfiguration"
    ]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket="registry-consumer-files")
    assert all(block["PublicAccessBlockConfiguration"].values())
    succeeded(run("destroy", auto_approve=IsFlagged, input=False))
    assert "registry-consumer-files" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_a_module_that_calls_a_sibling_by_path_works_from_the_registry(
    served: ServedRegistry, tmp_path: Path
) -> None:
    root = consumer(
        tmp_path / "consumer",
        f'module "shared" {{\n  source  = "{served.host}/blueprint/shared-files/aws"\n'
        '  version = "1.0.0"\n\n  name = "shared-files-bucket"\n}\n',
    )
    run = terraform(served, root)
    succeeded(run("init", input=False))
    unpacked = root / installed(root, "shared")["Dir"]
    assert (unpacked.parent / "s3_bucket" / "main.tf").is_file()
    succeeded(run("validate"))


def test_a_version_the_registry_lacks_is_not_installed(
    served: ServedRegistry, tmp_path: Path
) -> None:
    root = consumer(
        tmp_path / "consumer",
        f'module "files" {{\n  source  = "{served.host}/blueprint/s3-bucket/aws"\n'
        '  version = "~> 2.0"\n\n  bucket_name = "never-made"\n}\n',
    )
    before = len(served.requests)
    outcome = terraform(served, root)("init", input=False)
    assert outcome.returncode != 0
    said = " ".join(outcome.stderr.split())
    assert "Unresolvable module version constraint" in said
    assert "The newest available version is 1.0.0." in said
    assert not any(path.endswith("/download") for path in served.requests[before:])


def published_keys(s3: Any, bucket: str) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def published_versions(s3: Any, bucket: str) -> list[str]:
    key = "v1/modules/blueprint/s3-bucket/aws/versions"
    document = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    return [entry["version"] for entry in document["modules"][0]["versions"]]


def test_publish_uploads_the_registry_and_never_replaces_a_release(
    tmp_path: Path,
    emulator_info: emulator.EmulatorInfo,
    aws_client: Callable[[str], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    settings = copy_modules(tmp_path / "project", tmp_path / "home")
    s3 = aws_client("s3")
    bucket = "blueprint-module-registry"
    s3.create_bucket(Bucket=bucket)
    first = tmp_path / "first"
    (built,) = registry.build_registry(settings, first, modules=["s3_bucket"])

    written = registry.publish_registry(settings, first, bucket, emulator_info.endpoint)
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert sorted(written) == files == published_keys(s3, bucket)
    archive_key = built.archive.relative_to(first).as_posix()
    head = s3.head_object(Bucket=bucket, Key=archive_key)
    assert head["ContentType"] == "application/gzip"
    assert head["Metadata"]["sha256"] == built.sha256
    discovery = s3.get_object(Bucket=bucket, Key=".well-known/terraform.json")
    assert discovery["ContentType"] == "application/json"
    assert json.loads(discovery["Body"].read()) == {"modules.v1": "/v1/modules/"}

    again = registry.publish_registry(settings, first, bucket, emulator_info.endpoint)
    assert archive_key not in again, "a published release must not be uploaded twice"

    # 1.1.0, built into a fresh folder that knows nothing of 1.0.0: the bucket keeps both.
    outputs = settings.modules_dir / "s3_bucket" / "outputs.tf"
    outputs.write_text(
        outputs.read_text() + '\noutput "id" {\n  value = aws_s3_bucket.this.id\n}\n'
    )
    changelog = settings.modules_dir / "s3_bucket" / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("\n## 1.0.0", "\n## 1.1.0\n\n## 1.0.0", 1))
    second = tmp_path / "second"
    (newer,) = registry.build_registry(settings, second, modules=["s3_bucket"])
    registry.publish_registry(settings, second, bucket, emulator_info.endpoint)
    assert published_versions(s3, bucket) == ["1.1.0", "1.0.0"]

    # Different bytes under a published version are refused before anything is uploaded.
    newer.archive.write_bytes(built.archive.read_bytes())
    newer_key = f"v1/modules/blueprint/s3-bucket/aws/1.1.0/{ARCHIVE_NAME}"
    before = s3.head_object(Bucket=bucket, Key=newer_key)
    with pytest.raises(BlueprintError, match="already holds a different release"):
        registry.publish_registry(settings, second, bucket, emulator_info.endpoint)
    after = s3.head_object(Bucket=bucket, Key=newer_key)
    assert after["ETag"] == before["ETag"]
    assert published_versions(s3, bucket) == ["1.1.0", "1.0.0"]
    # Nor does a version the bucket lacks go up unless it is the release the repository records.
    s3.delete_object(Bucket=bucket, Key=newer_key)
    with pytest.raises(BlueprintError, match="is not the release modules/s3_bucket/releases/1"):
        registry.publish_registry(settings, second, bucket, emulator_info.endpoint)
    assert newer_key not in published_keys(s3, bucket)
