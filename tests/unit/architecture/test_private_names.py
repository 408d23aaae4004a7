"""No app reaches into another app's private helpers: names starting with an underscore stay
inside the app that defines them (the dependency contracts themselves are import-linter's, run by
`make test`)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
APPS = (
    "core",
    "families",
    "outcomes",
    "casework",
    "claims",
    "referrals",
    "privacy",
    "reports",
    "demo",
    "config",
)


def _imports_of_private_names(path: Path) -> list[str]:
    app = path.relative_to(ROOT).parts[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        source_app = node.module.split(".")[0]
        if source_app not in APPS or source_app == app:
            continue
        for alias in node.names:
            if alias.name.startswith("_"):
                found.append(f"{path.relative_to(ROOT)}: {node.module}.{alias.name}")
    return found


def test_no_app_imports_another_apps_private_names():
    offenders = [
        line
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line in _imports_of_private_names(path)
    ]
    assert offenders == []


def test_the_check_sees_a_private_import(tmp_path):
    # The check itself can fail: a module in one app importing another's private helper.
    fake = ROOT / "claims" / "_private_import_probe.py"
    try:
        fake.write_text("from outcomes.services.evidence import _secret\n", encoding="utf-8")
        assert _imports_of_private_names(fake) == [
            "claims/_private_import_probe.py: outcomes.services.evidence._secret"
        ]
    finally:
        fake.unlink()
