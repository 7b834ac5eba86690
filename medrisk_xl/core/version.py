"""The version of medrisk-xl, recorded in every file it writes (workbooks, maps, the history)."""

__version__ = "0.1.0"
