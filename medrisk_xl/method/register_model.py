"""The risk register's model (register.yaml): steps, scales, levels, the severity × probability
grid, the libraries of hazards, causes and situations, and the change form; language-independent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    """A coded entry of the register with the source section it comes from."""

    code: str
    section: str


@dataclass(frozen=True)
class Hazard(Entry):
    parent: str | None = None  # the broader hazard (Annex A.1 is a hierarchy)


@dataclass(frozen=True)
class Cause(Entry):
    hazards: tuple[str, ...] = ()  # the hazards the source links the cause to (Table A.2)


@dataclass(frozen=True)
class ChangeField(Entry):
    kind: str = "text"  # text, choice, yes_no, number or date
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Example:
    """A (severity, probability) -> level pair stated by a worked example of the source."""

    section: str
    situation: str
    stage: str  # initial or residual
    severity: str
    probability: str
    level: int


@dataclass(frozen=True)
class Seed:
    """The register row a non-compliant vulnerability item proposes: its hazard and cause."""

    hazard: str
    cause: str


@dataclass(frozen=True)
class Register:
    """Language-independent facts of the risk register of a medical IT-network
    (GOST R 56839-2015 / IEC/TR 80001-2-1:2012): the 10 steps, the scales in increasing order,
    the risk levels, the severity × probability grid and the libraries of Annex A."""

    sources: tuple[dict, ...]
    sections: dict[str, str]
    steps: tuple[Entry, ...]
    severities: tuple[str, ...]  # negligible … catastrophic
    probabilities: tuple[str, ...]  # improbable … frequent
    levels: tuple[tuple[str, int], ...]  # (code, level number), level 1 first
    grid: dict[tuple[str, str], int]  # (severity, probability) -> level number
    examples: tuple[Example, ...]
    control_types: tuple[Entry, ...]  # in order of preference
    hazards: tuple[Hazard, ...]
    causes: tuple[Cause, ...]
    situations: tuple[Entry, ...]
    questions: tuple[Entry, ...]
    seeding: dict[str, Seed]  # vulnerability item -> hazard and cause
    statuses: tuple[str, ...]  # a register row's statuses, in process order
    change_form: tuple[ChangeField, ...]

    def level(self, severity: str, probability: str) -> int:
        """Risk level (1 low, 2 medium, 3 high) of a severity and a probability code."""
        try:
            return self.grid[(severity, probability)]
        except KeyError:
            raise ValueError(f"unknown severity {severity!r} or probability {probability!r}") from None

    def level_code(self, level: int) -> str:
        """Code (low, medium, high) of a level number."""
        return next(code for code, number in self.levels if number == level)

    def hazard(self, code: str) -> Hazard:
        return next(h for h in self.hazards if h.code == code)

    def cause(self, code: str) -> Cause:
        return next(c for c in self.causes if c.code == code)


def register_from_yaml(data: dict[str, Any]) -> Register:
    """The validated register.yaml as a :class:`Register`."""
    entries = lambda key: tuple(Entry(e["code"], e["section"]) for e in data[key])  # noqa: E731
    return Register(
        sources=tuple(data["sources"]),
        sections=dict(data["sections"]),
        steps=entries("steps"),
        severities=tuple(data["severity"]),
        probabilities=tuple(data["probability"]),
        levels=tuple((lv["code"], lv["level"]) for lv in data["levels"]),
        grid={(s, p): level for s, row in data["grid"].items() for p, level in row.items()},
        examples=tuple(Example(**ex) for ex in data.get("examples") or []),
        control_types=entries("control_types"),
        hazards=tuple(Hazard(h["code"], h["section"], h.get("parent")) for h in data["hazards"]),
        causes=tuple(Cause(c["code"], c["section"], tuple(c["hazards"])) for c in data["causes"]),
        situations=entries("situations"),
        questions=entries("questions"),
        seeding={item: Seed(e["hazard"], e["cause"]) for item, e in data["seeding"].items()},
        statuses=tuple(data["statuses"]),
        change_form=tuple(
            ChangeField(f["code"], f["section"], f["kind"], tuple(f.get("options", ())))
            for f in data["change_form"]
        ),
    )
