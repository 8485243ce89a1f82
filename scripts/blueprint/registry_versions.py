"""Version numbers for the module registry: semantic versions, CHANGELOG entries, constraints.

A module's version is the top entry of its CHANGELOG.md (docs/registry.md says why). Terraform
and provider version constraints are turned into ranges so that the interface check can tell a
raised floor (breaking) from a raised ceiling (an addition).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from blueprint.errors import BlueprintError

CHANGELOG = "CHANGELOG.md"
ENTRY_PREFIX = "## "


class Level(IntEnum):
    """How much a change breaks, and so which version part a release must raise."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str, where: str) -> Version:
        """MAJOR.MINOR.PATCH without leading zeros; ``where`` names the file in the error."""
        parts = text.split(".")
        if len(parts) != 3 or not all(_is_number(part) for part in parts):
            raise BlueprintError(
                f"{where}: {text!r} is not a version of the form MAJOR.MINOR.PATCH, e.g. 1.4.0 "
                "(pre-release and build suffixes are not used here)"
            )
        return cls(int(parts[0]), int(parts[1]), int(parts[2]))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def bump(self, level: Level) -> Version:
        """The smallest version that makes a ``level`` release after this one.

        Below 1.0.0 the minor part plays the major's role, as Cargo and npm treat it.
        """
        if level is Level.MAJOR:
            if self.major == 0:
                return Version(0, self.minor + 1, 0)
            return Version(self.major + 1, 0, 0)
        if level is Level.MINOR:
            if self.major == 0:
                return Version(0, self.minor, self.patch + 1)
            return Version(self.major, self.minor + 1, 0)
        if level is Level.PATCH:
            return Version(self.major, self.minor, self.patch + 1)
        return self

    def level_to(self, newer: Version) -> Level:
        """Which kind of release ``newer`` is after this version (NONE when it is not newer)."""
        if newer <= self:
            return Level.NONE
        if self.major == 0 and newer.major == 0:
            return Level.MAJOR if newer.minor > self.minor else Level.MINOR
        if newer.major > self.major:
            return Level.MAJOR
        if newer.minor > self.minor:
            return Level.MINOR
        return Level.PATCH


def _is_number(part: str) -> bool:
    return part.isascii() and part.isdigit() and (part == "0" or not part.startswith("0"))


def changelog_versions(path: Path, display: str) -> list[Version]:
    """The versions of the changelog's ``## X.Y.Z`` entries, newest first.

    Keep a Changelog's ``## [X.Y.Z] - date`` form is accepted too. Entries must go strictly
    downwards, so that the top one is the newest.
    """
    if not path.is_file():
        raise BlueprintError(
            f"{display} is missing: every module needs one; its top '## X.Y.Z' entry is the "
            "module's version"
        )
    versions: list[Version] = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.startswith(ENTRY_PREFIX):
            continue
        words = line[len(ENTRY_PREFIX) :].split()
        label = words[0].strip("[]") if words else ""
        version = Version.parse(label, f"{display} line {number}")
        if versions and version >= versions[-1]:
            raise BlueprintError(
                f"{display} line {number}: {version} is listed below {versions[-1]}; entries go "
                "from the newest version down"
            )
        versions.append(version)
    if not versions:
        raise BlueprintError(f"{display} has no '## X.Y.Z' entry; add one for the module's version")
    return versions


@dataclass(frozen=True)
class Bound:
    version: tuple[int, int, int]
    inclusive: bool


LOWEST = Bound((0, 0, 0), inclusive=True)


@dataclass(frozen=True)
class VersionRange:
    """The versions a Terraform constraint string allows; ``upper`` None means no ceiling."""

    lower: Bound = LOWEST
    upper: Bound | None = None
    excluded: frozenset[tuple[int, int, int]] = frozenset()

    def contains(self, version: tuple[int, int, int]) -> bool:
        above = version > self.lower.version or (
            version == self.lower.version and self.lower.inclusive
        )
        below = self.upper is None or (
            version < self.upper.version or (version == self.upper.version and self.upper.inclusive)
        )
        return above and below and version not in self.excluded

    def within(self, other: VersionRange) -> bool:
        """Whether every version this range allows, ``other`` allows too."""
        lower_ok = other.lower.version < self.lower.version or (
            other.lower.version == self.lower.version
            and (other.lower.inclusive or not self.lower.inclusive)
        )
        if other.upper is None:
            upper_ok = True
        elif self.upper is None:
            upper_ok = False
        else:
            upper_ok = other.upper.version > self.upper.version or (
                other.upper.version == self.upper.version
                and (other.upper.inclusive or not self.upper.inclusive)
            )
        newly_excluded = {point for point in other.excluded - self.excluded if self.contains(point)}
        return lower_ok and upper_ok and not newly_excluded


# Longest first, so that ">=" is not read as ">" followed by "=1.0".
OPERATORS = ("~>", ">=", "<=", "!=", ">", "<", "=")


def _constraint_version(text: str, where: str) -> tuple[tuple[int, int, int], int]:
    """(version padded to three parts, number of parts written); pre-release tags are dropped."""
    core = text.split("-", 1)[0].split("+", 1)[0]
    parts = core.split(".")
    if not 1 <= len(parts) <= 3 or not all(part.isascii() and part.isdigit() for part in parts):
        raise BlueprintError(f"{where}: {text!r} in a version constraint is not a version")
    numbers = [int(part) for part in parts] + [0] * (3 - len(parts))
    return (numbers[0], numbers[1], numbers[2]), len(parts)


def parse_constraint(text: str | None, where: str) -> VersionRange:
    """A Terraform version constraint (">= 3.39, < 7.0", "~> 5.0", ...) as a range.

    Prerelease versions are not modelled: Terraform never selects them through a range.
    """
    result = VersionRange()
    if not text or not text.strip():
        return result
    for clause in text.split(","):
        clause = clause.strip()
        operator = next((op for op in OPERATORS if clause.startswith(op)), "=")
        value = clause[len(operator) :].strip() if clause.startswith(operator) else clause
        version, written = _constraint_version(value, where)
        if operator == "!=":
            result = _narrow(result, excluded=version)
        elif operator in (">", ">="):
            result = _narrow(result, lower=Bound(version, operator == ">="))
        elif operator in ("<", "<="):
            result = _narrow(result, upper=Bound(version, operator == "<="))
        elif operator == "~>":
            # "~> 1.2.3" allows 1.2.x from 1.2.3 on; "~> 1.2" and "~> 1" allow 1.x.
            ceiling = (version[0], version[1] + 1, 0) if written == 3 else (version[0] + 1, 0, 0)
            result = _narrow(result, lower=Bound(version, True), upper=Bound(ceiling, False))
        else:
            result = _narrow(result, lower=Bound(version, True), upper=Bound(version, True))
    return result


def _narrow(
    current: VersionRange,
    lower: Bound | None = None,
    upper: Bound | None = None,
    excluded: tuple[int, int, int] | None = None,
) -> VersionRange:
    new_lower = current.lower
    if lower is not None and (
        lower.version > new_lower.version
        or (lower.version == new_lower.version and not lower.inclusive)
    ):
        new_lower = lower
    new_upper = current.upper
    if upper is not None and (
        new_upper is None
        or upper.version < new_upper.version
        or (upper.version == new_upper.version and not upper.inclusive)
    ):
        new_upper = upper
    points = current.excluded | ({excluded} if excluded is not None else set())
    return VersionRange(new_lower, new_upper, frozenset(points))


def constraint_change(old: str | None, new: str | None, where: str) -> Level:
    """MAJOR when ``new`` refuses a version ``old`` allowed, MINOR when it only allows more."""
    before = parse_constraint(old, where)
    after = parse_constraint(new, where)
    if not before.within(after):
        return Level.MAJOR
    if not after.within(before):
        return Level.MINOR
    return Level.NONE
