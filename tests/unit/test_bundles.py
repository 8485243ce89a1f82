"""Source bundles of the services: deterministic zips and the inputs handed to Terraform."""

import json
import os
import zipfile

from blueprint import bundles, environments
from blueprint.config import Settings
from blueprint.environments import Environment


def with_services(settings: Settings, names: list[str]) -> Environment:
    """The local environment declaring ``names``; only orders gets code (plus test clutter)."""
    tfvars = settings.envs_dir / "local/terraform.tfvars"
    declared = "".join(f"  {name} = {{}}\n" for name in names)
    text = tfvars.read_text()
    start = text.index("services = {")
    end = text.index("\n}\n", start) + 3
    tfvars.write_text(text[:start] + "services = {\n" + declared + "}\n" + text[end:])
    code = settings.project_root / "services/orders"
    (code / "__pycache__").mkdir(parents=True)
    (code / "application.py").write_text("def application(environ, start_response):\n    ...\n")
    (code / "test_application.py").write_text("def test_nothing():\n    pass\n")
    (code / "__pycache__/application.cpython-312.pyc").write_bytes(b"\0")
    return environments.load(settings.envs_dir, "local")


def test_two_builds_are_byte_identical(settings: Settings) -> None:
    environment = with_services(settings, ["orders"])
    root = environment.root
    first = bundles.build_bundles(settings, environment, root)["orders"]
    first_bytes = first.zip_path.read_bytes()
    first.zip_path.unlink()
    # Another mtime on the same content must not matter.
    (settings.project_root / "services/orders/application.py").touch()

    second = bundles.build_bundles(settings, environment, root)["orders"]

    assert second.zip_path == first.zip_path
    assert second.zip_path.read_bytes() == first_bytes
    assert second.zip_path.name == f"orders-{second.sha256[:12]}.zip"
    assert second.zip_path.parent == settings.build_dir / "bundles"
    with zipfile.ZipFile(second.zip_path) as archive:
        assert archive.namelist() == ["application.py"]


def test_a_changed_file_changes_the_sha_and_the_label(settings: Settings) -> None:
    environment = with_services(settings, ["orders"])
    before = bundles.build_bundles(settings, environment, environment.root)["orders"]
    code = settings.project_root / "services/orders/application.py"
    code.write_text(code.read_text() + "# changed\n")

    after = bundles.build_bundles(settings, environment, environment.root)["orders"]

    assert after.sha256 != before.sha256
    assert after.version_label != before.version_label
    assert after.version_label == f"v-{after.sha256[:12]}"
    assert after.zip_path != before.zip_path


def test_tfvars_list_exactly_the_bundled_services(settings: Settings) -> None:
    environment = with_services(settings, ["billing", "orders"])
    # A folder for a service the environment does not declare is not built.
    (settings.project_root / "services/reports").mkdir()
    (settings.project_root / "services/reports/application.py").write_text("")

    built = bundles.build_bundles(settings, environment, environment.root)

    assert set(built) == {"orders"}, "billing has no folder, reports is not declared"
    inputs_file = environment.root / bundles.BUNDLE_INPUTS_FILE
    document = json.loads(inputs_file.read_text())
    assert document == {
        "service_bundles": {
            "orders": {
                "path": f"../../build/bundles/{built['orders'].zip_path.name}",
                "sha256": built["orders"].sha256,
            }
        }
    }
    assert (environment.root / document["service_bundles"]["orders"]["path"]).is_file()


def test_inputs_file_is_left_alone_when_unchanged(settings: Settings) -> None:
    environment = with_services(settings, ["orders"])
    bundles.build_bundles(settings, environment, environment.root)
    inputs_file = environment.root / bundles.BUNDLE_INPUTS_FILE
    stamp = inputs_file.stat().st_mtime_ns - 10_000_000_000
    os.utime(inputs_file, ns=(stamp, stamp))

    bundles.build_bundles(settings, environment, environment.root)

    assert inputs_file.stat().st_mtime_ns == stamp
