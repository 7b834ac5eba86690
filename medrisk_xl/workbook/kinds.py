"""The ``kind`` pair that the ``_meta`` sheet of each medrisk-xl output holds, so that a file given
where another is expected (a consolidated map saved into the returns folder) is named for what it
is. A department workbook has no ``kind`` (its schema version says it is one); an IT workbook's is
:data:`medrisk_xl.workbook.it_contract.KIND`."""

from __future__ import annotations

KIND_KEY = "kind"  # column A of _meta
CONSOLIDATED_KIND = "medrisk-xl consolidated workbook"  # written by consolidate
COMPARE_KIND = "medrisk-xl compare workbook"  # written by compare -o
