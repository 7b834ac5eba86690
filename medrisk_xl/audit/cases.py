"""The audit's covering set: answer combinations that exercise every branch of the method.

Built from the content pack (a site's own points, thresholds and matrix included): every
criticality sum and every vulnerability sum the method can reach, every option of every
question, every cell of the risk matrix, NE SAIT PAS answers, incomplete rows, values pasted from
outside the lists, an empty row, and ``samples`` random devices (seeded, so a run is repeatable).

For a workbook with a risk register (IEC/TR 80001-2-1), :func:`register_cases` adds register
rows: every (severity, probability) cell of the pack's grid for the initial risk and for the
residual risk, empty and half-filled rows, values pasted into a scale cell from outside its list,
and the seed's worked examples.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from medrisk_xl.core.problems import Message, msg
from medrisk_xl.method.pack import ContentPack, Language, Method
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import register_options


@dataclass(frozen=True)
class Pasted:
    """A value pasted into an answer cell instead of choosing from the list (text or number)."""

    value: Any


Answer = int | Pasted | None  # an option index, a pasted value, or an empty cell


@dataclass(frozen=True)
class Case:
    """One device's answers, named for the report."""

    name: Message | str  # said in the report's language
    answers: dict[str, Answer]

    def cell_values(self, language: Language, codes: tuple[str, ...]) -> dict[str, Any]:
        """What each answer cell holds: the option's label, the pasted value, or None."""
        out: dict[str, Any] = {}
        for code in codes:
            answer = self.answers.get(code)
            if isinstance(answer, Pasted):
                out[code] = answer.value
            elif answer is None:
                out[code] = None
            else:
                out[code] = language.answer_labels(code)[answer]
        return out


def _sums(points: list[tuple[int, ...]]) -> dict[int, list[int]]:
    """Every reachable total of choosing one option per question -> one choice of indexes."""
    reach: dict[int, list[int]] = {0: []}
    for options in points:
        nxt: dict[int, list[int]] = {}
        for total, chosen in reach.items():
            for i, p in enumerate(options):
                nxt.setdefault(total + p, [*chosen, i])
        reach = nxt
    return dict(sorted(reach.items()))


def criticality_sums(m: Method) -> dict[int, dict[str, int]]:
    """Every reachable criticality score -> answers that reach it."""
    codes = m.criterion_codes
    return {s: dict(zip(codes, c)) for s, c in _sums([m.answer_points(c) for c in codes]).items()}


def vulnerability_sums(m: Method, unknown: bool = False) -> dict[int, dict[str, int]]:
    """Every reachable vulnerability score -> answers that reach it (with NE SAIT PAS rather
    than NON where it scores the same, when ``unknown``)."""
    points = [a.points for a in m.vuln_answers]
    order = sorted(range(len(points)), key=lambda i: (m.vuln_answers[i].flag != unknown, i))
    ranked = tuple(points[i] for i in order)
    return {
        s: {code: order[i] for code, i in zip(m.items, c)} for s, c in _sums([ranked] * len(m.items)).items()
    }


def _in_band(sums: dict[int, dict[str, int]], lo: int, hi: int) -> dict[str, int]:
    inside = [s for s in sums if lo <= s <= hi]
    return sums[inside[len(inside) // 2]]


def covering_cases(pack: ContentPack, language: Language, samples: int = 50, seed: int = 2026) -> list[Case]:
    """The covering set for ``pack`` in ``language`` (see the module docstring)."""
    m = pack.method
    crit, vuln = criticality_sums(m), vulnerability_sums(m)
    unknown = vulnerability_sums(m, unknown=True)
    crit_list, vuln_list = list(crit.items()), list(vuln.items())
    cases: list[Case] = []
    for i, (total, answers) in enumerate(crit_list):
        v_total, v_answers = vuln_list[i % len(vuln_list)]
        cases.append(
            Case(msg("audit.case.criticality", total=total, other=v_total), {**answers, **v_answers})
        )
    for i, (total, answers) in enumerate(vuln_list):
        c_total, c_answers = crit_list[(i * 3) % len(crit_list)]
        cases.append(
            Case(msg("audit.case.vulnerability", total=total, other=c_total), {**c_answers, **answers})
        )
    for band_v in m.vulnerability_levels:
        for band_c in m.criticality_levels:
            answers = {**_in_band(crit, band_c.min, band_c.max), **_in_band(vuln, band_v.min, band_v.max)}
            cases.append(
                Case(msg("audit.case.matrix", vulnerability=band_v.level, criticality=band_c.level), answers)
            )
    n_options = max(len(m.answer_points(code)) for code in m.codes)
    for k in range(n_options):
        answers = {code: min(k, len(m.answer_points(code)) - 1) for code in m.codes}
        cases.append(Case(msg("audit.case.option", n=k + 1), answers))
    for total in sorted({min(unknown), max(unknown), sorted(unknown)[len(unknown) // 2]}):
        cases.append(Case(msg("audit.case.unknown", total=total), {**crit_list[-1][1], **unknown[total]}))
    full = {**crit_list[len(crit_list) // 2][1], **vuln_list[len(vuln_list) // 2][1]}
    for code in (m.criterion_codes[0], m.criterion_codes[-1], m.items[0], m.items[-1]):
        cases.append(Case(msg("audit.case.unanswered", code=code), {**full, code: None}))
    only_crit = {c: full[c] for c in m.criterion_codes}
    cases.append(Case(msg("audit.case.criticality-only"), only_crit))
    first_c, first_v = m.criterion_codes[0], m.items[0]
    label_c, label_v = language.answer_labels(first_c)[0], language.answer_labels(first_v)[0]
    for code, pasted, what in (
        (first_v, Pasted("peut-être / maybe"), "outside"),
        (first_c, Pasted(2), "number"),
        (first_c, Pasted(label_c + " "), "trailing-space"),
        (first_v, Pasted(label_v.swapcase()), "other-case"),
        (first_c, Pasted("*"), "wildcard"),
    ):
        cases.append(
            Case(
                msg("audit.case.pasted", code=code, what=msg(f"audit.case.what.{what}")),
                {**full, code: pasted},
            )
        )
    cases.append(Case(msg("audit.case.empty"), {}))
    rng = random.Random(seed)
    for i in range(samples):
        answers: dict[str, Answer] = {c: rng.randrange(len(m.answer_points(c))) for c in m.codes}
        if rng.random() < 0.15:
            answers[rng.choice(m.codes)] = None
        cases.append(Case(msg("audit.case.random", n=i + 1), answers))
    return cases


# The risk register -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterCase:
    """One register row: what its answer cells hold (code -> raw value), named for the report."""

    name: Message | str  # said in the report's language
    values: dict[str, Any]


def _other_scale_label(own: list[str], other: list[str]) -> str:
    """A label of the other scale that is not also a label of this one (ignoring case)."""
    folded = {label.casefold() for label in own}
    return next((label for label in other if label.casefold() not in folded), other[0] + "?")


def register_cases(pack: ContentPack, language: Language) -> list[RegisterCase]:
    """The register's covering set for ``pack`` in ``language`` (see the module docstring).

    Row k of the first block sets the k-th (severity, probability) pair of the grid for the
    initial risk and the (n-1-k)-th for the residual risk, so that both levels meet every cell
    of the grid; the library columns get a label of their list or a text of the site's own."""
    reg = pack.register
    options = register_options(pack, language)
    sev, prob = options["severity"], options["probability"]
    pairs = [(s, p) for s in range(len(sev)) for p in range(len(prob))]
    cases: list[RegisterCase] = []
    for k, (s, p) in enumerate(pairs):
        rs, rp = pairs[len(pairs) - 1 - k]
        values: dict[str, Any] = {
            "SEVERITY": sev[s],
            "PROBABILITY": prob[p],
            "RES_SEVERITY": sev[rs],
            "RES_PROBABILITY": prob[rp],
        }
        for code, name in {**contract.REGISTER_CHOICES, **contract.REGISTER_SUGGESTIONS}.items():
            labels = options[name]
            values[code] = labels[k % len(labels)] if k % 4 else f"{code.lower()} {k + 1}"
        name = msg(
            "audit.case.register-grid",
            severity=reg.severities[s],  # the scales' codes: the same in every language
            probability=reg.probabilities[p],
            res_severity=reg.severities[rs],
            res_probability=reg.probabilities[rp],
        )
        cases.append(RegisterCase(name, values))
    return cases + _partial_and_pasted(sev, prob, options) + _worked_examples(pack, sev, prob)


def _partial_and_pasted(sev: list[str], prob: list[str], options: dict) -> list[RegisterCase]:
    """Register rows left empty or half-filled, and values pasted over a dropdown."""
    cases: list[RegisterCase] = []
    full = {"SEVERITY": sev[-1], "PROBABILITY": prob[0], "RES_SEVERITY": sev[0], "RES_PROBABILITY": prob[-1]}
    cases.append(RegisterCase(msg("audit.case.register-empty"), {}))
    cases.append(RegisterCase(msg("audit.case.register-text-only"), {"HAZARD": options["hazards"][0]}))
    for code in contract.REGISTER_SCALES:
        cases.append(RegisterCase(msg("audit.case.register-half", code=code), {code: full[code]}))
    cases.append(
        RegisterCase(
            msg("audit.case.register-initial-only"),
            {"SEVERITY": full["SEVERITY"], "PROBABILITY": full["PROBABILITY"]},
        )
    )
    for code, pasted, what in (
        ("SEVERITY", _other_scale_label(sev, prob), "other-scale"),
        ("PROBABILITY", 3, "number"),
        ("RES_SEVERITY", sev[1] + " ", "trailing-space"),
        ("RES_PROBABILITY", " " + prob[1], "leading-space"),
        ("SEVERITY", "3", "number-text"),
        ("PROBABILITY", "*", "wildcard"),
        ("RES_SEVERITY", sev[2].swapcase(), "other-case"),
    ):
        cases.append(
            RegisterCase(
                msg("audit.case.register-pasted", code=code, what=msg(f"audit.case.what.{what}")),
                {**full, code: pasted},
            )
        )
    return cases


def _worked_examples(pack: ContentPack, sev: list[str], prob: list[str]) -> list[RegisterCase]:
    """The source's worked examples (register.yaml ``examples``), each on a row of its own."""
    reg = pack.register
    cases: list[RegisterCase] = []
    for ex in reg.examples:
        codes = ("SEVERITY", "PROBABILITY") if ex.stage == "initial" else ("RES_SEVERITY", "RES_PROBABILITY")
        values = {
            codes[0]: sev[reg.severities.index(ex.severity)],
            codes[1]: prob[reg.probabilities.index(ex.probability)],
            "SITUATION": ex.situation,
        }
        cases.append(
            RegisterCase(
                msg(
                    "audit.case.register-example",
                    section=ex.section,
                    situation=ex.situation,
                    stage=msg(f"audit.case.stage.{ex.stage}"),
                    level=ex.level,
                ),
                values,
            )
        )
    return cases
