"""YAML with positions: `yaml.safe_load` semantics plus the line and column of every key and value.

Authors need errors that point at a line; PyYAML's plain loader forgets positions after parsing,
so we compose the node tree, build the data with the safe constructor, and keep a map from each
path inside the document to where it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ztlab.content.problems import Problem

PathKey = tuple[str | int, ...]


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


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_located(file: Path) -> tuple[LocatedDocument | None, list[Problem]]:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, 0, 0, f"is not UTF-8 text ({exc.reason} at byte {exc.start})", "a UTF-8 YAML file")]
    except OSError as exc:
        return None, [Problem(file, 0, 0, f"cannot be read: {exc.strerror}")]
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(file, 1, 1, "is empty", "a YAML mapping")]
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}: {what}"
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" (started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
            if "end of stream" in (exc.problem or ""):
                # An unclosed quote or bracket: where it opened is where the author must look.
                mark = exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, [Problem(file, line, col, f"YAML syntax error: {what}", "valid YAML; check indentation and quoting")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1, 1, f"YAML error: {exc}")]
    finally:
        loader.dispose()

    doc = LocatedDocument(file, data)
    problems: list[Problem] = []
    _walk(node, (), doc, problems)
    return doc, problems


def _walk(node: yaml.Node, path: PathKey, doc: LocatedDocument, problems: list[Problem]) -> None:
    doc.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = path + (key,)
            if key in seen:
                line, col = _mark(key_node)
                problems.append(
                    Problem(doc.file, line, col, f"duplicate key '{key}' (first at line {seen[key][0]})", "each key once")
                )
            seen[key] = _mark(key_node)
            doc.keys[child] = _mark(key_node)
            _walk(value_node, child, doc, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), doc, problems)
