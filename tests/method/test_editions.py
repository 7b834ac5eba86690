"""Earlier editions of the content pack (content/editions.yaml): a workbook made with one is read
as the pack's own; a workbook of any other pack is still refused.

The shipped edition is rebuilt from this one by putting back the texts it had (held here, as the
oracle of what changed): its hash must be the one listed, so that only those texts differ.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support.answers import write_inventory

from medrisk_xl import MedriskError, load_pack
from medrisk_xl.core.resources import shipped_content_dir
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.pack import check_pack
from medrisk_xl.validate import validate_file

# What the texts of the listed earlier edition were, where this edition changed them.
RISK_REMARK = {
    "fr": " Les couleurs de la matrice d'origine ont été perdues : cette grille est le choix retenu "
    "par défaut, modifiable par un pack de contenu propre au site.",
    "en": " The colours of the original matrix were lost: this grid is the adopted default and can be "
    "adjusted by a site content pack.",
}
FIRST_STEP = {
    "fr": "Allez dans l'onglet « {input} » : une ligne par dispositif.",
    "en": 'Go to the "{input}" sheet: one row per device.',
}


def _edit(root: Path, relpath: str, change) -> None:
    path = root / relpath
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def earlier_edition(tmp: Path) -> Path:
    """The shipped pack as its listed earlier edition was: the first step without the Protected
    View hint, the risk help with its remark on the source's colours."""
    root = tmp / "earlier"
    shutil.copytree(shipped_content_dir(), root)
    (root / "editions.yaml").unlink()
    for lang, remark in RISK_REMARK.items():
        _edit(root, f"{lang}/help.yaml", lambda d, r=remark: d["scales"].update(risk=d["scales"]["risk"] + r))

        def first_step(d: dict, step: str = FIRST_STEP[lang]) -> None:
            d["start"]["steps"][0] = step
            d["it_workbook"]["department"]["steps"][0] = step  # outside the hash, as it was

        _edit(root, f"{lang}/ui.yaml", first_step)
    return root


def test_the_listed_earlier_edition_differs_only_in_the_texts_said(tmp_path, pack):
    listed = yaml.safe_load((shipped_content_dir() / "editions.yaml").read_text(encoding="utf-8"))
    assert [e["hash"] for e in listed["earlier"]] == list(pack.earlier)
    assert load_pack(earlier_edition(tmp_path)).hash == pack.earlier[0] != pack.hash


def test_a_return_of_the_earlier_edition_validates_as_the_packs_own(tmp_path, pack):
    old = load_pack(earlier_edition(tmp_path))
    write_inventory(tmp_path / "inv.csv", {"Réanimation": 3})
    result = generate(
        tmp_path / "inv.csv", tmp_path / "c", Options(campaign="c", password="pw", split_by="none"), old
    )
    book = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    report = validate_file(book, pack)
    assert report.status == "valid", report.problems
    assert "other-content" not in {p.code for p in report.problems}
    # The same workbook against a pack that does not list that edition: another content pack.
    unlisted = tmp_path / "unlisted"
    shutil.copytree(shipped_content_dir(), unlisted)
    (unlisted / "editions.yaml").unlink()
    refused = validate_file(book, load_pack(unlisted))
    assert [p.code for p in refused.problems] == ["other-content"]


def test_a_listed_edition_that_is_not_a_hash_is_refused(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(shipped_content_dir(), root)
    _edit(root, "editions.yaml", lambda d: d["earlier"].append({"hash": "f83df82f375d", "changed": "x"}))
    problems = check_pack(root)
    assert [(p.code, p.file, p.path) for p in problems] == [
        ("bad-edition", "editions.yaml", "earlier[1].hash")
    ]
    with pytest.raises(MedriskError):
        load_pack(root)
