"""Page models build their context from page_context.py: no model or builder imports a view."""

import ast
from pathlib import Path

import pytest

import onboarding

PACKAGE = Path(onboarding.__file__).parent
MODULES = sorted(
    [
        *PACKAGE.glob("*/models.py"),
        *PACKAGE.glob("*/models/*.py"),
        *PACKAGE.glob("*/page_context.py"),
    ]
)


def _imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}".lstrip(".") for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_page_model_or_context_builder_imports_views(path):
    views = [name for name in _imported_modules(path) if name.split(".")[-1] == "views"]

    assert views == []


def test_each_app_with_a_page_context_module_uses_it():
    builders = {path.parent.name for path in PACKAGE.glob("*/page_context.py")}

    assert {"activities", "checklists", "courses", "units"} <= builders
