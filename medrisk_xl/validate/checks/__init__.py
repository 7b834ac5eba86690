"""The checks of a returned workbook, one module per part; :func:`check_workbook` runs them all."""

from medrisk_xl.validate.checks.workbook_parts import check_workbook

__all__ = ["check_workbook"]
