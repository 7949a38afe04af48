"""Loading a course's hidden-check modules: whole in the grader, probes only in the children.

A check module (`<course>/autograder/checks/test_<id>.py`) holds three kinds of top-level functions:
probes (`@probe`, run in the student's child), tests (`test_*`, run in the grader on the probes' data) and
stand-ins (`@stand_in`, the checks' own versions of earlier exercises' functions). The grader imports the
module whole, from the course folder, under a name that includes a digest of its text, so that two courses
(or two versions of one) never share a module. A child gets the *probe module*: the same text without tests
and stand-ins, so that student code finds neither the checks nor a ready-made answer in its memory; the
stand-ins an exercise needs arrive as cells of their own (`stand_in_cells`).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import sys
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

PACKAGE = "autograder_course_checks"


@dataclass(frozen=True)
class CheckModule:
    """One check module: its module name, the probe-only text children compile, and its stand-ins."""

    name: str
    path: Path
    probe_source: str
    stand_ins: tuple[tuple[int, str, str], ...]  # (exercise, function name, source)


def _is_stand_in(node: ast.AST) -> bool:
    for deco in getattr(node, "decorator_list", []):
        target = deco.func if isinstance(deco, ast.Call) else deco
        if getattr(target, "id", getattr(target, "attr", "")) == "stand_in":
            return True
    return False


def _stand_in_exercise(node: ast.FunctionDef) -> int:
    for deco in node.decorator_list:
        if isinstance(deco, ast.Call):
            for kw in deco.keywords:
                if kw.arg == "exercise" and isinstance(kw.value, ast.Constant):
                    return int(kw.value.value)
            if deco.args and isinstance(deco.args[0], ast.Constant):
                return int(deco.args[0].value)
    raise ValueError(f"stand-in {node.name} does not say its exercise: @stand_in(exercise=N)")


def _is_test(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")


@cache
def read_check_module(path: Path) -> CheckModule:
    """Parse a check module once per path and text."""
    text = path.read_text()
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    tree = ast.parse(text, filename=str(path))
    stand_ins = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and _is_stand_in(node):
            body = ast.FunctionDef(
                name=node.name,
                args=node.args,
                body=node.body,
                decorator_list=[],
                returns=None,
                type_comment=None,
                **({"type_params": []} if sys.version_info >= (3, 12) else {}),
            )
            source = ast.unparse(ast.fix_missing_locations(ast.Module([body], [])))
            stand_ins.append((_stand_in_exercise(node), node.name, source + "\n"))
    tree.body = [node for node in tree.body if not (_is_test(node) or _is_stand_in(node))]
    probe_source = ast.unparse(tree) + "\n"
    name = f"{PACKAGE}.{path.stem}_{digest}"
    return CheckModule(name, path.resolve(), probe_source, tuple(stand_ins))


def check_module_of(path: Path) -> CheckModule:
    return read_check_module(Path(path).resolve())


def _register_package() -> None:
    if PACKAGE not in sys.modules:
        package = ModuleType(PACKAGE)
        package.__path__ = []
        sys.modules[PACKAGE] = package


_LOADING = threading.Lock()
_LOADED: dict[str, ModuleType] = {}


def load_full(path: Path) -> ModuleType:
    """Import the whole check module (tests, probes, stand-ins) in the grader process, once, thread-safely."""
    module = check_module_of(path)
    with _LOADING:
        if module.name in _LOADED:
            return _LOADED[module.name]
        _register_package()
        spec = importlib.util.spec_from_file_location(module.name, module.path)
        loaded = importlib.util.module_from_spec(spec)
        sys.modules[module.name] = loaded
        try:
            spec.loader.exec_module(loaded)
        except BaseException:
            del sys.modules[module.name]
            raise
        _LOADED[module.name] = loaded
        return loaded


def load_probes(name: str, source: str) -> ModuleType:
    """The probe module in a child: the one preloaded by the fork server, or compiled from `source`."""
    if name in sys.modules:
        return sys.modules[name]
    _register_package()
    module = ModuleType(name)
    module.__dict__["__builtins__"] = __builtins__
    sys.modules[name] = module
    exec(compile(source, f"<probes {name.rsplit('.', 1)[-1]}>", "exec"), module.__dict__)
    return module


def preload_course(root: str | None) -> list[str]:
    """Compile the probe modules of the course at `root` (the fork server does this once)."""
    if not root:
        return []
    loaded = []
    for path in sorted((Path(root) / "autograder" / "checks").glob("test_*.py")):
        try:
            module = check_module_of(path)
            load_probes(module.name, module.probe_source)
            loaded.append(module.name)
        except Exception:  # noqa: BLE001 (a broken check module is reported by the grader, not here)
            continue
    return loaded
