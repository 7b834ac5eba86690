"""The guide sheet: how to fill the workbook, every question with its answers and help, the level
thresholds, the risk matrix and the method's sources; read from the content pack."""

from __future__ import annotations

from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook.write.plan import WorkbookPlan
from medrisk_xl.workbook.write.reading_sheet import level_text, protect_reading
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import row_height


def write_guide(ws, plan: WorkbookPlan, pack: ContentPack, language: Language, styles: Styles) -> None:
    """The guide sheet, section after section down five columns."""
    GuideWriter(ws, pack, language, styles).write()
    protect_reading(ws, plan)


class GuideWriter:
    """Writes the guide's sections; holds what they share: the sheet, its texts, the column widths
    and the next free row."""

    def __init__(self, ws, pack: ContentPack, language: Language, styles: Styles) -> None:
        self.ws = ws
        self.method = pack.method
        self.language = language
        self.styles = styles
        self.g = language.ui["guide"]
        self.lab = language.labels
        self.widths = styles.t["widths"]["guide"]  # code, group, question, answers, help
        self.merged = sum(self.widths) - len(self.widths)  # text merged across the five columns
        self.r = 0

    def write(self) -> None:
        """Every section, in the order the sheet shows them."""
        for col, width in enumerate(self.widths):
            self.ws.set_column(col, col, width)
        self.ws.write_string(0, 0, self.g["title"], self.styles.title)
        self.ws.set_row(0, 26)
        self.r = 2
        self.scales()
        self.criteria()
        self.items()
        self.thresholds()
        self.matrix()
        self.sources()

    def heads(self, title: str, heads: tuple[str, ...]) -> None:
        """A section's title, then its table's head row; leaves ``r`` on the first body row."""
        self.ws.write_string(self.r, 0, title, self.styles.subtitle)
        self.r += 1
        for col, head in enumerate(heads):
            self.ws.write_string(self.r, col, head, self.styles.table_head)
        self.r += 1

    def scales(self) -> None:
        """How to fill, and what criticality, vulnerability and risk mean."""
        hs = self.language.help["scales"]
        for title, text in (
            (self.g["how"], hs["how_to_fill"]),
            (self.lab["criticality"]["title"], hs["criticality"]),
            (self.lab["vulnerability"]["title"], hs["vulnerability"]),
            (self.lab["risk"]["title"], hs["risk"]),
        ):
            self.ws.write_string(self.r, 0, title, self.styles.subtitle)
            self.ws.merge_range(self.r + 1, 0, self.r + 1, 4, text, self.styles.text)
            self.ws.set_row(self.r + 1, row_height(text, self.merged))
            self.r += 3

    def criteria(self) -> None:
        """The criticality criteria: code, group, question, answers with their points, help."""
        g, gw, language = self.g, self.widths, self.language
        self.heads(g["criteria"], (g["code"], g["group"], g["question"], g["answers"], g["help"]))
        for crit in self.method.criteria:
            answers = "\n".join(
                f"{p} {g['points']} – {a}" for p, a in zip(crit.points, language.answer_labels(crit.code))
            )
            helptext = language.long_help(crit.code)
            group = self.lab["criticality"]["groups"][crit.group]
            values = (crit.code, group, language.title(crit.code), answers, helptext)
            for col, value in enumerate(values):
                self.ws.write_string(self.r, col, value, self.styles.table_cell)
            self.ws.set_row(
                self.r,
                max(
                    row_height(values[1], gw[1]),
                    row_height(values[2], gw[2]),
                    row_height(answers, gw[3]),
                    row_height(helptext, gw[4]),
                ),
            )
            self.r += 1

    def items(self) -> None:
        """The vulnerability items: code, question, the shared answers, help."""
        g, gw, language, m = self.g, self.widths, self.language, self.method
        self.r += 1
        self.heads(g["items"], (g["code"], "", g["question"], g["answers"], g["help"]))
        vanswers = "\n".join(
            f"{a.points} {g['points']} – {label}"
            for a, label in zip(m.vuln_answers, language.answer_labels(m.items[0]))
        )
        for code in m.items:
            helptext = language.long_help(code)
            for col, value in enumerate((code, "", language.title(code), vanswers, helptext)):
                self.ws.write_string(self.r, col, value, self.styles.table_cell)
            heights = (row_height(helptext, gw[4]), row_height(language.title(code), gw[2]))
            self.ws.set_row(self.r, max(*heights, row_height(vanswers, gw[3])))
            self.r += 1

    def thresholds(self) -> None:
        """The points from and to of each criticality and vulnerability level."""
        g, ws, styles, m = self.g, self.ws, self.styles, self.method
        self.r += 1
        self.heads(g["thresholds"], ("", g["level"], g["from"], g["to"]))
        for axis, bands in (("criticality", m.criticality_levels), ("vulnerability", m.vulnerability_levels)):
            for band in bands:
                ws.write_string(self.r, 0, self.lab[axis]["short"], styles.table_cell)
                text = level_text(self.language, axis, band.level)
                ws.write_string(self.r, 1, text, styles.level_label[band.level])
                ws.write_number(self.r, 2, band.min, styles.number_cell)
                ws.write_number(self.r, 3, band.max, styles.number_cell)
                self.r += 1

    def matrix(self) -> None:
        """The risk level of each vulnerability × criticality pair."""
        ws, styles, lab, language = self.ws, self.styles, self.lab, self.language
        self.r += 1
        ws.write_string(self.r, 0, self.g["matrix"], styles.subtitle)
        self.r += 1
        corner = f"{lab['vulnerability']['short']} ↓ / {lab['criticality']['short']} →"
        ws.write_string(self.r, 1, corner, styles.table_head)
        for c in (1, 2, 3):
            ws.write_string(self.r, 1 + c, level_text(language, "criticality", c), styles.table_head)
        for v in (3, 2, 1):
            self.r += 1
            ws.write_string(self.r, 1, level_text(language, "vulnerability", v), styles.table_head)
            for c in (1, 2, 3):
                risk = self.method.risk_level(v, c)
                text = f"{risk} – {lab['risk']['short_levels'][risk]}"
                ws.write_string(self.r, 1 + c, text, styles.level_label[risk])

    def sources(self) -> None:
        """The method's sources, one per row merged across the columns."""
        self.r += 2
        self.ws.write_string(self.r, 0, self.g["sources"], self.styles.subtitle)
        for src in self.method.sources:
            self.r += 1
            text = f"[{src['id']}] {src['title']} — {src['reference']}"
            self.ws.merge_range(self.r, 0, self.r, 4, text, self.styles.text)
            self.ws.set_row(self.r, row_height(text, self.merged))
