"""Drive LibreOffice headless to recalculate and convert spreadsheets.

LibreOffice does not recalculate an .xlsx on load by default: it trusts the cached values the writer
stored (XlsxWriter stores 0 unless told otherwise). Every run here therefore uses a throw-away user
profile whose ``registrymodifications.xcu`` sets the Calc "recalculation on file load" modes, so the
outcome never depends on the settings of the person or CI runner calling it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from medrisk_xl.core.problems import MessageError, msg

# fmt -> (output suffix, --convert-to argument)
FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": ("xlsx", "xlsx:Calc MS Excel 2007 XML"),
    "ods": ("ods", "ods"),
    "xls": ("xls", "xls:MS Excel 97"),  # Excel 97-2003, as several CMMS still export
    "pdf": ("pdf", "pdf:calc_pdf_Export"),
    # comma, double quote, UTF-8 (76), start at line 1: first sheet only, as LibreOffice does.
    "csv": ("csv", "csv:Text - txt - csv (StarCalc):44,34,76,1"),
}

# Values of /org.openoffice.Office.Calc/Formula/Load ODFRecalcMode and OOXMLRecalcMode:
# 0 always, 1 never (LibreOffice's default), 2 prompt. Never use 2 headless: the unanswered
# prompt makes the load fail ("source file could not be loaded") and no output is written.
RECALC_ALWAYS = 0
RECALC_NEVER = 1

# Error values as Excel spells them (openpyxl returns them as strings with data_only=True).
ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
        "#PYTHON!",
    }
)

_STDERR_TAIL = 2000

_XCU_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


class LibreOfficeError(MessageError):
    """LibreOffice is missing, timed out, or did not produce an expected file."""


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice`` (or ``libreoffice``) executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _write_profile(profile: Path, recalc: bool) -> None:
    """Pre-write the user profile's registry so Calc recalculates on load (or never does)."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    mode = RECALC_ALWAYS if recalc else RECALC_NEVER
    (user / "registrymodifications.xcu").write_text(_XCU_TEMPLATE.format(mode=mode), encoding="utf-8")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill soffice and its children (oosplash starts soffice.bin in the same process group)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except ProcessLookupError:
        pass


def _tail(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").strip()
    return text[-_STDERR_TAIL:] if text else "(empty)"


def convert(
    paths: Sequence[Path],
    outdir: Path,
    fmt: str = "xlsx",
    *,
    recalc: bool = True,
    timeout: float = 300,
) -> list[Path]:
    """Convert every file in ``paths`` to ``fmt`` in ``outdir`` with a single soffice process.

    Returns the output paths in input order (same stem, suffix of ``fmt``). With ``recalc`` every
    formula is recalculated on load; without it the cached values are kept as they are.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format {fmt!r}; expected one of {', '.join(FORMATS)}")
    suffix, filter_arg = FORMATS[fmt]
    if not paths:
        return []

    inputs = [Path(p).resolve() for p in paths]
    outdir = Path(outdir).resolve()
    outputs = _output_paths(inputs, outdir, suffix)
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError(msg("engine.soffice-not-found"))
    outdir.mkdir(parents=True, exist_ok=True)
    for out in outputs:  # a stale file must not pass for this run's output
        out.unlink(missing_ok=True)

    returncode, stderr = _run_soffice(soffice, inputs, outdir, fmt, filter_arg, recalc, timeout)
    for src, out in zip(inputs, outputs):
        if not out.is_file():
            raise LibreOfficeError(
                msg(
                    "engine.soffice-no-output",
                    src=str(src),
                    out=str(out),
                    code=returncode,
                    stderr=_tail(stderr),
                )
            )
    return outputs


def _output_paths(inputs: list[Path], outdir: Path, suffix: str) -> list[Path]:
    """Where each input's conversion lands; refuses a missing input, an input in ``outdir``, and
    two inputs that would land on one output."""
    for src in inputs:
        if not src.is_file():
            raise LibreOfficeError(msg("engine.input-not-found", src=str(src)))
        if src.parent == outdir:
            raise LibreOfficeError(msg("engine.outdir-holds-input", outdir=str(outdir), name=src.name))
    outputs = [outdir / f"{src.stem}.{suffix}" for src in inputs]
    seen: dict[Path, Path] = {}
    for src, out in zip(inputs, outputs):
        if out in seen:
            raise LibreOfficeError(
                msg("engine.same-output", first=str(seen[out]), second=str(src), out=str(out))
            )
        seen[out] = src
    return outputs


def _run_soffice(
    soffice: str, inputs: list[Path], outdir: Path, fmt: str, filter_arg: str, recalc: bool, timeout: float
) -> tuple[int | None, bytes]:
    """One soffice process converting ``inputs``, in a throwaway profile; its exit code and stderr.
    Killed (its whole process group) on timeout or interruption."""
    profile = Path(tempfile.mkdtemp(prefix="medrisk-lo-"))
    try:
        _write_profile(profile, recalc)
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            filter_arg,
            "--outdir",
            str(outdir),
            *(str(src) for src in inputs),
        ]
        env = {**os.environ, "HOME": str(profile)}
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            _stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            _stdout, stderr = proc.communicate()
            raise LibreOfficeError(
                msg(
                    "engine.soffice-timeout",
                    count=len(inputs),
                    fmt=fmt,
                    seconds=f"{timeout:g}",
                    stderr=_tail(stderr),
                )
            ) from None
        except BaseException:  # e.g. KeyboardInterrupt: leave no soffice behind
            _kill_group(proc)
            proc.wait()
            raise
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return proc.returncode, stderr


def recalculate(path: Path, outdir: Path) -> Path:
    """Recalculate one .xlsx with LibreOffice; return the recalculated copy written in ``outdir``."""
    return convert([path], outdir, "xlsx", recalc=True)[0]


def error_cells(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, cell, value) of every cell holding an error value, hidden sheets included.

    Reads cached values, so ``path`` should be a file LibreOffice has recalculated. LibreOffice's own
    errors (Err:502...) are written to .xlsx as Excel codes (mostly #VALUE!); a text cell spelling an
    error code is reported too.
    """
    from openpyxl import load_workbook

    found: list[tuple[str, str, str]] = []
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if isinstance(value, str) and (value in ERROR_VALUES or value.startswith("Err:")):
                        found.append((ws.title, cell.coordinate, value))
    finally:
        wb.close()
    return found
