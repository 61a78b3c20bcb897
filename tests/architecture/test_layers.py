"""The house: folders are the layers, imports only go down, nothing goes round.

Every import in ``lib/wifimgr`` — module level and lazy ones inside functions, ``TYPE_CHECKING``
blocks included — is read with :mod:`ast` and checked against one table, :data:`LAYERS`, which
``docs/architecture.md`` repeats (a test below keeps the two the same).
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

from support import ROOT

LIB = ROOT / "lib"

#: lowest first: (layer, folders of lib/wifimgr in it, what it is). A module may import modules
#: of its own layer and of layers below it, never above.
LAYERS: list[tuple[str, tuple[str, ...], str]] = [
    ("core", ("core",), "errors, records, bounded JSON: imports nothing of wifimgr"),
    ("ports", ("platform",), "the only code touching the OS: UCI, ubus, commands, files"),
    ("twin", ("sim",), "the simulated BPI-R4: implements the ports"),
    ("parsers", ("parse",), "pure: command text → records"),
    ("model", ("model", "settings"),
     "UCI packages ⇄ typed radios, interfaces, configuration sets; wifimgr's own settings"),
    ("rules", ("rules",), "pure: the safety verdict and argument validation"),
    ("composition", ("host",), "which system this process runs on; the request context"),
    ("observation", ("observe",), "one snapshot of the live system per call"),
    ("transaction", ("transaction",), "the one write path: journal, commit, apply, health"),
    ("features", ("radios", "networks", "clients", "lifecycle", "overview"),
     "the methods, grouped by what they are about"),
    ("resident", ("monitor", "steering"), "the procd services and their methods"),
    ("surface", ("surface", "devserver"), "the registry, the rpcd plugin's calls, CLI, dev server"),
]

#: the package's own top-level modules and the layer each belongs to
TOP = {"wifimgr": "core", "wifimgr.__main__": "surface"}

#: the twin is chosen at the composition root; only it and the front doors may import it
TWIN_IMPORTERS = ("wifimgr.host.system", "wifimgr.surface.", "wifimgr.devserver.")


def modules(lib: Path = LIB) -> dict[str, Path]:
    out = {}
    for p in sorted((lib / "wifimgr").rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        name = ".".join(p.relative_to(lib).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = p
    return out


def import_nodes(mods: dict[str, Path]):
    """(module, import node, the absolute module a ``from`` import names — None for a plain
    ``import``) for every import anywhere in every module's body."""
    for m, p in mods.items():
        pkg = m if p.name == "__init__.py" else m.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                    yield m, node, ".".join(base + ([node.module] if node.module else []))
                else:
                    yield m, node, node.module or ""
            elif isinstance(node, ast.Import):
                yield m, node, None


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """module → the wifimgr modules it imports (anywhere in its body)."""
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for m, node, mod in import_nodes(mods):
        if mod is not None:
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in mods else mod
                       for a in node.names]
        else:
            targets = [a.name for a in node.names]
        for t in targets:
            while t not in mods and "." in t:
                t = t.rsplit(".", 1)[0]
            if t in mods and t != m:
                edges[m].add(t)
    return edges


def layer_of(module: str) -> str:
    if module in TOP:
        return TOP[module]
    folder = module.split(".")[1]
    for name, folders, _ in LAYERS:
        if folder in folders:
            return name
    raise AssertionError(f"{module}: not in a layer folder (put it in one of {folders_all()})")


def folders_all() -> list[str]:
    return [f for _, folders, _ in LAYERS for f in folders]


def rank(module: str) -> int:
    return [name for name, _, _ in LAYERS].index(layer_of(module))


def upward(edges: dict[str, set[str]]) -> list[str]:
    out = []
    for m, targets in edges.items():
        for t in targets:
            if t == "wifimgr":          # the package itself: __version__
                continue
            if rank(t) > rank(m):
                out.append(f"{m} ({layer_of(m)}) imports {t} ({layer_of(t)})")
            if t.startswith("wifimgr.sim") and not m.startswith("wifimgr.sim") \
                    and not m.startswith(TWIN_IMPORTERS):
                out.append(f"{m} imports the twin {t} (only the composition root may)")
    return sorted(out)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_every_module_lives_in_a_layer_folder():
    loose = [m for m, p in modules().items()
             if p.parent == LIB / "wifimgr" and p.name != "__init__.py" and m not in TOP]
    assert not loose, f"modules loose at the top of lib/wifimgr: {loose}"
    present = {m.split(".")[1] for m in modules() if m.count(".") >= 1 and m not in TOP}
    assert present <= set(folders_all()), f"folders outside the table: {present - set(folders_all())}"


def test_imports_only_go_down():
    assert upward(imports(modules())) == []


def test_no_import_circle():
    assert circles(imports(modules())) == []


def unresolved(lib: Path = LIB) -> list[str]:
    """Imports of wifimgr modules or names that do not exist — lazy ones inside functions
    included, which nothing else finds before they run (a module that moved, a name that
    went)."""
    mods = modules(lib)
    defined: dict[str, set[str]] = {}

    def names_of(m: str) -> set[str]:
        if m not in defined:
            tree = ast.parse(mods[m].read_text(encoding="utf-8"))
            out: set[str] = set()
            for node in tree.body + [n for t in tree.body if isinstance(t, ast.If)
                                     for n in t.body + t.orelse]:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    out.add(node.name)
                elif isinstance(node, ast.Assign):
                    out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    out.add(node.target.id)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    out |= {(a.asname or a.name).split(".")[0] for a in node.names}
            defined[m] = out
        return defined[m]

    bad = []
    for m, node, mod in import_nodes(mods):
        if mod is None:
            bad += [f"{m}:{node.lineno} imports {a.name}, which does not exist"
                    for a in node.names
                    if a.name.startswith("wifimgr") and a.name not in mods]
            continue
        if not mod.startswith("wifimgr"):
            continue
        if mod not in mods:
            bad.append(f"{m}:{node.lineno} imports {mod}, which does not exist")
            continue
        for a in node.names:
            if f"{mod}.{a.name}" not in mods and a.name not in names_of(mod):
                bad.append(f"{m}:{node.lineno} imports {a.name} from {mod}, "
                           "which has no such name")
    return bad


def test_every_import_resolves():
    assert unresolved() == []


def test_an_upward_import_and_a_circle_are_caught(tmp_path):
    """Control: a copy of the tree with one parser importing the registry (upward) and the
    registry importing it back (a circle) fails both checks."""
    lib = tmp_path / "lib"
    shutil.copytree(LIB / "wifimgr", lib / "wifimgr",
                    ignore=shutil.ignore_patterns("__pycache__"))
    common = lib / "wifimgr" / "parse" / "common.py"
    common.write_text(common.read_text() + "\n\ndef _x():\n    from ..surface import api\n")
    found = upward(imports(modules(lib)))
    assert found == ["wifimgr.parse.common (parsers) imports wifimgr.surface.api (surface)"]
    assert any("wifimgr.parse.common" in c and "wifimgr.surface.api" in c
               for c in circles(imports(modules(lib))))
    twin = lib / "wifimgr" / "radios" / "scan.py"
    twin.write_text(twin.read_text() + "\n\ndef _y():\n    from ..sim import open_twin\n"
                    "    from .inventory import no_such_name\n    from .gone import x\n")
    assert any("imports the twin" in f for f in upward(imports(modules(lib))))
    assert [b.split(" ", 1)[1] for b in unresolved(lib)] == [
        "imports no_such_name from wifimgr.radios.inventory, which has no such name",
        "imports wifimgr.radios.gone, which does not exist"]


def test_architecture_doc_carries_the_same_table():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| ([a-z]+) \| ([^|]+) \|", doc, re.M)
    assert rows, "docs/architecture.md has no layer table"
    table = [(name, tuple(re.findall(r"`([a-z]+)/`", folders))) for _, name, folders in rows]
    assert table == [(name, folders) for name, folders, _ in LAYERS]
