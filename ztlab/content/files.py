"""Which files make up a content root. Kept apart from the loader so that finding (and hashing)
the files costs no YAML or pydantic import: a cached course is found without them."""

from __future__ import annotations

from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Not only regular files: a FIFO or device named *.yaml is refused by the loader with its name,
    # rather than skipped without a word.
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.is_dir())


def content_files(root: Path) -> list[tuple[str, Path]]:
    """(kind, file) for every content file under a root, or the root itself when it is one file."""
    if root.exists() and not root.is_dir():
        kind = {"lessons": "lesson", "flashcards": "deck"}.get(root.parent.name, "lab")
        return [(kind, root)]
    files = [("lesson", f) for f in _yaml_files(root / "lessons")]
    files += [("deck", f) for f in _yaml_files(root / "flashcards")]
    labs = root / "labs"
    if labs.is_dir():
        files += [("lab", d / "lab.yaml") for d in sorted(labs.iterdir())
                  if (d / "lab.yaml").exists() or (d / "lab.yaml").is_symlink()]
    return files
