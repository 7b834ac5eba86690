"""Writing assessment workbooks (XlsxWriter): layout contract, formulas, sheets."""
