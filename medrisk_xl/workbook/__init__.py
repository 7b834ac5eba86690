"""The workbook contract (:mod:`.contract`), its formulas and their Python twin, the dropdown
lists and the formula lint; writing a department workbook (:mod:`.write`) and reading a returned
one (:mod:`.read`) build on them and never on each other."""
