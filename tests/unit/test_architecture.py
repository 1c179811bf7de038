"""The layers keep to their places: the rules know nothing of the web, the database or the services,
and the services know nothing of pages or sockets.

Read from the source with `ast`, so a layer reaching across fails here before it is ever run.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "supervision"


def imports_of(path: Path) -> set[str]:
    """Absolute module names a file imports, relative imports resolved against its package."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def files_in(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def reaches(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if any(name == f or name.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize("path", files_in("domain"), ids=lambda p: p.name)
def test_the_rules_import_no_web_database_or_services(path):
    forbidden = ("flask", "flask_login", "flask_socketio", "sqlalchemy", "supervision.services",
                 "supervision.store", "supervision.web", "supervision.realtime", "supervision.extensions")
    assert reaches(imports_of(path), forbidden) == []


@pytest.mark.parametrize("path", files_in("services"), ids=lambda p: p.name)
def test_the_services_import_no_pages_or_sockets(path):
    forbidden = ("supervision.web", "supervision.realtime", "flask_socketio", "flask_login")
    assert reaches(imports_of(path), forbidden) == []


def test_the_checks_read_real_imports():
    """The reader itself: absolute and relative imports are both seen, so the checks above can fail."""
    scope = imports_of(PACKAGE / "services" / "scope.py")
    assert "supervision.domain.errors.NotFound" in scope  # from ..domain.errors import NotFound
    assert "supervision.extensions.db" in scope
    assert reaches(imports_of(PACKAGE / "services" / "records.py"), ("flask",)) == ["flask", "flask.current_app"]
