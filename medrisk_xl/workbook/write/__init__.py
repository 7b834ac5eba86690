"""Writing a department workbook: the input sheet or forms, the reading sheets, the register."""
