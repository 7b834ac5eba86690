"""The risk register as data (register.yaml): the shipped grid against the seed's worked examples,
and one broken pack per kind of register problem.

Source: GOST R 56839-2015 / IEC/TR 80001-2-1:2012 (seed 003). Its Annex D.3 grid was lost in the
extracted text; the worked examples of 6.2 and 8.2–8.5 state eight (severity, probability) ->
level pairs, which the adopted default grid must reproduce.

A site pack may change the grid (the responsible organisation sets its own risk levels in advance,
7.4.5): it is still checked for completeness and monotonicity. The seed's examples are checked
only while the pack keeps ``examples:`` in its register.yaml; the shipped pack keeps them, so the
shipped grid always reproduces them. A site whose policy departs from the seed's examples removes
``examples:``, an explicit act that ``content check`` then no longer second-guesses.
"""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner
from support.packs import problems_of, set_key

from medrisk_xl import load_pack
from medrisk_xl.cli import cli
from medrisk_xl.method.pack import check_pack

# (severity, probability) -> level as the seed states them, with the section and the lines of the
# seed's text (003_a0baf460c9e0e3d2.txt) where the first statement of each pair stands.
SEED_PAIRS = {
    ("low", "occasional"): (2, "6.2", "548-554"),  # scalpel, initial: low / occasional -> moderate
    ("low", "remote"): (1, "6.2", "572-576"),  # scalpel, residual: remote, "now acceptable"
    ("catastrophic", "remote"): (3, "8.2", "1306"),
    ("medium", "improbable"): (1, "8.2", "1328"),
    ("low", "probable"): (2, "8.3", "1430"),
    ("medium", "remote"): (2, "8.3", "1434"),
    ("low", "improbable"): (1, "8.4", "1578"),
    ("high", "occasional"): (2, "8.5", "2174"),
}
SEVERITIES = ("negligible", "low", "medium", "high", "catastrophic")
PROBABILITIES = ("improbable", "remote", "occasional", "probable", "frequent")


def test_shipped_scales_and_levels(pack):
    reg = pack.register
    assert reg.severities == SEVERITIES and reg.probabilities == PROBABILITIES
    assert reg.levels == (("low", 1), ("medium", 2), ("high", 3))
    assert [s.code for s in reg.steps] == [
        "identify_hazards",
        "causes_situations",
        "consequences_severity",
        "probability",
        "evaluate",
        "controls",
        "implement",
        "verify",
        "new_risks",
        "residual",
    ]
    assert [s.section for s in reg.steps] == [f"7.4.{i}" for i in range(1, 11)]
    assert [c.code for c in reg.control_types] == [
        "inherent_safety",
        "protective_measures",
        "information_for_safety",
    ]
    assert {s["reference"] for s in reg.sources} == {"GOST R 56839-2015 / IEC/TR 80001-2-1:2012"}


def test_shipped_grid_reproduces_the_eight_seed_pairs(pack):
    reg = pack.register
    assert len(reg.grid) == 25
    for (severity, probability), (level, section, _lines) in SEED_PAIRS.items():
        assert reg.level(severity, probability) == level, (section, severity, probability)
    stated = {(e.severity, e.probability): (e.level, e.section) for e in reg.examples}
    assert stated == {pair: (level, section) for pair, (level, section, _) in SEED_PAIRS.items()}
    assert reg.level_code(reg.level("catastrophic", "remote")) == "high"


def test_shipped_grid_never_falls(pack):
    reg = pack.register
    for s in SEVERITIES:
        row = [reg.level(s, p) for p in PROBABILITIES]
        assert row == sorted(row), s
    for p in PROBABILITIES:
        col = [reg.level(s, p) for s in SEVERITIES]
        assert col == sorted(col), p
    assert reg.level("negligible", "improbable") == 1 and reg.level("catastrophic", "frequent") == 3


def test_no_threshold_on_a_sum_or_product_fits_the_seed_pairs():
    """Why the grid is data: ranking pairs by the sum (or product) of their ranks, some pair with
    a higher score has a lower level than another, so no thresholds on the score give the seed's
    levels (for the sum, 7 is both high and medium; for the product, 10 is high and 12 medium)."""
    rank = lambda scale, code: scale.index(code) + 1  # noqa: E731
    for combine in (lambda a, b: a + b, lambda a, b: a * b):
        scored = [
            (combine(rank(SEVERITIES, s), rank(PROBABILITIES, p)), level)
            for (s, p), (level, _, _) in SEED_PAIRS.items()
        ]
        assert any(sa >= sb and la < lb for (sa, la), (sb, lb) in itertools.permutations(scored, 2))


def test_register_library_and_seeding(pack):
    reg = pack.register
    hazards = {h.code for h in reg.hazards}
    causes = {c.code for c in reg.causes}
    assert {"COMPLETE_LINK_LOSS", "UNAUTHORIZED_ACCESS", "DEVICE_FUNCTION_LOSS"} <= hazards
    assert {"CONGESTION", "MALWARE", "EMI", "POWER_LOSS", "WIRELESS_INTERCEPTION"} <= causes
    assert reg.hazard("INTERMITTENT_LINK").parent == "DATA_LOSS"
    assert reg.hazard("LOSS_OF_FUNCTION").parent is None
    assert all(h.section.startswith("A.") for h in reg.hazards)
    assert set(reg.seeding) == set(pack.method.items)
    for item, seed in reg.seeding.items():
        assert seed.hazard in hazards and seed.cause in causes, item
    assert reg.seeding["V4"].cause == "WIRELESS_INTERCEPTION"
    assert [q.section for q in reg.questions] == [f"B {x})" for x in "abcdef"]
    fields = {f.code: f for f in reg.change_form}
    assert {
        "requester",
        "change_type",
        "affected_systems",
        "affected_departments",
        "clinical_impact",
        "implementation_plan",
        "backout_plan",
        "verification",
    } <= set(fields)
    assert fields["clinical_impact"].kind == "yes_no"
    assert fields["change_type"].options == ("hardware", "software")


def test_both_languages_carry_the_register_texts(pack):
    fr, en = pack.language("fr").register, pack.language("en").register
    for key in ("steps", "severity", "probability", "levels", "hazards", "causes", "situations", "questions"):
        assert list(fr[key]) == list(en[key]), key
    assert fr["probability"]["remote"]["label"] == "Peu probable"
    assert en["probability"]["remote"]["label"] == "Remote"
    assert set(fr["severity"]["catastrophic"]) == {"label", "safety", "effectiveness", "security"}
    assert fr["levels"]["high"]["label"] == "Élevé" and "ALARP" in en["levels"]["medium"]["meaning"]
    assert fr["control_types"]["inherent_safety"]["label"] == "Sécurité intrinsèque par la conception"


def _pop(path):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node.pop(path[-1])

    return change


@pytest.mark.parametrize(
    ("file", "change", "code", "where"),
    [
        # the grid falls as probability rises (high: occasional 2, probable 1)
        ("register.yaml", set_key(["grid", "high", "probable"], 1), "grid-falls", "grid.high.probable"),
        # ... and as severity rises (frequent: high 3, catastrophic 2)
        (
            "register.yaml",
            set_key(["grid", "catastrophic", "frequent"], 2),
            "grid-falls",
            "grid.catastrophic.frequent",
        ),
        # 8.5 states (high, occasional) -> medium
        (
            "register.yaml",
            set_key(["grid", "high", "occasional"], 3),
            "grid-contradicts-example",
            "grid.high.occasional",
        ),
        ("register.yaml", _pop(["grid", "low", "frequent"]), "bad-grid", "grid.low.frequent"),
        ("register.yaml", _pop(["grid", "medium"]), "bad-grid", "grid.medium"),
        ("register.yaml", set_key(["grid", "low", "remote"], 4), "bad-grid", "grid.low.remote"),
        ("register.yaml", set_key(["grid", "low", "sometimes"], 1), "bad-grid", "grid.low.sometimes"),
        ("register.yaml", lambda d: d["levels"].pop(), "bad-levels", "levels"),
        ("register.yaml", lambda d: d["severity"].pop(0), "bad-scale", "severity"),
        ("register.yaml", set_key(["severity", 1], "negligible"), "duplicate-code", "severity"),
        ("register.yaml", set_key(["seeding", "V4", "hazard"], "WIFI"), "unknown-code", "seeding.V4.hazard"),
        ("register.yaml", set_key(["seeding", "V9", "cause"], "PATCH"), "unknown-code", "seeding.V9.cause"),
        ("register.yaml", _pop(["seeding", "V10"]), "missing-code", "seeding.V10"),
        (
            "register.yaml",
            set_key(["seeding", "V11"], {"hazard": "DATA_LOSS", "cause": "EMI"}),
            "unknown-code",
            "seeding.V11",
        ),
        ("register.yaml", set_key(["hazards", 2, "parent"], "NOPE"), "unknown-code", "hazards[2].parent"),
        ("register.yaml", set_key(["hazards", 0, "parent"], "DATA_LOSS"), "bad-parent", "hazards[0].parent"),
        (
            "register.yaml",
            set_key(["causes", 0, "hazards", 0], "NOPE"),
            "unknown-code",
            "causes[0].hazards[0]",
        ),
        ("register.yaml", set_key(["causes", 1, "code"], "CONGESTION"), "duplicate-code", "causes"),
        (
            "register.yaml",
            set_key(["examples", 0, "severity"], "minor"),
            "unknown-code",
            "examples[0].severity",
        ),
        ("register.yaml", set_key(["examples", 7, "stage"], "final"), "unknown-code", "examples[7].stage"),
        ("register.yaml", lambda d: d["change_form"][1].pop("options"), "bad-field", "change_form[1]"),
        ("register.yaml", set_key(["change_form", 0, "kind"], "memo"), "bad-field", "change_form[0].kind"),
        ("register.yaml", _pop(["grid"]), "missing-key", "grid"),
        ("register.yaml", set_key(["steps", 0, "section"], ""), "missing-text", "steps[0].section"),
        ("en/register.yaml", _pop(["causes", "PUBLIC_DISPLAY"]), "missing-code", "causes.PUBLIC_DISPLAY"),
        ("fr/register.yaml", _pop(["hazards", "DATA_TIMING"]), "missing-code", "hazards.DATA_TIMING"),
        (
            "fr/register.yaml",
            set_key(["steps", "report"], {"title": "x", "produces": "y"}),
            "unknown-code",
            "steps.report",
        ),
        ("en/register.yaml", _pop(["severity", "high", "security"]), "missing-key", "severity.high.security"),
        ("fr/register.yaml", _pop(["levels", "medium"]), "missing-code", "levels.medium"),
        (
            "en/register.yaml",
            _pop(["change_form", "fields", "change_type", "options", "software"]),
            "missing-code",
            "change_form.fields.change_type.options.software",
        ),
        (
            "fr/register.yaml",
            set_key(["change_form", "fields", "downtime", "options"], {"a": "b"}),
            "unknown-key",
            "change_form.fields.downtime.options",
        ),
        ("en/register.yaml", set_key(["language"], "fr"), "bad-language", "language"),
    ],
)
def test_broken_register_reports_file_and_key_path(edit_pack, file, change, code, where):
    root = edit_pack(file, change)
    problems = problems_of(root)
    assert any(p.code == code and p.file == file and p.path == where for p in problems), problems


def test_a_contradicted_example_names_its_section_and_pair(edit_pack):
    problems = problems_of(edit_pack("register.yaml", set_key(["grid", "catastrophic", "remote"], 2)))
    (problem,) = [p for p in problems if p.code == "grid-contradicts-example"]
    assert problem.file == "register.yaml" and problem.path == "grid.catastrophic.remote"
    assert "section 8.2" in problem.message and "(catastrophic, remote) → 3" in problem.message
    assert "the grid gives 2" in problem.message and "examples[2]" in problem.message


def test_missing_register_files(pack_copy):
    (pack_copy / "register.yaml").unlink()
    (pack_copy / "en" / "register.yaml").unlink()
    found = {(p.file, p.code) for p in problems_of(pack_copy)}
    assert {("register.yaml", "missing-file"), ("en/register.yaml", "missing-file")} <= found


def test_register_problems_come_with_the_method_problems(edit_pack):
    edit_pack("method.yaml", set_key(["criticality", "levels", 1, "min"], 15))
    edit_pack("register.yaml", set_key(["grid", "high", "probable"], 1))
    root = edit_pack("fr/register.yaml", _pop(["causes", "EMI"]))
    codes = {p.code for p in problems_of(root)}
    assert {"threshold-gap", "grid-falls", "missing-code"} <= codes


def _rows(grid):
    return {s: dict(row) for s, row in grid.items()}


def test_site_pack_may_change_the_grid(edit_pack, pack_copy):
    """A cell no example states may move, as long as the grid never falls."""
    edit_pack("register.yaml", set_key(["grid", "negligible", "frequent"], 1))
    site = load_pack(pack_copy)
    assert site.register.level("negligible", "frequent") == 1
    assert site.register.level("low", "probable") == 2
    assert site.hash != load_pack().hash


def test_site_grid_departing_from_the_seed_drops_its_examples(edit_pack, pack_copy):
    """Kept examples are checked; without them a stricter site grid is valid, but still monotonic."""
    edit_pack("register.yaml", set_key(["grid", "high", "occasional"], 3))
    assert {p.code for p in check_pack(pack_copy)} == {"grid-contradicts-example"}
    edit_pack("register.yaml", _pop(["examples"]))
    site = load_pack(pack_copy)
    assert site.register.examples == () and site.register.level("high", "occasional") == 3
    edit_pack("register.yaml", set_key(["grid", "high", "probable"], 2))
    assert {(p.code, p.path) for p in check_pack(pack_copy)} == {("grid-falls", "grid.high.probable")}


def test_cells_the_seed_leaves_open(pack):
    """The eight pairs and monotonicity pin 15 cells; the other 10 are the project's choices
    (README, "Content packs"), each within the range the pairs leave open."""
    reg = pack.register
    free = set()
    for (i, s), (j, p) in itertools.product(enumerate(SEVERITIES), enumerate(PROBABILITIES)):
        below = [lv for (s2, p2), (lv, _, _) in SEED_PAIRS.items() if _le(s2, p2, i, j)]
        above = [lv for (s2, p2), (lv, _, _) in SEED_PAIRS.items() if _le_rev(s2, p2, i, j)]
        lo, hi = max(below, default=1), min(above, default=3)
        assert lo <= reg.level(s, p) <= hi, (s, p)
        if lo < hi:
            free.add((s, p))
    assert free == {
        ("negligible", "occasional"),
        ("negligible", "probable"),
        ("negligible", "frequent"),
        ("low", "frequent"),
        ("medium", "probable"),
        ("medium", "frequent"),
        ("high", "improbable"),
        ("high", "probable"),
        ("high", "frequent"),
        ("catastrophic", "improbable"),
    }


def _le(s2, p2, i, j):
    """Pair (s2, p2) is at or below cell (i, j) on both scales."""
    return SEVERITIES.index(s2) <= i and PROBABILITIES.index(p2) <= j


def _le_rev(s2, p2, i, j):
    """Pair (s2, p2) is at or above cell (i, j) on both scales."""
    return SEVERITIES.index(s2) >= i and PROBABILITIES.index(p2) >= j


def test_content_hash_covers_the_register(edit_pack, pack_copy):
    shipped = load_pack().hash
    edit_pack("fr/register.yaml", set_key(["levels", "low", "label"], "Bas"))
    assert load_pack(pack_copy).hash != shipped
    changed = load_pack(pack_copy).hash
    edit_pack("register.yaml", set_key(["grid", "negligible", "frequent"], 1))
    assert load_pack(pack_copy).hash not in (shipped, changed)


def test_content_check_passes_on_the_shipped_pack():
    result = CliRunner().invoke(cli, ["content", "check"])
    assert result.exit_code == 0 and "valid content pack" in result.output


def test_content_check_lists_register_problems(edit_pack):
    root = edit_pack("register.yaml", set_key(["grid", "low", "probable"], 1))
    result = CliRunner().invoke(cli, ["content", "check", str(root)])
    assert result.exit_code == 1
    assert "register.yaml, grid.low.probable" in result.output
    assert "[grid-contradicts-example]" in result.output and "[grid-falls]" in result.output


def test_readme_shows_the_shipped_grid_and_the_seed_pairs(pack):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    header = "| severity \\ probability | " + " | ".join(PROBABILITIES) + " |"
    assert header in readme
    rows = readme.split(header, 1)[1].splitlines()[2:7]
    for severity, line in zip(SEVERITIES, rows):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[0] == severity
        for probability, cell in zip(PROBABILITIES, cells[1:]):
            level = pack.register.level(severity, probability)
            stated = SEED_PAIRS.get((severity, probability))
            assert cell == (f"**{level}** ({stated[1]})" if stated else str(level)), (severity, probability)
