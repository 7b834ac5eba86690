"""The output folder: --force replaces only a previous campaign, unwritable places fail cleanly."""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from medrisk_xl import MedriskError
from medrisk_xl.cli import cli
from medrisk_xl.core import output_folder as output_mod
from medrisk_xl.generate.campaign import Options, generate

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "inventory.csv"
SMALL = "N° inventaire;Désignation;Service\nA1;Pompe;Réa\nA2;Moniteur;Urgences\n"


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (hidden ones too) with its bytes (``None`` for folders)."""
    return {
        str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes()) for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    path = tmp_path / "inv.csv"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture
def campaign(tmp_path: Path, inv: Path, pack) -> Path:
    """A previous campaign's output."""
    generate(inv, tmp_path / "camp", Options(password="p"), pack)
    return tmp_path / "camp"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["generate", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_force_replaces_a_previous_campaign(tmp_path, inv, campaign):
    assert sorted(p.name for p in campaign.iterdir()) == ["Rea.xlsx", "Urgences.xlsx", "campaign.json"]
    code, out = run(str(inv), "-o", str(campaign), "--force", "--split-by", "none", "--campaign", "c2")
    assert code == 0, out
    assert sorted(p.name for p in campaign.iterdir()) == ["c2.xlsx", "campaign.json"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_not_empty_without_force_says_what_to_do(tmp_path, inv, campaign):
    code, out = run(str(inv), "-o", str(campaign))
    assert code == 1 and "use --force to replace the previous campaign" in out
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "letter.odt").write_bytes(b"mine")
    code, out = run(str(inv), "-o", str(tmp_path / "docs"))
    assert code == 1 and "choose another folder" in out and "--force" not in out


def test_force_never_deletes_the_current_folder_or_its_ancestors(tmp_path, inv, monkeypatch):
    """The issue's case: `-o . --force` in a folder holding the inventory and a user's document."""
    (tmp_path / "report.docx").write_bytes(b"a user's document")
    work = tmp_path / "work"
    work.mkdir()
    (work / "inv.csv").write_text(SMALL, encoding="utf-8")
    before = tree(tmp_path)
    monkeypatch.chdir(work)
    for target, why in ((".", "it is the current folder"), ("..", "it contains the current folder")):
        code, out = run("inv.csv", "-o", target, "--force")
        assert code == 1, out
        assert f"{Path(target).resolve()}: --force refused: {why}" in out
    assert tree(tmp_path) == before


def test_force_never_deletes_the_inventory(tmp_path, campaign, pack):
    # Even named like a workbook that campaign.json lists, the inventory is never replaced.
    inside = campaign / "Rea.xlsx"
    before = tree(campaign)
    with pytest.raises(MedriskError) as err:
        generate(inside, campaign, Options(force=True), pack)
    (problem,) = err.value.problems
    assert problem.code == "unsafe-force" and problem.file == str(campaign)
    assert "holds the inventory" in problem.message
    assert tree(campaign) == before


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        (
            lambda d: (d / "notes.txt").write_text("mine"),
            "holds files the generator did not write: notes.txt",
        ),
        (lambda d: (d / "sub").mkdir(), "holds files the generator did not write: sub"),
        (lambda d: (d / "campaign.json").unlink(), "holds no campaign.json of a previous campaign"),
        (lambda d: (d / "campaign.json").write_text("{}"), "holds no campaign.json of a previous campaign"),
        (lambda d: (d / "campaign.json").write_text("not json"), "holds no campaign.json"),
    ],
)
def test_force_refuses_a_folder_holding_anything_else(tmp_path, inv, campaign, setup, needle):
    setup(campaign)
    before = tree(tmp_path)
    code, out = run(str(inv), "-o", str(campaign), "--force")
    assert code == 1 and f"{campaign}: --force refused: " in out and needle in out, out
    assert tree(tmp_path) == before


def test_force_refuses_a_folder_of_user_documents(tmp_path, inv):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.xlsx").write_bytes(b"a user's workbook")
    code, out = run(str(inv), "-o", str(docs), "--force")
    assert code == 1 and "not a campaign's output" in out
    assert (docs / "a.xlsx").read_bytes() == b"a user's workbook"


def test_below_an_existing_file(tmp_path, inv):
    (tmp_path / "file.txt").write_text("x")
    before = tree(tmp_path)
    code, out = run(str(inv), "-o", str(tmp_path / "file.txt" / "sub" / "out"))
    assert code == 1
    assert (
        f"{tmp_path / 'file.txt' / 'sub' / 'out'}: cannot be created: {tmp_path / 'file.txt'} is a file"
        in out
    )
    assert tree(tmp_path) == before


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_proc_is_refused_cleanly(inv):
    code, out = run(str(inv), "-o", "/proc/x")
    assert code == 1 and out.startswith("/proc/x: cannot create the output folder: ")
    assert not Path("/proc/x").exists()


def _deny_beside(monkeypatch, folder: Path, err: int = errno.EACCES) -> None:
    """Make ``folder`` refuse new entries, as a parent the user does not own would."""
    real = tempfile.mkdtemp

    def mkdtemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == folder:
            raise OSError(err, os.strerror(err), str(folder))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(output_mod.tempfile, "mkdtemp", mkdtemp)


def test_read_only_parent(tmp_path, inv, monkeypatch):
    parent = tmp_path / "locked"
    parent.mkdir()
    _deny_beside(monkeypatch, parent)
    code, out = run(str(inv), "-o", str(parent / "out"))
    assert code == 1 and f"{parent / 'out'}: cannot create the output folder: permission denied" in out
    assert list(parent.iterdir()) == []


def as_unprivileged_user(work) -> tuple[int, str]:
    """``work()`` as the user ``nobody`` when the suite runs as root (root ignores file
    permissions), in a forked child whose modules are already imported; else in this process."""
    import pwd
    import traceback

    if os.geteuid() != 0:
        return work()
    nobody = pwd.getpwnam("nobody")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for good, run, report through the pipe, never return
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            code, out = work()
            payload = json.dumps([code, out])
        except BaseException:
            payload = json.dumps([-1, traceback.format_exc()])
        os.write(write, payload.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    code, out = json.loads(data)
    return code, out


@pytest.mark.skipif(os.name != "posix", reason="POSIX file permissions")
def test_read_only_parent_for_real(tmp_path, inv):
    """A folder nobody may write in, for real: as root, the check runs as ``nobody``."""
    work = Path(tempfile.mkdtemp())  # not under tmp_path: its parents are private to this user
    try:
        work.chmod(0o755)
        shutil.copy(inv, work / "inv.csv")
        (work / "inv.csv").chmod(0o644)
        parent = work / "locked"
        parent.mkdir()
        parent.chmod(0o555)
        run(str(work / "inv.csv"), "-o", str(work / "warm"))  # every module imported before dropping root
        code, out = as_unprivileged_user(lambda: run(str(work / "inv.csv"), "-o", str(parent / "out")))
        assert code == 1 and "permission denied" in out and list(parent.iterdir()) == [], out
    finally:
        (work / "locked").chmod(0o755)
        shutil.rmtree(work)


@pytest.mark.parametrize("force", [False, True])
def test_writable_dir_below_a_read_only_parent_is_written_in_place(tmp_path, inv, pack, monkeypatch, force):
    target = tmp_path / "out"
    if force:
        generate(inv, target, Options(password="p", split_by="none", campaign="old"), pack)
    else:
        target.mkdir()
    inode = target.stat().st_ino
    _deny_beside(monkeypatch, tmp_path)
    result = generate(inv, target, Options(password="p", force=force), pack)
    assert target.stat().st_ino == inode  # DIR itself was never moved
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([w["file"] for w in result.manifest["workbooks"]] + ["campaign.json"])
    assert json.loads((target / "campaign.json").read_text(encoding="utf-8")) == result.manifest


def test_mount_point_as_dir_is_written_in_place(tmp_path, inv, campaign, pack, monkeypatch):
    inode = campaign.stat().st_ino
    real = os.path.ismount
    monkeypatch.setattr(output_mod.os.path, "ismount", lambda p: Path(p) == campaign or real(p))

    def no_rename(self, target):  # a mount point cannot be renamed
        raise AssertionError(f"rename {self} -> {target}")

    monkeypatch.setattr(Path, "rename", no_rename)
    generate(inv, campaign, Options(split_by="none", campaign="new", force=True), pack)
    assert campaign.stat().st_ino == inode
    assert sorted(p.name for p in campaign.iterdir()) == ["campaign.json", "new.xlsx"]


def test_empty_current_folder_is_written_in_place(tmp_path, inv, pack, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    generate(inv, ".", Options(split_by="none", campaign="c"), pack)
    assert Path.cwd() == here and sorted(p.name for p in here.iterdir()) == ["c.xlsx", "campaign.json"]


def test_read_only_file_system(tmp_path, inv, campaign, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(output_mod.tempfile, "mkdtemp", read_only)
    before = tree(tmp_path)
    code, out = run(str(inv), "-o", str(tmp_path / "new"))
    assert code == 1 and f"{tmp_path / 'new'}: cannot create the output folder: read-only file system" in out
    code, out = run(str(inv), "-o", str(campaign), "--force")
    assert code == 1 and f"{campaign}: cannot write in the output folder: read-only file system" in out
    assert tree(tmp_path) == before


@pytest.mark.parametrize("existing", [False, True])
def test_full_disk_leaves_nothing_behind(tmp_path, inv, campaign, monkeypatch, existing):
    real, calls = output_mod.write_bytes, []

    def write(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(output_mod, "write_bytes", write)
    target = campaign if existing else tmp_path / "a" / "b" / "out"  # missing parents are removed too
    before = tree(tmp_path)
    args = [str(inv), "-o", str(target)] + (["--force"] if existing else [])
    code, out = run(*args)
    assert code == 1 and f"{target}: cannot write " in out and "no space left on the device" in out
    assert tree(tmp_path) == before  # the previous campaign is intact


def test_interrupted_in_place_run_can_be_replaced(tmp_path, inv, campaign, pack):
    """A staging folder left inside DIR by a killed run counts as the generator's own files."""
    stale = campaign / (output_mod.STAGING_PREFIX + "x")
    stale.mkdir()
    generate(inv, stale / "sub", Options(split_by="none", campaign="half", password="p"), pack)
    for p in (stale / "sub").iterdir():
        p.rename(stale / p.name)
    (stale / "sub").rmdir()
    (stale / "half.xlsx").rename(campaign / "half.xlsx")  # moved in before the kill
    generate(inv, campaign, Options(force=True, campaign="again", split_by="none"), pack)
    assert sorted(p.name for p in campaign.iterdir()) == ["again.xlsx", "campaign.json"]


def test_unexpected_error_is_one_line_unless_debug(tmp_path, inv, monkeypatch):
    import medrisk_xl.generate.campaign as campaign_mod

    def broken(plan, pack):
        raise RuntimeError("boom")

    monkeypatch.setattr(campaign_mod, "build_workbook", broken)
    runner = CliRunner()
    result = runner.invoke(cli, ["generate", str(inv), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "internal error: RuntimeError: boom" in result.output and "--debug" in result.output
    debug = runner.invoke(cli, ["--debug", "generate", str(inv), "-o", str(tmp_path / "o")])
    assert isinstance(debug.exception, RuntimeError)  # --debug lets the traceback through
    assert not (tmp_path / "o").exists()


def test_os_error_at_the_cli_boundary(tmp_path, inv, monkeypatch):
    import medrisk_xl.generate.campaign as campaign_mod

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", "/somewhere/file")

    monkeypatch.setattr(campaign_mod, "load_pack", denied)
    monkeypatch.setattr("medrisk_xl.cli.generate.load_pack", denied)
    code, out = run(str(inv), "-o", str(tmp_path / "o"))
    assert code == 1 and out.strip() == "/somewhere/file: permission denied [os-error]"
