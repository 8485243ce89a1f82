"""Repository-wide rules: module layout, fresh module READMEs, lines of at most 100 columns."""

import subprocess
from pathlib import Path

import pytest

from blueprint import docs
from blueprint.config import default_project_root

REPO = default_project_root()
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
WIDTH = 100


def tracked_files(*patterns: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *patterns],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return [REPO / name for name in listed if (REPO / name).is_file()]


@pytest.mark.parametrize("module", docs.module_folders(REPO / "modules"), ids=lambda p: p.name)
def test_module_has_the_standard_files_and_an_example(module: Path) -> None:
    missing = [name for name in MODULE_FILES if not (module / name).is_file()]
    assert not missing, f"modules/{module.name} lacks {missing}"
    assert list(module.glob("examples/*/main.tf")), f"modules/{module.name} has no example"


@pytest.mark.parametrize("module", docs.module_folders(REPO / "modules"), ids=lambda p: p.name)
def test_module_readme_is_fresh(module: Path) -> None:
    assert not docs.update_readme(module, write=False), (
        f"modules/{module.name}/README.md is stale: run 'make docs'"
    )


def test_generated_section_follows_the_code(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "size" {\n  description = "How big."\n  type        = number\n}\n'
    )
    (tmp_path / "outputs.tf").write_text("")
    (tmp_path / "README.md").write_text(f"# m\n{docs.BEGIN}\n{docs.END}\n")
    assert docs.update_readme(tmp_path, write=True)
    assert "| `size` | `number` | required |" in (tmp_path / "README.md").read_text()
    assert not docs.update_readme(tmp_path, write=False)
    (tmp_path / "variables.tf").write_text(
        'variable "size" {\n  description = "How big."\n  type        = number\n'
        "  default     = 3\n}\n"
    )
    assert docs.update_readme(tmp_path, write=False), "a new default must make the README stale"


def test_no_line_is_wider_than_100_columns() -> None:
    wide = []
    for path in tracked_files("*.py", "*.tf", "*.md", "Makefile"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if len(line) > WIDTH:
                wide.append(f"{path.relative_to(REPO)}:{number} ({len(line)} columns)")
    assert not wide, "lines over 100 columns:\n" + "\n".join(wide)
