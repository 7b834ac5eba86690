"""What every layer shares: problems and errors, safe text, the matching rule of answers, atomic
files and output folders, the shipped data and the version. Imports nothing else of medrisk_xl."""
