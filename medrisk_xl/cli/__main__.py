"""``python -m medrisk_xl.cli`` runs the CLI, as ``python -m medrisk_xl`` does."""

from medrisk_xl.cli import main

main()
