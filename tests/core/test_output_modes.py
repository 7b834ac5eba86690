"""Every file medrisk-xl writes gets the permissions of an ordinary file under the user's umask
(issue 22): a consolidated workbook shared on a server must be readable by the team, as the
campaign's workbooks are. Each umask is set in a fresh process (the umask is process-wide)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]  # tests/, where support/ is

SCRIPT = textwrap.dedent(
    """
    import importlib.util, json, os, stat, sys
    from pathlib import Path
    os.umask(int(sys.argv[1], 8))
    sys.path.insert(0, sys.argv[3])
    from click.testing import CliRunner
    from support.answers import write_inventory
    from medrisk_xl.cli import cli
    from medrisk_xl.audit.run import audit

    out = Path(sys.argv[2])
    run = CliRunner().invoke
    modes = {}
    write_inventory(out / "inv.csv", {"Cardiologie": 3, "Urgences": 2})
    db = out / "history.sqlite"
    for campaign in ("a", "b"):
        folder = out / f"campaign-{campaign}"
        res = run(cli, ["generate", str(out / "inv.csv"), "-o", str(folder), "--campaign", campaign])
        assert res.exit_code == 0, res.output
        modes[f"campaign folder {campaign}"] = folder.stat().st_mode
        for child in folder.iterdir():
            modes[f"campaign {campaign}: {child.name}"] = child.stat().st_mode
        books = sorted(str(p) for p in folder.glob("*.xlsx"))
        args = ["consolidate", *books, "-o", str(out / f"carto-{campaign}.xlsx"), "--db", str(db),
                "--csv", str(out / f"register-{campaign}.csv")]
        if importlib.util.find_spec("pyarrow"):
            args += ["--parquet", str(out / f"register-{campaign}.parquet")]
        res = run(cli, args)
        assert res.exit_code == 0, res.output
    res = run(cli, ["compare", "a", "b", "--db", str(db), "-o", str(out / "compare.xlsx")])
    assert res.exit_code == 0, res.output
    report = audit([out / "campaign-a"], static_only=True)
    report.write(out / "audit.md")
    report.write(out / "audit.xlsx")
    for path in out.iterdir():
        if path.is_file() and path.name != "inv.csv":
            modes[path.name] = path.stat().st_mode
    print(json.dumps({k: stat.S_IMODE(v) for k, v in modes.items()}))
    """
)


@pytest.mark.parametrize("umask, file_mode, folder_mode", [("022", 0o644, 0o755), ("077", 0o600, 0o700)])
def test_every_output_gets_an_ordinary_mode(umask, file_mode, folder_mode, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, umask, str(tmp_path), str(TESTS)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    modes = json.loads(done.stdout.strip().splitlines()[-1])
    names = set(modes)
    for expected in (
        "carto-a.xlsx",
        "register-a.csv",
        "compare.xlsx",
        "audit.md",
        "audit.xlsx",
        "history.sqlite",
    ):
        assert expected in names, names
    assert any(n.startswith("campaign a: ") and n.endswith(".xlsx") for n in names)
    assert "campaign a: campaign.json" in names
    wrong = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (folder_mode if name.startswith("campaign folder") else file_mode)
    }
    assert not wrong, wrong
