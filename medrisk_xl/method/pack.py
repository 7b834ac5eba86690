"""The content pack model: the method (codes, points, thresholds, matrix) and its languages."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.core.resources import shipped_content_dir
from medrisk_xl.method.checks.editions import read_editions
from medrisk_xl.method.checks.expected_codes import normalize
from medrisk_xl.method.checks.mds2_rules import read_mds2
from medrisk_xl.method.checks.message_catalogue import check_messages
from medrisk_xl.method.checks.pack_files import (
    LANGUAGE_FILES,
    METHOD_FILE,
    REGISTER_FILE,
    VULN_ANSWER_CODES,
    check_dir,
    read_pack,
)
from medrisk_xl.method.checks.prefill_checks import read_prefill
from medrisk_xl.method.mds2_mapping import Mds2Mapping, mapping_from_yaml
from medrisk_xl.method.prefill_rules import PrefillRules, rules_from_yaml
from medrisk_xl.method.register_model import Register, register_from_yaml
from medrisk_xl.method.specs_editions import EDITIONS_FILE
from medrisk_xl.method.specs_mds2 import MDS2_FILE
from medrisk_xl.method.specs_prefill import PREFILL_FILE


@dataclass(frozen=True)
class Band:
    """A score band mapped to a level (1 acceptable, 2 moderate, 3 strong)."""

    level: int
    min: int
    max: int


@dataclass(frozen=True)
class Criterion:
    code: str
    group: str
    points: tuple[int, ...]


@dataclass(frozen=True)
class VulnAnswer:
    code: str  # YES, NO or UNKNOWN
    points: int
    compliant: bool
    flag: bool


@dataclass(frozen=True)
class Method:
    """Language-independent facts of the method."""

    id: str
    version: str
    default_language: str
    sources: tuple[dict, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    criteria: tuple[Criterion, ...]
    criticality_levels: tuple[Band, ...]
    items: tuple[str, ...]
    vuln_answers: tuple[VulnAnswer, ...]
    vulnerability_levels: tuple[Band, ...]
    matrix: dict[tuple[int, int], int]  # (vulnerability level, criticality level) -> risk level

    @cached_property
    def criterion_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """Every answer code, criteria first, then vulnerability items."""
        return self.criterion_codes + self.items

    def criterion(self, code: str) -> Criterion:
        return next(c for c in self.criteria if c.code == code)

    def vuln_answer(self, code: str) -> VulnAnswer:
        return next(a for a in self.vuln_answers if a.code == code)

    def answer_points(self, code: str) -> tuple[int, ...]:
        """Points of each answer of ``code`` (criterion or item), in points order."""
        points = self._points.get(code)
        return points if points is not None else tuple(self.criterion(code).points)

    @cached_property
    def _points(self) -> dict[str, tuple[int, ...]]:
        """Every code's points, computed once (read for every answer of every row)."""
        vulnerability = tuple(a.points for a in self.vuln_answers)
        return {c.code: tuple(c.points) for c in self.criteria} | dict.fromkeys(self.items, vulnerability)

    @property
    def unknown_answer(self) -> int:
        """Index of the vulnerability answer flagged "to confirm" (don't know)."""
        return next(i for i, a in enumerate(self.vuln_answers) if a.flag)

    @property
    def criticality_range(self) -> tuple[int, int]:
        return (sum(min(c.points) for c in self.criteria), sum(max(c.points) for c in self.criteria))

    @property
    def vulnerability_range(self) -> tuple[int, int]:
        pts = [a.points for a in self.vuln_answers]
        return (len(self.items) * min(pts), len(self.items) * max(pts))

    @staticmethod
    def _band(bands: tuple[Band, ...], score: int) -> int:
        for band in bands:
            if band.min <= score <= band.max:
                return band.level
        raise ValueError(f"score {score} is outside every level")

    def criticality_level(self, score: int) -> int:
        return self._band(self.criticality_levels, score)

    def vulnerability_level(self, score: int) -> int:
        return self._band(self.vulnerability_levels, score)

    def risk_level(self, vulnerability_level: int, criticality_level: int) -> int:
        return self.matrix[(vulnerability_level, criticality_level)]


@dataclass(frozen=True)
class Language:
    """The texts of one language: labels, help and action plans (raw validated data)."""

    code: str
    labels: dict[str, Any]
    help: dict[str, Any]
    actions: dict[str, Any]
    ui: dict[str, Any]
    register: dict[str, Any]  # texts of the risk register (<language>/register.yaml)

    @property
    def name(self) -> str:
        return self.labels["name"]

    def title(self, code: str) -> str:
        """Criterion title or vulnerability statement of ``code``."""
        crit = self.labels["criticality"]["criteria"]
        return crit[code]["title"] if code in crit else self.labels["vulnerability"]["items"][code]

    @cached_property
    def option_labels(self) -> dict[str, tuple[str, ...]]:
        """Every code's dropdown labels, in points order (computed once)."""
        crit = self.labels["criticality"]["criteria"]
        codes = [*crit, *self.labels["vulnerability"]["items"]]
        return {code: tuple(self.answer_labels(code)) for code in codes}

    def answer_labels(self, code: str) -> list[str]:
        """Dropdown labels for ``code``, in points order."""
        crit = self.labels["criticality"]["criteria"]
        if code in crit:
            return list(crit[code]["answers"])
        answers = self.labels["vulnerability"]["answers"]
        return [answers[a] for a in VULN_ANSWER_CODES]

    def level_label(self, axis: str, level: int) -> str:
        """Label of a level on ``axis`` (criticality, vulnerability or risk)."""
        return self.labels[axis]["levels"][level]

    def status_label(self, status: str) -> str:
        return self.labels["status"][status]

    def short_help(self, code: str) -> str:
        section = "criticality" if code in self.help["criticality"] else "vulnerability"
        return self.help[section][code]["short"]

    def long_help(self, code: str) -> str:
        section = "criticality" if code in self.help["criticality"] else "vulnerability"
        return self.help[section][code]["long"]


@dataclass(frozen=True)
class ContentPack:
    """A validated content pack: one method, several languages, and a content hash."""

    root: Path
    method: Method
    register: Register
    languages: dict[str, Language]
    hash: str = field(compare=False)
    mds2: Mds2Mapping | None = None  # mds2.yaml: MDS2 answers -> items (outside the content hash)
    prefill: PrefillRules | None = None  # prefill.yaml: a site's pre-fill rules (outside the content hash)
    earlier: tuple[str, ...] = ()  # editions.yaml: earlier editions' hashes it reads as its own (outside it)

    @property
    def hashes(self) -> tuple[str, ...]:
        """The content hashes of the workbooks this pack reads: its own, then its earlier editions'."""
        return (self.hash, *self.earlier)

    def language(self, code: str | None = None) -> Language:
        code = code or self.method.default_language
        if code not in self.languages:
            known = ", ".join(sorted(self.languages))
            raise MedriskError(
                [
                    Problem(
                        "unknown-language",
                        msg("pack.unknown-language", language=code, known=known),
                        # a site pack (--content DIR) is named; the shipped one's install path is not
                        file=None if self.root == shipped_content_dir() else str(self.root),
                    )
                ],
                exit_code=2,
            )
        return self.languages[code]

    @cached_property
    def answer_index(self) -> dict[str, dict[str, int]]:
        """For each code, normalized label -> answer index (0-based), over every language."""
        index: dict[str, dict[str, int]] = {}
        for crit in self.method.criteria:
            table = {}
            for lang in self.languages.values():
                for i, label in enumerate(lang.answer_labels(crit.code)):
                    table[normalize(label)] = i
            index[crit.code] = table
        vtable = {normalize(code): i for i, code in enumerate(VULN_ANSWER_CODES)}
        for lang in self.languages.values():
            vl = lang.labels["vulnerability"]
            for i, code in enumerate(VULN_ANSWER_CODES):
                vtable[normalize(vl["answers"][code])] = i
                for alias in (vl.get("aliases") or {}).get(code, []):
                    vtable[normalize(alias)] = i
        for item in self.method.items:
            index[item] = vtable
        return index


# Texts that never enter a department workbook: changing them keeps the content hash, so an
# upgrade that rewords the consolidated workbook, the comparison or the IT workbook still reads
# the returns of a running campaign.
UNHASHED_UI = ("consolidated", "compare", "trend", "confirm", "it_workbook", "prefill", "device_status")


def _hash_dir(root: Path) -> str:
    """The bytes of every pack file (the cache key; mds2.yaml too, which the content hash leaves out)."""
    digest = hashlib.sha256()
    files = [
        root / METHOD_FILE,
        root / REGISTER_FILE,
        *([root / MDS2_FILE] if (root / MDS2_FILE).exists() else []),
        *([root / PREFILL_FILE] if (root / PREFILL_FILE).exists() else []),
        *([root / EDITIONS_FILE] if (root / EDITIONS_FILE).exists() else []),
        *sorted(p for p in root.glob("*/*.yaml") if p.name in LANGUAGE_FILES),
    ]
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def content_hash(root: Path, langs: dict[str, dict[str, Any]]) -> str:
    """The content hash written in every workbook: the method, the register and every language
    file, except the ``UNHASHED_UI`` sections of ui.yaml."""
    digest = hashlib.sha256()
    for name in (METHOD_FILE, REGISTER_FILE):
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    for code in sorted(langs):
        for name in sorted(LANGUAGE_FILES):
            data = langs[code][name]
            if name == "ui.yaml":
                data = {k: v for k, v in data.items() if k not in UNHASHED_UI}
            digest.update(f"{code}/{name}".encode() + b"\0")
            digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode() + b"\0")
    return digest.hexdigest()


def check_pack(root: str | Path | None = None) -> list[Problem]:
    """Every problem of the pack at ``root`` (the shipped pack by default), its message templates'
    too (outside the content hash: they never stop a pack from loading)."""
    root = Path(root) if root is not None else shipped_content_dir()
    return check_dir(root)[0] + check_messages(root)


_CACHE: dict[tuple[str, str], ContentPack] = {}


def load_pack(root: str | Path | None = None) -> ContentPack:
    """Load and validate a content pack; raise :class:`MedriskError` listing every problem."""
    root = Path(root) if root is not None else shipped_content_dir()
    problems, method, register, langs = read_pack(root)
    mds2_problems, mds2 = read_mds2(root, None if problems else method, langs)
    prefill_problems, prefill = read_prefill(root, None if problems else method)
    editions_problems, earlier = read_editions(root)
    problems += mds2_problems + prefill_problems + editions_problems
    if problems:
        raise MedriskError(problems)
    key = (str(root.resolve()), _hash_dir(root))
    if key in _CACHE:
        return _CACHE[key]
    crit = method["criticality"]
    group_of = {c: g["code"] for g in crit["groups"] for c in g["criteria"]}
    vuln = method["vulnerability"]
    pack = ContentPack(
        root=root,
        method=Method(
            id=method["id"],
            version=method["version"],
            default_language=method["default_language"],
            sources=tuple(method["sources"]),
            groups=tuple((g["code"], tuple(g["criteria"])) for g in crit["groups"]),
            criteria=tuple(
                Criterion(c["code"], group_of[c["code"]], tuple(c["points"])) for c in crit["criteria"]
            ),
            criticality_levels=tuple(Band(**b) for b in crit["levels"]),
            items=tuple(vuln["items"]),
            vuln_answers=tuple(VulnAnswer(**a) for a in vuln["answers"]),
            vulnerability_levels=tuple(Band(**b) for b in vuln["levels"]),
            matrix={(r, c): v for r, row in method["risk"]["matrix"].items() for c, v in row.items()},
        ),
        register=register_from_yaml(register),
        languages={
            code: Language(
                code,
                files["labels.yaml"],
                files["help.yaml"],
                files["actions.yaml"],
                files["ui.yaml"],
                files["register.yaml"],
            )
            for code, files in langs.items()
        },
        hash=content_hash(root, langs),
        mds2=mapping_from_yaml(mds2) if mds2 is not None else None,
        prefill=rules_from_yaml(prefill) if prefill is not None else None,
        earlier=earlier,
    )
    _CACHE[key] = pack
    return pack
