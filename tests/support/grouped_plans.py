"""The grouped action plan's expectations, computed here from the content pack and the register
(never from the writer's grouping): every device action, the group a device belongs to, and the
plan's rows read back by their code row."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pandas as pd

from medrisk_xl.consolidate.tables import Consolidation

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
RETURNS, MANIFEST = SAMPLES / "returns", SAMPLES / "campaign" / "campaign.json"
IDS_SEPARATOR = ", "


def device_actions(language, register: pd.DataFrame) -> dict[tuple[str, str, str], dict]:
    """(device, source, ref) -> the action's text and the device's group values, risk and
    criticality: a row per theme of its level's plan, one per non-compliant item."""
    ui = language.ui["consolidated"]
    out = {}
    reg = register[register["included"].astype(bool) & register["risk_level"].isin([2, 3]).fillna(False)]
    for rec in reg.to_dict("records"):
        level = int(rec["risk_level"])
        plan = language.actions["plans"][level]["themes"]
        source = ui["action_source"]["plan"].format(level=level)
        for theme, question in language.actions["themes"].items():
            if plan.get(theme):
                text = "\n".join(f"• {a}" for a in plan[theme])
                out[(rec["device_id"], source, theme)] = {**rec, "topic": question, "text": text}
        items = rec["non_compliant_items"] if isinstance(rec["non_compliant_items"], str) else ""
        for code in [c.strip() for c in items.split(",") if c.strip()]:
            item = language.actions["items"][code]
            text = "\n".join(
                [
                    f"{language.ui['plans']['discuss']} — {item['discuss']}",
                    *(f"• {a}" for a in item["actions"]),
                ]
            )
            out[(rec["device_id"], ui["action_source"]["item"].format(code=code), code)] = {
                **rec,
                "topic": language.title(code),
                "text": text,
            }
    return out


def _fold(value) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip().casefold()


def group_of(plan_by: str, rec: dict) -> tuple:
    """The group of a device: site and department, plus manufacturer and model (``model``), its
    own when either is unknown."""
    key = (_fold(rec["site"]), _fold(rec["department"]))
    if plan_by == "department":
        return key
    brand, model = _fold(rec["manufacturer"]), _fold(rec["model"])
    return (*key, brand, model) if brand and model else (*key, brand, model, rec["device_id"])


def plan_sheet_rows(path: Path) -> list[dict]:
    """The grouped plan's rows ({code: value}, ``_row``, ``_ids``) from every action sheet."""
    wb = openpyxl.load_workbook(path, read_only=True)
    meta = dict(wb["_meta"].iter_rows(values_only=True))
    out = []
    for name in json.loads(meta["action_sheets"]):
        rows = list(wb[name].iter_rows(values_only=True))
        codes = rows[0]
        for r, values in enumerate(rows[2:], start=3):
            if any(v is not None for v in values):
                row = dict(zip(codes, values))
                row["_row"] = r
                row["_ids"] = [] if not row["device_ids"] else row["device_ids"].split(IDS_SEPARATOR)
                out.append(row)
    return out


def shared_models(result: Consolidation) -> Consolidation:
    """The samples' campaign with devices of one designation sharing a model (Medivia, model =
    designation, some in another case or with spaces), and one device of unknown manufacturer."""
    reg = result.register.copy()
    reg["manufacturer"] = ["Medivia" if i % 4 else " MEDIVIA " for i in range(len(reg))]
    reg["model"] = reg["designation"]
    mapped = reg.index[reg["included"] & reg["risk_level"].isin([2, 3]).fillna(False)]
    reg.loc[mapped[0], "manufacturer"] = None
    return dataclasses.replace(result, register=reg)


def fleet(samples, n: int = 3000, same_group: bool = False, long_ids: bool = False):
    """``n`` devices cycling over the samples' answers: 2 sites, 12 departments, 3 manufacturers
    written three ways, 5 models, one device in 97 of unknown manufacturer."""
    base = samples.register.to_dict("records")
    records = []
    for i in range(n):
        rec = dict(base[i % len(base)])
        rec["device_id"] = f"INVENTAIRE-BIOMEDICAL-CHU-NORD-{i:06d}" if long_ids else f"F{i:05d}"
        if same_group:
            rec.update(site="Nord", department="Réanimation", manufacturer="Acme", model="P-1")
        else:
            rec.update(
                site=("Nord", "Sud ")[i % 2],
                department=f"Service {i % 12:02d}",
                manufacturer=None if i % 97 == 0 else ("Acme", "ACME ", "acme")[i % 3],
                model=f"M{(i // 3) % 5}",
            )
        records.append(rec)
    register = pd.DataFrame(records, columns=samples.register.columns)
    return dataclasses.replace(
        samples, register=register, follow_up=None, follow_up_devices=None, hazards=None
    )
