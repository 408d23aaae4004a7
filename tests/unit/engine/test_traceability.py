"""The traceability tables in docs/plans/ are up to date, trace every criterion of every shipped
plan, quote the documents exactly, and name tests that exist."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from outcomes.engine import load_shipped_plan, shipped_plan_paths
from outcomes.engine.traceability import DOCS_DIR, REPO, check, load_cells, quotes, render

SLUGS = [p.stem for p in shipped_plan_paths()]
DOMAIN = REPO.parent / "shared" / "domain"  # the council documents, beside the repository
TESTS = Path(__file__).resolve().parent


def _normal(text: str) -> str:
    return " ".join(text.replace("**", "").split()).casefold()


def _test_names() -> dict[str, set[str]]:
    names = {}
    for path in TESTS.glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names[path.name] = {
            n.name
            for n in tree.body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
        }
    return names


@pytest.mark.parametrize("slug", SLUGS)
def test_the_committed_table_is_up_to_date(slug):
    expected = render(load_shipped_plan(slug), load_cells(slug))
    committed = (DOCS_DIR / f"{slug}.md").read_text(encoding="utf-8")
    assert committed == expected, f"run: python -m outcomes.engine.traceability ({slug})"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_criterion_is_traced_to_a_cell(slug):
    assert check(load_shipped_plan(slug), load_cells(slug)) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_every_named_test_exists(slug):
    names = _test_names()
    for cell in load_cells(slug)["cells"]:
        for ref in cell["tests"]:
            module, _, name = ref.partition("::")
            assert name in names.get(module, set()), ref


@pytest.mark.skipif(
    not DOMAIN.is_dir(), reason="the council documents are not beside the repository"
)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_quote_is_on_the_line_it_cites(slug):
    cells = load_cells(slug)
    for cell in cells["cells"]:
        if not cell.get("quote"):
            continue
        document = cell.get("document", cells["document"]).removeprefix("domain/")
        lines = (DOMAIN / document).read_text(encoding="utf-8").splitlines()
        first, _, last = str(cell["line"]).partition("-")
        text = " ".join(lines[int(first) - 1 : int(last or first)])
        for quote in quotes(cell):
            assert _normal(quote) in _normal(text), (document, cell["line"], quote)
