"""The import rule, as make lint checks it: events and courses never import each other, and
the booking engine imports neither (the contracts are in pyproject.toml)."""

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parents[3]


def test_the_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert (
        lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
        == EXIT_STATUS_SUCCESS
    )
