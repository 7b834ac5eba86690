"""Regenerate docs/images/input-screen.png: the input sheet of the largest sample department as
LibreOffice shows it in a window on a common hospital PC screen (1366 x 768), the view
tests/workbook/test_screen.py checks (15 device rows, 6 answer columns).

Needs what that test needs (Xvfb, python3-uno, LibreOffice's X11 build, Carlito unpacked in
/opt/medrisk-test-fonts as .ci/run does) and xwd (x11-apps) for the screenshot.

Usage: python scripts/make_screen_picture.py
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

from medrisk_xl.generate.campaign import Options, generate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "input-screen.png"
SCREEN = (1366, 768)
FONTS = Path(os.environ.get("MEDRISK_TEST_FONTS", "/opt/medrisk-test-fonts"))


def read_xwd(path: Path) -> np.ndarray:
    """The RGB pixels of an X window dump of a 24-bit TrueColor screen (as Xvfb's)."""
    data = path.read_bytes()
    header = struct.unpack(">25I", data[:100])
    size, ncolors, width, height, per_line = header[0], header[19], header[4], header[5], header[12]
    start = size + ncolors * 12
    rows = np.frombuffer(data[start : start + per_line * height], dtype=np.uint8).reshape(height, per_line)
    return rows[:, : width * 4].reshape(height, width, 4)[:, :, [2, 1, 0]]


def write_png(rgb: np.ndarray, path: Path) -> None:
    """``rgb`` as an 8-bit RGB PNG (no filter, zlib-compressed)."""
    height, width, _ = rgb.shape
    raw = b"".join(b"\0" + rgb[y].tobytes() for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        result = generate(
            ROOT / "samples" / "inventory.csv", tmp_path / "c", Options(campaign="demo-2026", password="pw")
        )
        entry = max(result.manifest["workbooks"], key=lambda w: len(w["device_ids"]))
        conf = tmp_path / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{FONTS}</dir>'
            f"<cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>",
            encoding="utf-8",
        )
        read, write = os.pipe()
        xvfb = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write),
                "-screen",
                "0",
                f"{SCREEN[0]}x{SCREEN[1]}x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write,),
        )
        os.close(write)
        with os.fdopen(read) as f:
            display = f.readline().strip()
        try:
            shots = tmp_path / "shots"
            shots.mkdir()
            env = {**os.environ, "DISPLAY": f":{display}", "FONTCONFIG_FILE": str(conf)}
            window = ROOT / "tests" / "support" / "lo_window.py"
            book = tmp_path / "c" / entry["file"]
            run = subprocess.run(
                ["/usr/bin/python3", str(window), *map(str, SCREEN), "1", str(book), str(shots)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if run.returncode:
                sys.exit(run.stderr)
            print(run.stdout.strip())
            write_png(read_xwd(shots / (book.stem + ".xwd")), OUT)
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=30)
    print(f"{OUT.relative_to(ROOT)}: {entry['department']}, {SCREEN[0]}x{SCREEN[1]}")


if __name__ == "__main__":
    main()
