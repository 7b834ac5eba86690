"""Opening and reading a returned workbook, .xlsx or .ods, through one checked path."""
