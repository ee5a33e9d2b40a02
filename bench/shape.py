"""
Code-shape figures for `make bench`: how many views there are and how long.

A view is a top-level function (`def` or `async def` directly in a module)
of journeymap/, research/ or maps/ whose first parameter is named `request`
and whose name does not start with `_`. Methods, nested functions and
private helpers are not views. Directories named tests, migrations, bench or
.venv are skipped. A view's length is the number of lines from its `def` line
to its last line; decorators above the `def` do not count, a trailing comment
after the last statement does not either (ast ends a function there).

    python -m bench.shape          # one JSON line
    python -m bench.shape -v       # and the views over 30 lines, longest first
    python -m bench.shape -v ROOT  # another checkout (e.g. a git worktree)
"""

import ast
import json
import sys
from pathlib import Path
from typing import NamedTuple

PACKAGES = ("journeymap", "research", "maps")
SKIPPED = frozenset({"tests", "migrations", "bench", ".venv", "__pycache__"})
LONG = 30
ROOT = Path(__file__).resolve().parent.parent


class View(NamedTuple):
    path: str  # relative to the root, with forward slashes
    line: int  # of the `def`
    name: str
    lines: int


def python_files(root: Path, packages=PACKAGES):
    """The .py files under root/<package> for each package, in a fixed order."""
    for package in packages:
        base = root / package
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED.isdisjoint(relative.parts[:-1]):
                yield path


def _first_parameter(node) -> str | None:
    positional = [*node.args.posonlyargs, *node.args.args]
    return positional[0].arg if positional else None


def views_in(source: str, path: str = "<string>") -> list[View]:
    """The views defined at the top level of one module's source."""
    tree = ast.parse(source, filename=path)
    return [
        View(path, node.lineno, node.name, node.end_lineno - node.lineno + 1)
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and _first_parameter(node) == "request"
    ]


def views(root: Path = ROOT, packages=PACKAGES) -> list[View]:
    found = []
    for path in python_files(root, packages):
        relative = path.relative_to(root).as_posix()
        found.extend(views_in(path.read_text(encoding="utf-8"), relative))
    return found


def longest_first(found: list[View]) -> list[View]:
    """Longest first; among equals, in path and line order (stable)."""
    return sorted(found, key=lambda v: -v.lines)


def figures(root: Path = ROOT, packages=PACKAGES) -> dict:
    """The four keys `make bench` adds to its JSON line."""
    found = views(root, packages)
    ranked = longest_first(found)
    longest = ranked[0] if ranked else None
    return {
        "views": len(found),
        "views_over_30": sum(v.lines > LONG for v in found),
        "longest_view": longest.name if longest else None,
        "longest_view_lines": longest.lines if longest else 0,
    }


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    rest = [a for a in args if a != "-v"]
    if len(rest) > 1 or any(a.startswith("-") for a in rest):
        raise SystemExit("usage: python -m bench.shape [-v] [ROOT]")
    root = Path(rest[0]).resolve() if rest else ROOT
    print(json.dumps(figures(root)))
    if verbose:
        for view in longest_first(views(root)):
            if view.lines > LONG:
                print(f"{view.lines:4d}  {view.path}:{view.line}  {view.name}")


if __name__ == "__main__":
    main()
