"""Open workbooks in a real LibreOffice window and report what one sheet of each shows.

Run by the Python that LibreOffice's UNO bridge belongs to (Debian: /usr/bin/python3 with
python3-uno), on an X screen (Xvfb), never imported by the tests: it cannot import the package.
Usage: python3 lo_window.py WIDTH HEIGHT SHEET_INDEX FILE [SHOT_DIR]...
Prints one JSON line per file: the zoom, the visible cell range of each pane (0-based start
column, start row, end column, end row; fully visible cells only) and the window's size; with
SHOT_DIR, an X screenshot of each window there (Xvfb's frame buffer, saved as .xwd).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno  # the bridge (it also sets up the com.sun.star imports)
from com.sun.star.beans import PropertyValue


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # not listening yet
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not start listening")


def show(desktop, path: str, width: int, height: int, sheet: int) -> dict:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, ())
    if doc is None:
        raise SystemExit(f"LibreOffice could not open {path} in a window (no GUI plugin?)")
    ctrl = doc.CurrentController
    window = ctrl.Frame.ContainerWindow
    window.setPosSize(0, 0, width, height, 15)
    ctrl.setActiveSheet(doc.Sheets.getByIndex(sheet))
    time.sleep(2)  # let the window lay out at its size
    panes = []
    for i in range(ctrl.getCount()):
        r = ctrl.getByIndex(i).getVisibleRange()
        panes.append([r.StartColumn, r.StartRow, r.EndColumn, r.EndRow])
    size = window.getPosSize()
    return {
        "file": path,
        "zoom": ctrl.ZoomValue,
        "panes": panes,
        "window": [size.Width, size.Height],
        "doc": doc,
    }


def main() -> None:
    width, height, sheet = (int(a) for a in sys.argv[1:4])
    files = sys.argv[4:]
    shots = files.pop() if files and os.path.isdir(files[-1]) else None
    profile = tempfile.mkdtemp(prefix="medrisk-lo-window-")
    pipe = f"medrisk{os.getpid()}"
    soffice = subprocess.Popen(
        [
            "soffice",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        desktop = connect(pipe).ServiceManager.createInstance("com.sun.star.frame.Desktop")
        for path in files:
            seen = show(desktop, path, width, height, sheet)
            doc = seen.pop("doc")
            if shots:
                name = os.path.splitext(os.path.basename(path))[0] + ".xwd"
                subprocess.run(["xwd", "-root", "-silent", "-out", os.path.join(shots, name)], check=False)
            print(json.dumps(seen), flush=True)
            doc.close(True)
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
            desktop.terminate()
        soffice.wait(timeout=60)
    finally:
        if soffice.poll() is None:
            soffice.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
