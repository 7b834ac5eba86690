"""Locate the data shipped with the package (content packs, templates)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # medrisk_xl/


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name  # inside a wheel (see pyproject force-include)
    if installed.is_dir():
        return installed
    source = _PACKAGE.parent / name  # source checkout or editable install
    if source.is_dir():
        return source
    raise FileNotFoundError(f"medrisk-xl installation is missing its {name!r} data directory")


def shipped_content_dir() -> Path:
    """Directory of the shipped content pack (method.yaml + one folder per language)."""
    return _data_dir("content")


def templates_dir() -> Path:
    """Directory of the shipped workbook templates (layout and styles as data)."""
    return _data_dir("templates")
