"""YAML with positions: `yaml.safe_load` semantics plus the line and column of every key and value.

Authors need errors that point at a line; PyYAML's plain loader forgets positions after parsing,
so we compose the node tree, build the data with the safe constructor, and keep a map from each
path inside the document to where it was written.

Parsing uses libyaml (PyYAML's C loader) when present: the same data and the same marks as the
pure-Python loader, ten times faster (tests/content/test_located_yaml.py compares them on every
course file). Course files come from packs anyone can write, so every file is bounded before the
data exists: regular files only, at most MAX_FILE_BYTES, and a node graph (aliases expanded) of at
most MAX_NODES nodes and MAX_DEPTH levels. Aliases share nodes, so each node is walked once; a
350-byte "billion laughs" file is refused at its anchor instead of growing to gigabytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ztlab.content.problems import Problem
from ztlab.untrusted.files import FileRefused, MiB, describe_size, read_bytes_capped

PathKey = tuple[str | int, ...]

MAX_FILE_BYTES = 8 * MiB  # a 20,000-card deck is ~4 MB
MAX_NODES = 1_000_000  # keys, values and items, counting every alias expansion
MAX_DEPTH = 64  # the course nests about 10 levels deep

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LocatedDocument:
    file: Path
    data: Any
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: PathKey, *, of_key: bool = False) -> tuple[int, int]:
        """The closest known position for a path: the key itself, else the nearest parent."""
        table = self.keys if of_key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str, expected: str):
        self.node, self.message, self.expected = node, message, expected


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_located(file: Path) -> tuple[LocatedDocument | None, list[Problem]]:
    file = Path(file)
    try:
        raw = read_bytes_capped(file, MAX_FILE_BYTES)
    except FileRefused as exc:
        return None, [Problem(file, 0, 0, exc.reason, f"a YAML file of at most {describe_size(MAX_FILE_BYTES)}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, 0, 0, f"is not UTF-8 text ({exc.reason} at byte {exc.start})", "a UTF-8 YAML file")]
    return load_located_text(text, file)


def load_located_text(text: str, file: Path) -> tuple[LocatedDocument | None, list[Problem]]:
    """The same as load_located for text already read (`file` only names it in problems)."""
    loader = None
    try:
        # Inside the try: a NUL byte or other control character is refused while the loader reads.
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(file, 1, 1, "is empty", "a YAML mapping")]
        if not isinstance(node, yaml.ScalarNode):
            _check_size(node)
        data = loader.construct_document(node)
    except _TooBig as exc:
        line, col = _mark(exc.node)
        return None, [Problem(file, line, col, exc.message, exc.expected)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(file, exc)]
    except yaml.reader.ReaderError as exc:
        line, col = _text_position(text, exc.position)
        what = f"character {exc.character!r}" if isinstance(exc.character, str) else f"byte {exc.character!r}"
        return None, [Problem(file, line, col, f"YAML cannot hold {what}: {exc.reason}",
                              "printable text; remove control characters such as NUL")]
    except RecursionError:
        return None, [Problem(file, 1, 1, f"nests deeper than {MAX_DEPTH} levels", "a flatter document")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1, 1, f"YAML error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")]
    except (UnicodeEncodeError, ValueError) as exc:
        return None, [Problem(file, 1, 1, f"YAML error: {exc}")]
    finally:
        if loader is not None:
            loader.dispose()

    doc = LocatedDocument(file, data)
    problems: list[Problem] = []
    _walk(node, doc, problems)
    return doc, problems


def _syntax_problem(file: Path, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "invalid YAML"
    if exc.context:
        what = f"{exc.context}: {what}"
    if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        what += f" (started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        if "end of stream" in (exc.problem or ""):
            # An unclosed quote or bracket: where it opened is where the author must look.
            mark = exc.context_mark
    if "maximum nesting depth" in (exc.problem or ""):
        what = "nests too deeply (libyaml stops at 1000 levels)"
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return Problem(file, line, col, f"YAML syntax error: {what}", "valid YAML; check indentation and quoting")


def _text_position(text: str, position: int) -> tuple[int, int]:
    position = max(0, min(position, len(text)))
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, position - line_start + 1


def _check_size(root: yaml.Node) -> None:
    """Refuse recursive aliases and graphs over MAX_NODES or MAX_DEPTH, visiting each node once.

    Sizes are counted as the data will be used (an alias counts its whole target again), but each
    node's size is computed once and reused, so the walk is linear in the file, not in the expansion.
    """
    scalar = yaml.ScalarNode
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack[-1]
        key = id(node)
        if key in size:
            stack.pop()
            continue
        children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else node.value
        if key not in entered:
            entered.add(key)
            for child in children:
                if type(child) is not scalar and id(child) not in size:
                    if id(child) in entered:  # entered but unfinished: it is one of our own ancestors
                        raise _TooBig(child, "is a recursive alias (it contains itself)",
                                      "an alias to a value defined before it")
                    stack.append(child)
            continue
        stack.pop()
        total, deepest = 1, 0
        for child in children:
            if type(child) is scalar:
                total += 1
                deepest = deepest or 1
            else:
                total += size[id(child)]
                deepest = max(deepest, height[id(child)])
        size[key], height[key] = total, deepest + 1
        if total > MAX_NODES:
            raise _TooBig(node, f"expands to more than {MAX_NODES:,} values (aliases counted each time they are used)",
                          "a smaller document; split it or use fewer aliases")
        if deepest + 1 > MAX_DEPTH:
            raise _TooBig(node, f"nests deeper than {MAX_DEPTH} levels", "a flatter document")


def _walk(root: yaml.Node, doc: LocatedDocument, problems: list[Problem]) -> None:
    """Record where every path was written; a node reached again through an alias is not re-walked
    (its inner paths fall back to the alias's own position)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        doc.values[path] = _mark(node)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, tuple[int, int]] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else f"<{key_node.id} key>"
                child = path + (key,)
                where = _mark(key_node)
                if key in first:
                    problems.append(
                        Problem(doc.file, *where, f"duplicate key '{key}' (first at line {first[key][0]})", "each key once")
                    )
                else:
                    first[key] = where
                doc.keys[child] = where
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, path + (index,)) for index, item in enumerate(node.value))
