"""What the README promises, checked against the code."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from support.wbtools import open_book

from medrisk_xl.cli import cli
from medrisk_xl.workbook.contract import ALLOWED_FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text of the README section whose heading is ``title``, up to the next heading."""
    match = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ |\Z)", README, re.M | re.S)
    assert match, title
    return match.group(1)


def test_readme_lists_exactly_the_allowed_functions():
    match = re.search(r"Formulas use only functions[^(]*\(([^)]*)\)", README)
    assert match, "the README sentence listing the allowed functions is missing"
    listed = re.findall(r"`([A-Z][A-Z0-9.]*)`", match.group(1))
    assert len(listed) == len(set(listed))
    assert set(listed) == ALLOWED_FUNCTIONS, (
        f"README lists {sorted(set(listed) - ALLOWED_FUNCTIONS)} too many, "
        f"{sorted(ALLOWED_FUNCTIONS - set(listed))} missing"
    )


def test_quick_start_consolidates_the_sample_returns(tmp_path, pack, monkeypatch):
    block = re.search(r"```sh\n(.*?)```", section("Quick start (fresh machine, Python 3.10 to 3.13)"), re.S)
    command = block.group(1).replace("\\\n", " ").split("&&", 1)[1]
    args = shlex.split(command)
    assert args[:3] == ["medrisk-xl", "consolidate", "samples/returns"] and "--manifest" in args
    monkeypatch.chdir(ROOT)
    out = tmp_path / "cartographie.xlsx"
    args[args.index("-o") + 1] = str(out)
    result = CliRunner().invoke(cli, args[1:])
    assert result.exit_code == 0, result.output
    sheets = pack.language("fr").ui["consolidated"]["sheets"]
    shown = [n for n in openpyxl.load_workbook(out, read_only=True).sheetnames if n != "_meta"]
    assert shown == [sheets[k] for k in sheets]


def test_quick_start_generate_command_shows_deadline_and_contact(tmp_path, pack, monkeypatch):
    text = " ".join(section("Quick start (fresh machine, Python 3.10 to 3.13)").split())
    command = re.search(r"`(medrisk-xl generate [^`]*)`", text).group(1)
    args = shlex.split(command)
    assert "--deadline" in args and "--contact" in args
    monkeypatch.chdir(ROOT)
    out = tmp_path / "campaign"
    args[args.index("-o") + 1] = str(out)
    result = CliRunner().invoke(cli, args[1:])
    assert result.exit_code == 0, result.output
    book = open_book(next(out.glob("*.xlsx")))
    ui = pack.language("fr").ui
    shown = [c.value for row in book.wb[ui["sheets"]["start"]].iter_rows() for c in row]
    assert ui["start"]["not_set"] not in shown


def test_benchmark_sentence_reports_a_ratio_and_the_machine():
    text = " ".join(section("Benchmarks").split())
    assert re.search(r"\d+(\.\d+)?\s*(×|x|times)", text), "the ratio to the baseline is missing"
    assert "2-core" in text and "`python` CI machine" in text


def shown_runs(text: str) -> list[tuple[str, str]]:
    """The ``$ command`` lines of a README block, each with the output shown below it."""
    runs: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], []))
        elif runs:
            runs[-1][1].append(line)
    return [(command, "\n".join(lines)) for command, lines in runs]


def test_the_it_round_trip_shows_real_output(tmp_path, monkeypatch):
    """The confirm section's commands, run on the samples: the outputs are the README's."""
    block = section("`medrisk-xl confirm`: the IT team answers the NE SAIT PAS").split("On the samples", 1)[1]
    runs = shown_runs(block.split("```\n", 1)[1].split("\n```", 1)[0])
    assert [shlex.split(c)[1] for c, _ in runs] == ["confirm", "validate", "consolidate"]
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    for command, shown in runs:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, result.output
        assert result.output.rstrip("\n") == shown, command


CONFIRM = "$ medrisk-xl confirm samples/returns"


def test_the_english_guide_shows_the_same_it_round_trip():
    """The English campaign guide shows the README's (tested) confirm round trip, word for word."""
    readme_block = CONFIRM + README.split(CONFIRM, 1)[1].split("\n```", 1)[0]
    text = (ROOT / "docs" / "campaign-guide.en.md").read_text(encoding="utf-8")
    assert CONFIRM + text.split(CONFIRM, 1)[1].split("\n```", 1)[0] == readme_block


def test_the_french_guide_shows_the_it_round_trip_in_french(tmp_path, monkeypatch):
    """The French guide's confirm round trip: the README's commands, run on the samples under
    MEDRISK_LANG=fr; the outputs are the guide's."""
    text = (ROOT / "docs" / "guide-campagne.fr.md").read_text(encoding="utf-8")
    runs = shown_runs(CONFIRM + text.split(CONFIRM, 1)[1].split("\n```", 1)[0])
    readme = shown_runs(CONFIRM + README.split(CONFIRM, 1)[1].split("\n```", 1)[0])
    assert [c for c, _ in runs] == [c for c, _ in readme]
    _run_on_samples(runs, tmp_path, monkeypatch, "fr", lambda got, shown: got.rstrip("\n") == shown)


def _run_on_samples(runs, tmp_path: Path, monkeypatch, lang: str, same) -> None:
    """Each (command, shown output) of ``runs``, run on the samples in ``tmp_path`` under
    MEDRISK_LANG=``lang``: exit code 0 and ``same(output, shown)``."""
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDRISK_LANG", lang)
    for command, shown in runs:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, result.output
        assert same(result.output, shown), (command, result.output)


def test_mds2_read_output_is_the_sample_forms_real_output(monkeypatch):
    text = section("MDS2 forms: `medrisk-xl mds2 read`")
    shown = re.search(r"```\n\$ medrisk-xl mds2 read samples/mds2\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["mds2", "read", "samples/mds2"])
    assert result.exit_code == 0 and result.output == shown


def test_mds2_mapping_table_is_the_shipped_mapping(pack):
    text = section("MDS2 forms: `medrisk-xl mds2 read`")
    rows = re.findall(r"^\| (V\d+) [^|]* \| ([^|]*) \| ([^|]*) \|$", text, re.M)
    assert [item for item, _, _ in rows] == list(pack.mds2.items)
    for item, questions, rule in rows:
        entry = pack.mds2.of(item)
        listed = questions.replace("CSUP-2.1–2.4", "CSUP-2.1, CSUP-2.2, CSUP-2.3, CSUP-2.4")
        assert tuple(q for q in listed.split(", ") if q != "—") == entry.questions, item
        # every condition of every rule is named in the table, with its answer
        for r in entry.rules:
            for question, answer in r.when:
                assert f"{question} {answer.capitalize()}" in rule, (item, question)
            assert f"{r.suggest} by design" in rule, item
        assert ("by design" in rule) == bool(entry.rules), item


def test_the_it_campaign_generate_output_is_real(tmp_path, monkeypatch):
    """The ``--vulnerability-by it`` example, run on the sample inventory: its output is the
    README's (the password is the one SOURCE_DATE_EPOCH=1765000000 derives for demo-2026)."""
    block = section("Who answers the vulnerability items: `--vulnerability-by department|it`")
    ((command, shown),) = shown_runs(block.split("```\n", 1)[1].split("\n```", 1)[0])
    assert "--vulnerability-by it" in command
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765000000")
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip("\n") == shown
    assert (tmp_path / "campagne-it" / "Informatique.xlsx").is_file()


@pytest.mark.parametrize(("guide", "lang"), [("guide-campagne.fr.md", "fr"), ("campaign-guide.en.md", "en")])
def test_the_guides_it_campaign_output_is_real(guide, lang, tmp_path, monkeypatch):
    """Each campaign guide's ``--vulnerability-by it`` example, run on the sample inventory, in the
    guide's language (issue 34: generate's summary speaks French under a French locale)."""
    monkeypatch.setenv("MEDRISK_LANG", lang)
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    line = next(
        x for x in text.splitlines() if x.startswith("$ medrisk-xl generate") and "--vulnerability-by it" in x
    )
    start = text.index(line)
    ((command, shown),) = shown_runs(text[start:].split("\n```", 1)[0])
    assert "--vulnerability-by it" in command
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip("\n") == shown


def test_generate_mds2_report_line_is_real(tmp_path, monkeypatch):
    """The MDS2 section's ``generate --mds2`` report line is what generate prints on the samples."""
    text = section("MDS2 forms: `medrisk-xl mds2 read`")
    shown = re.search(r"```\n(  MDS2: [^\n]*department answer[^\n]*)\n```", text).group(1)
    monkeypatch.chdir(ROOT)
    args = ["generate", "samples/inventory.csv", "-o", str(tmp_path / "c"), "--mds2", "samples/mds2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and shown in result.output.splitlines(), result.output


def _fill_group_rows(path: Path, statuses: dict[int, str], edit: bool = False) -> None:
    """The grouped plan's rows 3, 4 and 5 given the README's statuses (saved in place); ``edit``:
    then row 3's first device moved to the next row of its item and row 6's action text rewritten."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Plan d'action"]
    cols = {c.value: c.column for c in ws[1]}
    for r, status in statuses.items():
        ws.cell(r, cols["status"]).value = status
    if edit:
        ids = ws.cell(3, cols["device_ids"]).value.split(", ")
        ref = ws.cell(3, cols["ref"]).value
        to = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, cols["ref"]).value == ref)
        ws.cell(3, cols["device_ids"]).value = ", ".join(ids[1:])
        ws.cell(to, cols["device_ids"]).value += f", {ids[0]}"
        ws.cell(6, cols["action"]).value = "• Rien à faire."
    wb.save(path)


def test_the_grouped_plan_import_output_is_real(tmp_path, monkeypatch):
    """The action follow-up section's grouped plan: consolidated by department with --db, three
    rows filled in (V4 in progress, inventory to do, backup done), imported; then a copy with a
    device moved and an action text rewritten, refused: the outputs are the README's."""
    text = section("Action follow-up: `actions import`")
    block = text.split("The same campaign's plan grouped by department", 1)[1].split("```\n", 1)[1]
    runs = shown_runs(block.split("\n```", 1)[0])
    assert [shlex.split(c)[1] for c, _ in runs] == ["consolidate", "actions", "actions"]
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    statuses = {3: "En cours", 4: "À faire", 5: "Fait"}
    for i, (command, shown) in enumerate(runs):
        args = shlex.split(command)[1:]
        if i == 1:
            _fill_group_rows(Path(args[-3]), statuses)
        if i == 2:
            Path(args[-3]).write_bytes(Path(shlex.split(runs[1][0])[-3]).read_bytes())
            _fill_group_rows(Path(args[-3]), statuses, edit=True)
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == (1 if i == 2 else 0), result.output
        assert shown and result.output.rstrip("\n") == shown, command


YEAR_TWO = "<!-- year-two round: the same commands in the README and both campaign guides -->\n```\n"


def _same_output(got: str, shown: str, volatile: str = r"recorded [^,]+,|sheet password: \S+\)") -> bool:
    """``got`` is ``shown``, where a line "  …" stands for lines cut and what ``volatile`` matches
    (the history's recording times, the random sheet password) may differ."""
    volatile = re.compile(volatile)
    got_lines = volatile.sub("…", got.rstrip("\n")).splitlines()
    parts = [p.splitlines() for p in volatile.sub("…", shown).split("\n  …\n")]
    at = 0
    for i, part in enumerate(parts):
        if i == 0 and got_lines[: len(part)] != part:
            return False
        while at <= len(got_lines) - len(part) and got_lines[at : at + len(part)] != part:
            at += 1
        if at > len(got_lines) - len(part):
            return False
        at += len(part)
    return at == len(got_lines)


def test_the_year_two_round_output_is_real(tmp_path, monkeypatch):
    """generate's year-two block, run on the samples: demo-2026 recorded, demo-2027 generated from
    the year-two inventory, its shipped returns validated, consolidated and compared; every output
    is the README's (recording times, the random password and the cut lines aside)."""
    block = README.split(YEAR_TWO, 1)[1].split("\n```", 1)[0]
    runs = shown_runs(block)
    assert [shlex.split(c)[1] for c, _ in runs] == [
        "consolidate",
        "generate",
        "validate",
        "consolidate",
        "compare",
    ]
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    for command, shown in runs:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, result.output
        assert _same_output(result.output, shown), (command, result.output)


def test_the_english_guide_shows_the_same_year_two_round():
    """The English campaign guide shows the README's (tested) year-two round, word for word."""
    readme_block = README.split(YEAR_TWO, 1)[1].split("\n```", 1)[0]
    text = (ROOT / "docs" / "campaign-guide.en.md").read_text(encoding="utf-8")
    assert YEAR_TWO in text
    assert text.split(YEAR_TWO, 1)[1].split("\n```", 1)[0] == readme_block


def test_the_french_guide_shows_the_year_two_round_in_french(tmp_path, monkeypatch):
    """The French guide's year-two round: the README's commands, run on the samples under
    MEDRISK_LANG=fr; every output is the guide's (recording times, the password, cut lines aside)."""
    text = (ROOT / "docs" / "guide-campagne.fr.md").read_text(encoding="utf-8")
    assert YEAR_TWO in text
    runs = shown_runs(text.split(YEAR_TWO, 1)[1].split("\n```", 1)[0])
    readme = shown_runs(README.split(YEAR_TWO, 1)[1].split("\n```", 1)[0])
    assert [c for c, _ in runs] == [c for c, _ in readme]
    volatile = "enregistrée le [^,]+,|mot de passe des feuilles : \\S+\\)"
    _run_on_samples(runs, tmp_path, monkeypatch, "fr", lambda got, shown: _same_output(got, shown, volatile))


def test_the_french_validate_output_is_real(monkeypatch):
    """The README's French example: the locale chooses French when MEDRISK_LANG is not set."""
    block = section("Languages of the messages").split("```\n$ ", 1)[1].split("\n```", 1)[0]
    command, shown = block.split("\n", 1)
    env, *args = shlex.split(command)
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("MEDRISK_LANG")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(*env.split("=", 1))
    res = CliRunner().invoke(cli, args[1:])
    assert args[:2] == ["medrisk-xl", "validate"] and res.exit_code == 1
    assert res.output.rstrip("\n") == shown


# The inventory both guides show with its faults: an empty id, a duplicated id, an unknown CE class
# and a row with a field too many.
FAULTY_INVENTORY = (
    "N° inventaire;Désignation;Service;Classe CE\nA1;Pousse-seringue;Réanimation;IIa\n"
    ";Moniteur;Réanimation;IIb\nA1;Scope;Réanimation;IV\nA2;Respirateur;Réanimation;IIb;x\n"
)


@pytest.mark.parametrize(
    ("guide", "locale"), [("guide-campagne.fr.md", "fr_FR.UTF-8"), ("campaign-guide.en.md", "C")]
)
def test_the_guides_show_the_real_inventory_errors_in_their_language(guide, locale, tmp_path, monkeypatch):
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    command = next(
        line for line in text.splitlines() if line.startswith("$ medrisk-xl generate inv") and "-err" in line
    )
    shown = text.split(command + "\n", 1)[1].split("\n```", 1)[0]
    args = shlex.split(command)[2:]
    (tmp_path / args[1]).write_text(FAULTY_INVENTORY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MEDRISK_LANG")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", locale)
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1 and res.output.rstrip("\n") == shown


# Guide blocks that run on the shipped samples alone: each guide shows the output in its own
# language (the French guide under MEDRISK_LANG=fr).
SAMPLE_RUNS = (
    "$ medrisk-xl validate samples/returns/Bloc_operatoire.xlsx samples/returns/Reanimation.xlsx",
    "$ medrisk-xl consolidate samples/returns -o cartographie.xlsx --manifest samples/campaign/campaign.json --csv",
)


@pytest.mark.parametrize(("guide", "lang"), [("guide-campagne.fr.md", "fr"), ("campaign-guide.en.md", "en")])
def test_the_guides_sample_runs_show_real_output_in_their_language(guide, lang, tmp_path, monkeypatch):
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDRISK_LANG", lang)
    shown_any = False
    for prefix in SAMPLE_RUNS:
        if prefix not in text:
            continue
        shown_any = True
        ((command, shown),) = shown_runs(prefix + text.split(prefix, 1)[1].split("\n```", 1)[0])
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.output.rstrip("\n") == shown, command
    assert shown_any


def _register_example(folder: Path) -> None:
    """The guides' register example, essai/Cardiologie.xlsx: the Cardiologie sample return with a
    probability typed (R002), a severity without probability (R003), an id changed (row 8), a
    row written below the register (row 56) and a downtime in words, as the guides say."""
    wb = openpyxl.load_workbook(ROOT / "samples" / "returns" / "Cardiologie.xlsx")
    reg = wb["Registre des risques"]
    col = {c.value: c.column for c in reg[3] if c.value}
    reg.cell(6, col["PROBABILITY"]).value = "très probable"
    reg.cell(7, col["HAZARD"]).value = "Perte totale de connectivité"
    reg.cell(7, col["SEVERITY"]).value = "Moyenne"
    reg.cell(8, col["REG_ID"]).value = "R010"
    reg.cell(56, col["HAZARD"]).value = "Panne du serveur de télémétrie"
    wb["Demande de changement"]["C14"] = "deux heures"
    (folder / "essai").mkdir()
    wb.save(folder / "essai" / "Cardiologie.xlsx")


@pytest.mark.parametrize(("guide", "lang"), [("guide-campagne.fr.md", "fr"), ("campaign-guide.en.md", "en")])
def test_the_guides_register_example_is_real(guide, lang, tmp_path, monkeypatch):
    prefix = "$ medrisk-xl validate essai/Cardiologie.xlsx --manifest samples/campaign/campaign.json"
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    runs = shown_runs(prefix + text.split(prefix, 1)[1].split("\n```", 1)[0])
    _register_example(tmp_path)
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDRISK_LANG", lang)
    ((command, shown),) = runs
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert result.exit_code == 1 and result.output.rstrip("\n") == shown


def test_the_french_guides_grid_example_is_real(tmp_path, monkeypatch):
    """The French guide's site pack whose grid gives (high, occasional) 3, checked in French."""
    prefix = "$ medrisk-xl content check pack-site"
    text = (ROOT / "docs" / "guide-campagne.fr.md").read_text(encoding="utf-8")
    ((command, shown),) = shown_runs(prefix + text.split(prefix, 1)[1].split("\n```", 1)[0])
    shutil.copytree(ROOT / "content", tmp_path / "pack-site")
    register = tmp_path / "pack-site" / "register.yaml"
    data = yaml.safe_load(register.read_text(encoding="utf-8"))
    data["grid"]["high"]["occasional"] = 3
    register.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert result.exit_code == 1 and result.output.rstrip("\n") == shown
