"""Filling a DataTable only when its rows change.

Screens refresh whenever they are shown again; clearing and refilling a table each time throws
away its rendered cells (and its cursor) even when nothing changed, and the repaint was a large
part of switching back to Labs, Stats or Home.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable


def set_rows(table: DataTable, rows: Sequence[tuple], keys: Sequence[str] | None = None) -> bool:
    """Show `rows` (with row `keys`, if given); True when the table changed."""
    wanted = (list(rows), list(keys) if keys is not None else None)
    if getattr(table, "_shown_rows", None) == wanted:
        return False
    table.clear()
    for index, row in enumerate(wanted[0]):
        table.add_row(*row, key=keys[index] if keys is not None else None)
    table._shown_rows = wanted  # type: ignore[attr-defined]
    return True
