"""The import contract: each layer imports only layers below it, and only the shells know click or
Textual. Read from the source (every import, at module level or inside a function), so a lazy
import cannot hide a dependency that runs the wrong way."""

from __future__ import annotations

import ast
from pathlib import Path

ZTLAB = Path(__file__).resolve().parents[1] / "ztlab"

# Lowest first; a package may import packages of lower layers only (and itself).
LAYERS = [
    {"principles", "locations", "untrusted", "policy"},  # foundations: no other ztlab package
    {"settings", "content", "snapshot", "network"},  # network: the security-group rule model
    {"sandbox", "srs", "access"},  # access: who holds which policy, from a snapshot
    {"explore"},  # who-can and escalation questions, asked of the engine over the gathered policies
    {"checks"},  # the escalation checks ask explore
    {"labs"},
    {"workshop", "reporters"},
    {"tui"},  # the shells
    {"cli"},
    {"launch"},
    {"__main__", "__init__"},
]
SHELLS = {"tui", "cli", "launch", "__main__", "__init__"}
# A process's main wires layers together the way a shell does: the sandbox server's main serves
# lab commands warm (labs/served.py), so it may import upwards.
ENTRY_POINTS = {"ztlab/sandbox/moto_server_main.py"}
SHELL_ONLY = {"click", "textual", "textual_serve", "rich"}  # rich arrives with Textual: a shell's toolkit


def rank(package: str) -> int:
    found = [i for i, layer in enumerate(LAYERS) if package in layer]
    assert found, f"ztlab/{package} has no layer: add it to LAYERS in tests/test_layers.py, above what it imports"
    return found[0]


def imports(root: Path = ZTLAB) -> list[tuple[str, str, int, str]]:
    """(package, file, line, imported module) for every absolute import in the tree."""
    found = []
    for path in sorted(root.rglob("*.py")):
        package = path.relative_to(root).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [(package, str(path.relative_to(root.parent)), node.lineno, name) for name in names]
    return found


def test_every_package_has_a_layer():
    packages = {p.name.removesuffix(".py") for p in ZTLAB.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()
                or p.is_dir() and any(p.glob("*.py"))}
    assert packages == set().union(*LAYERS), "add the new package to LAYERS, above what it imports"


def test_layers_import_only_downwards():
    wrong = []
    for package, where, line, module in imports():
        parts = module.split(".")
        if parts[0] != "ztlab" or len(parts) < 2 or parts[1] == package or where in ENTRY_POINTS:
            continue
        if rank(parts[1]) >= rank(package):
            wrong.append(f"{where}:{line}: {package} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_only_the_shells_know_click_and_textual():
    wrong = [f"{where}:{line}: {module}" for package, where, line, module in imports()
             if module.split(".")[0] in SHELL_ONLY and package not in SHELLS]
    assert not wrong, "core and reporters must not import a UI toolkit:\n" + "\n".join(wrong)


def test_the_scan_sees_imports_inside_functions(tmp_path):
    planted = tmp_path / "ztlab" / "checks" / "lazy.py"
    planted.parent.mkdir(parents=True)
    planted.write_text("def f():\n    from ztlab.cli import main\n    import click\n", encoding="utf-8")
    found = {(package, module) for package, _, _, module in imports(tmp_path / "ztlab")}
    assert found == {("checks", "ztlab.cli"), ("checks", "click")}
