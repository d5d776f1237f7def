"""The kit's working files: the pre-commit hooks are valid and run what exists here; .editorconfig covers it."""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_the_pre_commit_hooks_are_valid_and_run_the_kits_own_tools() -> None:
    config = ROOT / ".pre-commit-config.yaml"
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = {hook["id"]: hook for repo in yaml.safe_load(config.read_text())["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "checklist", "step-catalogue", "mypy"} <= set(hooks)
    for hook in hooks.values():
        executable = ROOT / hook["entry"].split()[0]
        assert executable.exists(), f"hook {hook['id']}: {executable} is not in this checkout's .venv"
        if " -m " in hook["entry"]:
            module = hook["entry"].split(" -m ", 1)[1].split()[0]
            assert (ROOT / (module.replace(".", "/") + ".py")).exists(), f"hook {hook['id']}: no module {module}"


def test_the_editorconfig_sets_utf8_lf_and_the_line_length_ruff_checks() -> None:
    parser = configparser.ConfigParser()
    parser.read_string((ROOT / ".editorconfig").read_text().replace("root = true", "[root]\nroot = true", 1))
    everything = parser["*"]
    assert (everything["charset"], everything["end_of_line"], everything["indent_size"]) == ("utf-8", "lf", "4")
    ruff_line_length = next(
        line.split("=")[1].strip()
        for line in (ROOT / "pyproject.toml").read_text().splitlines()
        if line.startswith("line-length")
    )
    assert everything["max_line_length"] == ruff_line_length
    assert parser["*.{html,css,js,mjs,json,yml,yaml,feature}"]["indent_size"] == "2"
