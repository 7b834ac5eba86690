"""``python -m medrisk_xl`` runs the CLI."""

from medrisk_xl.cli import main

main()
