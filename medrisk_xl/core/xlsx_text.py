"""Texts written safely by XlsxWriter.

XlsxWriter writes a text that starts with ``<r>`` and ends with ``</r>`` without escaping it: it
takes it for rich-text XML it made itself. Such a text coming from an inventory or a return could
rewrite the file around its cell (other strings, other cells). :class:`SafeTextWorksheet` writes
it as a rich string of two runs in the cell's own format instead: shown, printed and read back
identical, escaped like any other text.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet


def rich_looking(text: object) -> bool:
    """A text XlsxWriter would write unescaped."""
    return isinstance(text, str) and text.startswith("<r>") and text.endswith("</r>")


class SafeTextWorksheet(Worksheet):
    """A worksheet that writes every text escaped (see the module's docstring)."""

    def _write_string(self, row, col, string, cell_format=None):  # XlsxWriter hook
        if not rich_looking(string):
            return super()._write_string(row, col, string, cell_format)
        if cell_format is None:
            return self._write_rich_string(row, col, "<", "r", string[2:])
        return self._write_rich_string(row, col, cell_format, "<", cell_format, string[1:], cell_format)
