"""The located loader parses with libyaml; on every course file it must give exactly what PyYAML's
pure-Python loader gives: the same data and the same line and column for every key and value."""

from __future__ import annotations

import yaml

from ztlab.content.loader import content_files
from ztlab.content.located_yaml import load_located
from tests.conftest import REPO_ROOT


def _pure_marks(text: str):
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    values, keys, stack = {}, {}, [(root, ())]
    while stack:
        node, path = stack.pop()
        values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                keys[path + (key_node.value,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                stack.append((value, path + (key_node.value,)))
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, path + (i,)) for i, item in enumerate(node.value)]
    return values, keys


def test_every_course_file_loads_with_the_pure_loaders_data_and_marks():
    files = [file for _, file in content_files(REPO_ROOT)]
    assert len(files) > 40
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the course loads ten times slower"
    for file in files:
        text = file.read_text(encoding="utf-8")
        doc, problems = load_located(file)
        assert problems == [], file
        assert doc.data == yaml.safe_load(text), file
        assert (doc.values, doc.keys) == _pure_marks(text), file
