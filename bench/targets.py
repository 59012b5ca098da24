"""The bench's verdict: every target beside its figure, and the exit status of `make bench`.

Pure functions, so that the rule for "meets" and the table are tested without a county."""

import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = {
    "<=": lambda figure, target: figure <= target,
    "<": lambda figure, target: figure < target,
    ">=": lambda figure, target: figure >= target,
}


@dataclass(frozen=True)
class Check:
    """One target and the figure measured for it: `figure rule target`, e.g. 96 <= 150 ms."""

    what: str
    figure: float
    rule: str
    target: float
    unit: str = ""

    @property
    def meets(self) -> bool:
        return RULES[self.rule](self.figure, self.target)

    @property
    def ratio(self) -> float | None:
        """figure / target: above 1 misses an "at most" target, below 1 an "at least" one.
        None for a target of nothing (no errors)."""
        return self.figure / self.target if self.target else None


def _amount(number: float, unit: str) -> str:
    figure = f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"
    return f"{figure} {unit}".rstrip()


def verdict_table(checks: list[Check]) -> str:
    """A plain-text table: target, figure, ratio and "meets" or "MISSES" in words."""
    rows = [("what", "target", "figure", "ratio", "verdict")]
    for check in checks:
        ratio = "-" if check.ratio is None else f"{check.ratio:.2f}"
        rows.append(
            (
                check.what,
                f"{check.rule} {_amount(check.target, check.unit)}",
                _amount(check.figure, check.unit),
                ratio,
                "meets" if check.meets else "MISSES",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = [
        "  ".join(
            cell.ljust(width) if column in (0, 4) else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    missed = sum(not check.meets for check in checks)
    lines.append(f"{len(checks) - missed} of {len(checks)} targets met, {missed} missed.")
    return "\n".join(lines)


def exit_status(checks: list[Check]) -> int:
    """What `make bench` exits with: 0 when every target is met, 1 when any is missed."""
    return 1 if any(not check.meets for check in checks) else 0


def commit_described(commit: str, changes: str) -> str:
    """The commit measured, and whether the working tree differed from it (`git status
    --porcelain` printed something)."""
    return f"{commit} ({'dirty: uncommitted changes' if changes.strip() else 'clean tree'})"


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603 - fixed arguments
            ["git", *args],  # noqa: S607 - git from the PATH
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    try:
        return commit_described(git("rev-parse", "HEAD"), git("status", "--porcelain"))
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes."""
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def machine_line() -> str:
    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.node()}: {platform.machine()}, {cpus} CPUs, {memory:.0f} GiB, "
        f"Python {platform.python_version()}"
    )
