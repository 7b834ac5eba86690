"""Audit one workbook: static audit against the generator's reference, then the dynamic audit in
the chosen engines. Works on private copies in a temporary folder; the input is never written."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import openpyxl

from medrisk_xl import engines
from medrisk_xl.audit.audit_report import AuditReport, FileAudit
from medrisk_xl.audit.dynamic import EngineRun, audit_dynamic
from medrisk_xl.audit.finding_codes import finding
from medrisk_xl.audit.reference import (
    RebuildError,
    build_reference,
    read_meta,
    rebuild_plan,
    structure_differences,
)
from medrisk_xl.audit.static import audit_static
from medrisk_xl.core.output_folder import reason
from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.core.version import __version__
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.pack import ContentPack, load_pack
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.opening import Unreadable
from medrisk_xl.workbook.read.output_kind import named_output
from medrisk_xl.workbook.read.parts import ActiveContent
from medrisk_xl.workbook.read.provenance_verdict import (
    NOT_OURS,
    UNKNOWN_SCHEMA,
    FileKind,
    provenance_verdict,
    reads_workbook_schema,
)
from medrisk_xl.workbook.read.reader import read_workbook


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Workbooks to audit: the files given, and the .xlsx/.xlsm found in the folders given."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in (".xlsx", ".xlsm")
                and not p.name.startswith((".", "~$"))
            ]
        else:
            files.append(path)
    return files


def chosen_engines(engine: str) -> list[str]:
    """``all`` -> every engine; else the one named."""
    return list(engines.ENGINES) if engine == "all" else [engine]


def audit(
    paths: Iterable[str | Path],
    pack: ContentPack | None = None,
    engine: str = "all",
    samples: int = 50,
    seed: int = 2026,
    static_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> AuditReport:
    """Audit every workbook of ``paths``: static, then dynamic in ``engine`` (or ``all``)."""
    pack = pack or load_pack()
    paths = collect(paths)
    files = []
    for i, path in enumerate(paths):
        if progress:
            progress(i, len(paths))
        files.append(audit_file(path, pack, engine, samples, seed, static_only))
    if progress:
        progress(len(paths), len(paths))
    return AuditReport(
        files=files,
        engine=engine,
        samples=samples,
        seed=seed,
        tool=f"medrisk-xl {__version__}",
        content=f"{pack.method.id} {pack.method.version} (hash {pack.hash[:12]})",
        pack=(f"{pack.method.id} {pack.method.version}", pack.hash[:12]),
        date=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        available=engines.available(),
    )


# The audit judges any workbook with a _meta sheet by its schema and content (validate also asks
# that medrisk-xl made it): the same verdicts, with the audit's own rule of what is ours.
AUDITED_WORKBOOK = FileKind(is_ours=bool, reads_schema=reads_workbook_schema)


def _provenance_finding(verdict: str, meta: dict[str, str], pack: ContentPack) -> Problem:
    """The audit's finding for a workbook that is not ours, of another contract or of another
    content pack (``verdict``: :func:`provenance_verdict`'s)."""
    named = named_output(meta, "audit.other-kind")  # a _meta of another kind: named for what it is
    if named is not None:
        return finding("not-medrisk", named)
    if verdict == NOT_OURS:
        return finding("not-medrisk", msg("audit.not-medrisk"))
    if verdict == UNKNOWN_SCHEMA:
        return finding(
            "unknown-schema", msg("audit.unknown-schema", version=meta.get(contract.Meta.SCHEMA_VERSION))
        )
    return finding(
        "other-content",
        msg(
            "audit.other-content",
            content=f"{meta.get(contract.Meta.CONTENT_ID)} {meta.get(contract.Meta.CONTENT_VERSION)}",
            hash=meta.get(contract.Meta.CONTENT_HASH, "")[:12],
            pack=f"{pack.method.id} {pack.method.version}",
            pack_hash=pack.hash[:12],
        ),
    )


def audit_file(
    path: Path,
    pack: ContentPack,
    engine: str = "all",
    samples: int = 50,
    seed: int = 2026,
    static_only: bool = False,
) -> FileAudit:
    """The static and dynamic audits of one workbook."""
    result = FileAudit(path=str(path))
    try:
        data = path.read_bytes()
        result.sha256 = hashlib.sha256(data).hexdigest()
        book = read_workbook(path)
    except OSError as exc:
        result.findings.append(finding("unreadable", msg("audit.cannot-read", reason=reason(exc))))
        return result
    except ActiveContent as exc:  # refused before any parser ran: one finding per part
        result.findings += [finding(f.code, f.said) for f in exc.findings]
        return result
    except Unreadable as exc:
        result.findings.append(finding("unreadable", exc.said))
        return result
    result.findings += [finding(f.code, f.said) for f in book.notices]
    if book.kind != "xlsx":
        result.findings.append(finding("unreadable", msg("audit.not-xlsx")))
        return result
    meta = book.meta
    result.layout, result.language = meta.get(contract.Meta.LAYOUT), meta.get(contract.Meta.LANGUAGE)
    verdict = provenance_verdict(meta, pack.hashes, AUDITED_WORKBOOK)
    if verdict is not None:
        result.findings.append(_provenance_finding(verdict, meta, pack))
        return result
    try:
        plan = rebuild_plan(book, pack)
        reference = build_reference(plan, pack)
    except RebuildError as exc:
        result.findings.append(finding("rebuild-failed", exc.said))
        return result
    differ = structure_differences(book, read_meta(reference))
    if differ:
        result.findings.append(
            finding("rebuild-failed", msg("audit.rebuild-differs", keys=", ".join(differ)))
        )
        return result
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        original = openpyxl.load_workbook(path)
        ref_book = openpyxl.load_workbook(io.BytesIO(reference))
    try:
        try:
            result.findings, result.counts = audit_static(path, original, ref_book)
        finally:
            ref_book.close()
        result.static_done = True
        if static_only:
            return result
        with tempfile.TemporaryDirectory(prefix="medrisk-audit-") as tmp:
            # The probes change the static audit's copy of the workbook: it is not loaded twice.
            runs: list[EngineRun] = audit_dynamic(
                path, book, plan, pack, chosen_engines(engine), Path(tmp), samples, seed, original
            )
    finally:
        original.close()
    result.runs = runs
    for run in runs:
        if run.error and engines.missing(run.engine):
            code = "engine-missing"
        elif run.error:
            code = "engine-failed"
        else:
            continue
        result.findings.append(finding(code, msg("audit.engine-error", engine=run.engine, error=run.error)))
    if engine != "all":  # an engine asked for by name must run
        result.findings = [
            f if f.code != "engine-missing" else finding("engine-failed", f.template or f.message)
            for f in result.findings
        ]
    for run in runs:
        for m in run.first[:1]:
            result.findings.append(
                finding(
                    "engine-mismatch",
                    msg(
                        "audit.engine-mismatch",
                        engine=run.engine,
                        got=repr(m.got),
                        expected=repr(m.expected),
                        case=m.case,
                        count=run.mismatches,
                    ),
                    sheet=m.sheet,
                    cell=m.cell,
                )
            )
    return result


# Workbooks a content pack is proven on (content check --audit): a blank workbook in each layout
# and language, with this many free rows (grid) or forms.
PACK_ROWS = {"grid": 70, "form": 12}


def audit_pack(
    pack: ContentPack,
    engine: str = "all",
    samples: int = 50,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
) -> AuditReport:
    """Generate a workbook from ``pack`` in every layout and language, each with the risk register
    (so that a site's grid is proven too), and audit each one."""
    with tempfile.TemporaryDirectory(prefix="medrisk-pack-audit-") as tmp:
        paths = []
        for lang in sorted(pack.languages):
            for layout, rows in PACK_ROWS.items():
                out = Path(tmp) / f"{layout}-{lang}"
                options = Options(lang=lang, layout=layout, spare_rows=rows, register=True)
                result = generate(None, out, options, pack)
                path = out / result.manifest["workbooks"][0]["file"]
                named = Path(tmp) / f"{pack.method.id}-{layout}-{lang}.xlsx"
                path.rename(named)
                paths.append(named)
        report = audit(paths, pack, engine, samples, seed, progress=progress)
    for f in report.files:
        f.path = Path(f.path).name
    return report
