"""``python -m tooling.mutation``: the suite against the seeded regressions of ``mutations/``.

Each ``mutations/*.patch`` is a mistake a developer could really make in the engine, the adapters, the
pages or their scripts: a unified diff after a short header::

    Mutation: the stage check compares stage names, not stages
    Select: tests/acceptance -k "одноимённом" -m "not ui"
    <blank line, then the diff>

For each patch the tool copies the tree (the files git knows, as they are now) to a temporary directory,
applies the patch there (a patch that no longer applies is an error, never "caught"), runs the patch's
selection of the suite with this checkout's Python, and reports the first scenario that failed. The
selection is first run unmutated (once per distinct selection) to prove it green: a selection that fails
anyway catches nothing. Exit status 0 only when every mutation was caught.

    .venv/bin/python -m tooling.mutation                 # all of them
    .venv/bin/python -m tooling.mutation recipients      # those whose file name contains "recipients"
    .venv/bin/python -m tooling.mutation --no-baseline   # skip the unmutated runs
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tooling.feature_model import ROOT

CATALOGUE = ROOT / "mutations"
PYTEST_OPTIONS = ["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-o", "addopts=", "-W", "ignore"]
_FAILED = re.compile(r"^(?:FAILED|ERROR) (?P<test>.+?)(?: - .*)?$", re.MULTILINE)
_ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")
CAUGHT, SURVIVED, ERROR = "caught", "survived", "error"


@dataclass(frozen=True)
class Mutation:
    path: Path
    title: str
    select: list[str]
    diff: str

    @property
    def name(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Outcome:
    mutation: Mutation
    verdict: str
    detail: str
    seconds: float


def parse(path: Path) -> Mutation:
    text = path.read_text(encoding="utf-8")
    head, _, diff = text.partition("\n\n")
    fields = dict(line.split(":", 1) for line in head.splitlines() if ":" in line)
    fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
    if "mutation" not in fields or "select" not in fields or "--- " not in diff:
        raise ValueError(f"{path.name}: a header «Mutation:», «Select:», a blank line and a diff are required")
    return Mutation(path, fields["mutation"], shlex.split(fields["select"]), diff)


def catalogue(filters: list[str]) -> list[Mutation]:
    paths = sorted(CATALOGUE.glob("*.patch"))
    return [parse(p) for p in paths if not filters or any(f in p.stem for f in filters)]


def copy_tree(target: Path) -> None:
    """The files git knows, as they are in the working tree now (uncommitted edits included)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in listed.decode().split("\0"):
        if not name or not (ROOT / name).is_file():
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)


def _pytest(tree: Path, select: list[str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", *PYTEST_OPTIONS, *select]
    return subprocess.run(command, cwd=tree, capture_output=True, text=True, timeout=1800)


def _first_failure(output: str) -> str:
    found = _FAILED.search(output)
    if not found:
        return "(no test id in the output)"
    test = found.group("test").split("::")[-1]
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), test)


def run_one(mutation: Mutation, pristine: Path) -> Outcome:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"mutation-{mutation.name}-") as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(pristine, tree, symlinks=True)
        patch = Path(tmp) / "change.patch"
        patch.write_text(mutation.diff, encoding="utf-8")
        applied = subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch)], cwd=tree, capture_output=True)
        if applied.returncode != 0:
            reason = applied.stderr.decode().strip().splitlines()
            return Outcome(mutation, ERROR, "the patch no longer applies: " + " ".join(reason[:2]), 0.0)
        result = _pytest(tree, mutation.select)
    seconds = time.monotonic() - started
    if result.returncode == 1:
        return Outcome(mutation, CAUGHT, _first_failure(result.stdout), seconds)
    if result.returncode == 0:
        return Outcome(mutation, SURVIVED, "every selected scenario passed", seconds)
    tail = " ".join(result.stdout.strip().splitlines()[-2:])
    return Outcome(mutation, ERROR, f"pytest exit {result.returncode}: {tail}", seconds)


def baseline(mutations: list[Mutation], pristine: Path) -> dict[str, str]:
    """Selections that fail without any mutation (they would 'catch' everything): selection -> why."""
    broken: dict[str, str] = {}
    selections = list(dict.fromkeys(shlex.join(m.select) for m in mutations))
    print(f"baseline: {len(selections)} selections, unmutated", flush=True)
    for select in selections:
        result = _pytest(pristine, shlex.split(select))
        if result.returncode != 0:
            broken[select] = f"unmutated: exit {result.returncode}, {_first_failure(result.stdout)}"
    return broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.mutation", description=__doc__.splitlines()[0])
    parser.add_argument("filters", nargs="*", help="run only mutations whose file name contains one of these")
    parser.add_argument("--no-baseline", action="store_true", help="do not prove the selections green first")
    args = parser.parse_args(argv)
    mutations = catalogue(args.filters)
    if not mutations:
        print("no mutations selected")
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutation-pristine-") as tmp:
        pristine = Path(tmp) / "tree"
        copy_tree(pristine)
        broken = {} if args.no_baseline else baseline(mutations, pristine)
        outcomes = []
        for n, mutation in enumerate(mutations, 1):
            select = shlex.join(mutation.select)
            known = broken.get(select)
            outcome = Outcome(mutation, ERROR, known, 0.0) if known else run_one(mutation, pristine)
            outcomes.append(outcome)
            detail = f"{outcome.detail} ({outcome.seconds:.0f} s)"
            print(f"[{n}/{len(mutations)}] {outcome.verdict:8} {mutation.name}: {detail}", flush=True)
    killed = sum(o.verdict == CAUGHT for o in outcomes)
    print(f"\nkilled {killed}/{len(outcomes)} in {time.monotonic() - started:.0f} s")
    for outcome in outcomes:
        if outcome.verdict != CAUGHT:
            print(f"  {outcome.verdict}: {outcome.mutation.name} — {outcome.mutation.title}: {outcome.detail}")
    return 0 if killed == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
