"""Content packs: the shipped facts, and one broken pack per kind of problem."""

from __future__ import annotations

import pytest
from support.packs import problems_of, set_key

from medrisk_xl import load_pack
from medrisk_xl.method.checks.pack_files import LANGUAGE_FILES
from medrisk_xl.method.pack import check_pack

SEED_CRITERIA_FR = {
    # code: (group, first answer, last answer) as in the seed (IDS213, DOI 10.34746/ids213)
    "C1": ("BIOMED", "I : faible degré de risque", "III : degré de risque très sérieux"),
    "C2": ("BIOMED", "Équipement neuf", "Équipement à renouveler/réformer"),
    "C3": ("BIOMED", "Défaillance exceptionnelle", "Défaillance fréquente"),
    "C4": ("BIOMED", "Facilement détectable", "Indétectable, aucun signe avant-coureur"),
    "C5": (
        "BIOMED",
        "Délai court, dispositif de remplacement disponible",
        "Délai très long et absence de dispositif de remplacement",
    ),
    "C6": (
        "USER",
        "Usage en service de soins ou HAD à risque faible",
        "Usage en service de soins ou HAD à risque élevé",
    ),
    "C7": ("USER", "Dernière génération", "Totalement obsolète"),
    "C8": (
        "USER",
        "Compatible avec un fonctionnement continu",
        "Inopérant en cas de défaut de l'environnement technique",
    ),
    "C9": ("USER", "Aucune répercussion", "Répercussions graves sur la continuité des soins"),
}


def test_shipped_pack_is_valid():
    assert check_pack() == []


def test_shipped_method_facts(pack):
    m = pack.method
    assert m.criterion_codes == tuple(SEED_CRITERIA_FR)
    assert all(c.points == (1, 2, 3, 4) for c in m.criteria)
    assert m.criticality_range == (9, 36)
    assert [(b.level, b.min, b.max) for b in m.criticality_levels] == [(1, 0, 12), (2, 13, 24), (3, 25, 36)]
    assert m.items == tuple(f"V{i}" for i in range(1, 11))
    assert [(a.code, a.points, a.compliant, a.flag) for a in m.vuln_answers] == [
        ("YES", 0, True, False),
        ("NO", 1, False, False),
        ("UNKNOWN", 1, False, True),
    ]
    assert [(b.level, b.min, b.max) for b in m.vulnerability_levels] == [(1, 0, 2), (2, 3, 5), (3, 6, 10)]
    assert {src["reference"] for src in m.sources} >= {"DOI 10.34746/ids213"}


def test_french_labels_follow_the_seed(pack):
    fr = pack.language("fr")
    for code, (group, first, last) in SEED_CRITERIA_FR.items():
        assert pack.method.criterion(code).group == group
        labels = fr.answer_labels(code)
        assert (len(labels), labels[0], labels[-1]) == (4, first, last)
    assert fr.answer_labels("V1") == ["OUI", "NON", "NE SAIT PAS"]
    assert fr.labels["risk"]["levels"] == {
        1: "Risque acceptable (simple surveillance nécessaire)",
        2: "Risque modéré (niveau d'action conseillé)",
        3: "Risque fort (niveau d'action prioritaire)",
    }
    assert fr.labels["criticality"]["groups"] == {
        "BIOMED": "Service biomédical",
        "USER": "Service utilisateur",
    }


def test_languages_carry_the_same_texts(pack):
    fr, en = pack.language("fr"), pack.language("en")
    assert set(fr.help["criticality"]) == set(en.help["criticality"])
    assert (
        set(fr.actions["themes"])
        == set(en.actions["themes"])
        == {
            "INVENTORY",
            "BACKUP",
            "UPDATES",
            "SAFE_USE",
            "SECURITY_TOOLS",
            "PASSWORDS",
            "MOBILITY",
            "INCIDENT",
            "THIRD_PARTIES",
        }
    )
    for level in (1, 2, 3):
        for theme in fr.actions["themes"]:
            assert len(fr.actions["plans"][level]["themes"][theme]) == len(
                en.actions["plans"][level]["themes"][theme]
            )
    for code in pack.method.codes:
        assert len(fr.short_help(code)) <= 400 and len(en.short_help(code)) <= 400
        assert len(fr.long_help(code)) > len(fr.short_help(code))


def test_action_plans_grow_with_risk(pack):
    for lang in pack.languages.values():
        plans = lang.actions["plans"]
        for theme in lang.actions["themes"]:
            counts = [len(plans[level]["themes"][theme]) for level in (1, 2, 3)]
            assert counts == sorted(counts), (lang.code, theme, counts)
        assert sum(len(a) for a in plans[3]["themes"].values()) > sum(
            len(a) for a in plans[1]["themes"].values()
        )


@pytest.mark.parametrize(
    ("file", "change", "code", "where"),
    [
        (
            "method.yaml",
            set_key(["criticality", "levels", 1, "min"], 14),
            "threshold-gap",
            "criticality.levels[1].min",
        ),
        (
            "method.yaml",
            set_key(["criticality", "levels", 1, "min"], 12),
            "threshold-overlap",
            "criticality.levels[1].min",
        ),
        (
            "method.yaml",
            set_key(["criticality", "levels", 2, "max"], 30),
            "threshold-gap",
            "criticality.levels[2].max",
        ),
        (
            "method.yaml",
            set_key(["vulnerability", "levels", 0, "min"], 1),
            "threshold-gap",
            "vulnerability.levels[0].min",
        ),
        (
            "method.yaml",
            set_key(["vulnerability", "levels", 2, "min"], 7),
            "threshold-gap",
            "vulnerability.levels[2].min",
        ),
        (
            "method.yaml",
            set_key(["criticality", "levels", 0, "level"], 0),
            "bad-levels",
            "criticality.levels",
        ),
        ("method.yaml", lambda d: d["risk"]["matrix"][2].pop(3), "bad-matrix", "risk.matrix.2.3"),
        ("method.yaml", lambda d: d["risk"]["matrix"].pop(3), "bad-matrix", "risk.matrix.3"),
        ("method.yaml", set_key(["risk", "matrix", 1, 1], 4), "bad-matrix", "risk.matrix.1.1"),
        (
            "method.yaml",
            lambda d: d["risk"]["matrix"].update({4: {1: 1, 2: 2, 3: 3}}),
            "bad-matrix",
            "risk.matrix.4",
        ),
        (
            "method.yaml",
            set_key(["criticality", "criteria", 2, "points"], [1, 2, 3]),
            "bad-answers",
            "criticality.criteria[2].points",
        ),
        (
            "method.yaml",
            set_key(["criticality", "criteria", 2, "points"], [1, 3, 2, 4]),
            "bad-answers",
            "criticality.criteria[2].points",
        ),
        (
            "method.yaml",
            set_key(["criticality", "criteria", 3, "code"], "C3"),
            "duplicate-code",
            "criticality.criteria",
        ),
        (
            "method.yaml",
            set_key(["criticality", "groups", 0, "criteria"], ["C1", "C2"]),
            "bad-groups",
            "criticality.groups",
        ),
        ("method.yaml", set_key(["colour"], "red"), "unknown-key", "colour"),
        ("method.yaml", lambda d: d.pop("risk"), "missing-key", "risk"),
        (
            "method.yaml",
            set_key(["vulnerability", "answers", 0, "code"], True),
            "wrong-type",
            "vulnerability.answers[0].code",
        ),
        (
            "fr/labels.yaml",
            lambda d: d["criticality"]["criteria"].pop("C7"),
            "missing-code",
            "criticality.criteria.C7",
        ),
        (
            "fr/labels.yaml",
            set_key(
                ["criticality", "criteria", "C10"],
                {"title": "x", "short": "x", "answers": ["a", "b", "c", "d"]},
            ),
            "unknown-code",
            "criticality.criteria.C10",
        ),
        (
            "en/labels.yaml",
            lambda d: d["vulnerability"]["items"].pop("V10"),
            "missing-code",
            "vulnerability.items.V10",
        ),
        (
            "fr/labels.yaml",
            lambda d: d["criticality"]["criteria"]["C4"]["answers"].pop(),
            "bad-answers",
            "criticality.criteria.C4.answers",
        ),
        (
            "fr/labels.yaml",
            set_key(["criticality", "criteria", "C1", "title"], "  "),
            "missing-text",
            "criticality.criteria.C1.title",
        ),
        (
            "en/labels.yaml",
            set_key(["criticality", "criteria", "C1", "tooltip"], "x"),
            "unknown-key",
            "criticality.criteria.C1.tooltip",
        ),
        ("fr/help.yaml", lambda d: d["vulnerability"].pop("V3"), "missing-code", "vulnerability.V3"),
        (
            "fr/help.yaml",
            set_key(["criticality", "C2", "short"], "x" * 401),
            "text-too-long",
            "criticality.C2.short",
        ),
        ("en/help.yaml", set_key(["criticality", "C2", "long"], None), "missing-text", "criticality.C2.long"),
        ("en/actions.yaml", lambda d: d["themes"].pop("MOBILITY"), "missing-code", "themes.MOBILITY"),
        ("en/actions.yaml", lambda d: d["plans"].pop(3), "missing-code", "plans.3"),
        ("fr/actions.yaml", lambda d: d["items"].pop("V9"), "missing-code", "items.V9"),
        ("en/labels.yaml", set_key(["language"], "fr"), "bad-language", "language"),
        (
            "fr/labels.yaml",
            set_key(["vulnerability", "aliases", "NO"], ["OUI"]),
            "ambiguous-label",
            "vulnerability",
        ),
    ],
)
def test_broken_pack_reports_file_and_key_path(edit_pack, file, change, code, where):
    root = edit_pack(file, change)
    problems = problems_of(root)
    assert any(p.code == code and p.file.endswith(file) and p.path == where for p in problems), problems


def test_themes_must_agree_across_languages(edit_pack):
    def rename(d):
        d["themes"]["BACKUPS"] = d["themes"].pop("BACKUP")
        for plan in d["plans"].values():
            plan["themes"]["BACKUPS"] = plan["themes"].pop("BACKUP")

    problems = problems_of(edit_pack("en/actions.yaml", rename))
    assert {(p.file, p.path) for p in problems} == {
        ("en/actions.yaml", "themes.BACKUP"),
        ("en/actions.yaml", "themes.BACKUPS"),
    }


def test_every_problem_is_reported_at_once(edit_pack):
    edit_pack("method.yaml", set_key(["criticality", "levels", 1, "min"], 15))
    edit_pack("method.yaml", set_key(["risk", "matrix", 3, 3], 9))
    root = edit_pack("fr/help.yaml", lambda d: d["criticality"].pop("C9"))
    codes = {p.code for p in problems_of(root)}
    assert {"threshold-gap", "bad-matrix", "missing-code"} <= codes


def test_malformed_and_missing_files(pack_copy):
    (pack_copy / "fr" / "help.yaml").write_text("criticality: [unclosed\n", encoding="utf-8")
    (pack_copy / "en" / "actions.yaml").unlink()
    (pack_copy / "en" / "labels.yaml").write_text("language: en\nname: A\nname: B\n", encoding="utf-8")
    problems = problems_of(pack_copy)
    found = {(p.file, p.code) for p in problems}
    assert {
        ("fr/help.yaml", "bad-yaml"),
        ("en/actions.yaml", "missing-file"),
        ("en/labels.yaml", "bad-yaml"),
    } <= found
    assert any("line" in p.message for p in problems if p.code == "bad-yaml")
    assert any("duplicate key" in p.message for p in problems if p.file == "en/labels.yaml")


def test_missing_directory(tmp_path):
    problems = check_pack(tmp_path / "nope")
    assert [p.code for p in problems] == ["missing-file"]


def test_site_pack_with_other_thresholds_and_a_new_language(edit_pack, pack_copy):
    """A site may move thresholds, change the matrix and add a language."""
    import shutil

    edit_pack(
        "method.yaml",
        set_key(
            ["criticality", "levels"],
            [
                {"level": 1, "min": 0, "max": 15},
                {"level": 2, "min": 16, "max": 27},
                {"level": 3, "min": 28, "max": 36},
            ],
        ),
    )
    edit_pack("method.yaml", set_key(["risk", "matrix", 1, 3], 3))
    shutil.copytree(pack_copy / "en", pack_copy / "de")
    for name in LANGUAGE_FILES:
        edit_pack(f"de/{name}", set_key(["language"], "de"))
    site = load_pack(pack_copy)
    assert set(site.languages) == {"fr", "en", "de"}
    assert site.method.criticality_level(15) == 1 and site.method.risk_level(1, 3) == 3
    assert site.hash != load_pack().hash


def test_content_hash_covers_what_department_workbooks_hold(edit_pack, pack_copy):
    """Rewording the consolidated workbook keeps the hash (returns of a running campaign stay
    readable after an upgrade); any text a department workbook holds changes it."""
    shipped = load_pack().hash
    edit_pack("fr/ui.yaml", set_key(["consolidated", "action_status", 0], "A faire"))
    assert load_pack(pack_copy).hash == shipped
    edit_pack("en/help.yaml", set_key(["language"], "en"))  # rewritten, same data: same hash
    assert load_pack(pack_copy).hash == shipped
    edit_pack("fr/ui.yaml", set_key(["plans", "discuss"], "À décider"))
    assert load_pack(pack_copy).hash != shipped
