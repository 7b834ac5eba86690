"""The output folder of a campaign: what may be replaced, staging, and the final move into place.

A campaign is written to a staging folder first and moved into place only when every file is
written. The staging folder sits beside DIR (then one rename puts it in place), or inside DIR
as a hidden folder when DIR exists but its parent cannot take it (a parent the user does not
own, a mount point used as DIR, the current folder): files are then moved in one by one,
``campaign.json`` last.

``--force`` replaces only a previous campaign's output: a folder holding ``campaign.json`` and
nothing but the workbooks it lists (plus staging folders left by an interrupted run).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from medrisk_xl.core.atomic import ordinary_mode
from medrisk_xl.core.problems import MedriskError, Message, Problem, msg

MANIFEST = "campaign.json"
STAGING_PREFIX = ".medrisk-xl-partial-"  # staging folder inside DIR

_REASONS = {  # said by templates os.<name>
    errno.EACCES: "permission",
    errno.EPERM: "not-permitted",
    errno.EROFS: "read-only",
    errno.ENOSPC: "no-space",
    errno.EDQUOT: "quota",
    errno.ENOENT: "no-new-files",
    errno.ENOTDIR: "not-a-folder",
    errno.EBUSY: "busy",
    errno.ENAMETOOLONG: "name-too-long",
}


def _refuse(code: str, path: Path, message: Message, exit_code: int = 1) -> MedriskError:
    return MedriskError([Problem(code, message, file=str(path))], exit_code=exit_code)


def reason(exc: OSError) -> Message | str:
    """A short human reason for an OS error (a message of the catalogue for the usual ones)."""
    known = _REASONS.get(exc.errno or 0)
    return msg(f"os.{known}") if known else (exc.strerror or str(exc)).lower()


@contextlib.contextmanager
def _os_errors(target: Path, action: str, **fields: str) -> Iterator[None]:
    """Turn an OSError into a problem naming ``target`` and the reason (template output.<action>)."""
    try:
        yield
    except OSError as exc:
        raise _refuse("cannot-write", target, msg(f"output.{action}", reason=reason(exc), **fields)) from exc


def _listed_files(manifest: Path) -> set[str] | None:
    """File names a generator manifest lists (itself included), ``None`` when it is not one."""
    try:
        if not manifest.is_file() or manifest.is_symlink():
            return None
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("generator", {}).get("name") != "medrisk-xl":
            return None
        names = {w["file"] for w in data["workbooks"]}
        if data.get("it_workbook"):  # --vulnerability-by it: the IT team's workbook too
            names.add(data["it_workbook"]["file"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if not all(isinstance(n, str) and n == Path(n).name and n not in ("", ".", "..") for n in names):
        return None
    return names | {MANIFEST}


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(
    outdir: str | Path,
    *,
    force: bool = False,
    inventory: str | Path | None = None,
    staging: Path | None = None,
) -> Path:
    """The absolute output folder, after refusing every target that is unsafe or impossible.

    Nothing is touched; ``staging`` (this run's own staging folder) is ignored. Raises
    :class:`MedriskError` naming the path and saying why.
    """
    target = Path(outdir).expanduser().resolve()
    for ancestor in target.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise _refuse("bad-output", target, msg("output.ancestor-file", ancestor=str(ancestor)))
            break
    if target.exists() and not target.is_dir():
        raise _refuse("bad-output", target, msg("output.not-a-folder"))
    if not target.is_dir():
        return target
    with _os_errors(target, "read-folder"):
        entries = [e for e in os.scandir(target) if staging is None or Path(e.path) != staging]
    if not entries:
        return target
    ours = previous_campaign(target)
    foreign = sorted(e.name for e in entries if ours is None or not _is_ours(e, ours))
    if not force:
        said = msg("output.not-empty-foreign") if foreign else msg("output.not-empty-ours")
        raise _refuse("output-not-empty", target, said)
    cwd = Path.cwd().resolve()
    if _is_within(cwd, target):
        said = msg("output.force-cwd") if cwd == target else msg("output.force-contains-cwd")
        raise _refuse("unsafe-force", target, said)
    if inventory is not None and _is_within(Path(inventory).expanduser().resolve(), target):
        raise _refuse(
            "unsafe-force",
            target,
            msg("output.force-inventory", inventory=str(inventory)),
        )
    if ours is None:
        raise _refuse(
            "unsafe-force",
            target,
            msg("output.force-no-manifest", manifest=MANIFEST),
        )
    if foreign:
        more = msg("output.and-more", count=len(foreign) - 5) if len(foreign) > 5 else ""
        said = msg("output.force-foreign", files=", ".join(foreign[:5]), more=more)
        raise _refuse("unsafe-force", target, said)
    return target


def _staging_dirs(target: Path) -> list[Path]:
    return [p for p in target.glob(STAGING_PREFIX + "*") if p.is_dir() and not p.is_symlink()]


def previous_campaign(target: Path) -> set[str] | None:
    """Names the generator wrote in ``target``, or ``None`` when it is no campaign's output.

    A staging folder left by an interrupted run counts, with the files its manifest lists.
    """
    listed = _listed_files(target / MANIFEST)
    staged = [_listed_files(d / MANIFEST) for d in _staging_dirs(target)]
    if listed is None and not any(staged):
        return None
    names = set(listed or ())
    for extra in staged:
        names |= extra or set()
    return names


def _is_ours(entry: os.DirEntry, ours: set[str]) -> bool:
    if entry.is_dir(follow_symlinks=False):
        return entry.name.startswith(STAGING_PREFIX)
    return entry.is_file(follow_symlinks=False) and entry.name in ours


def write_bytes(path: Path, data: bytes) -> None:
    """Write a new file (never over an existing one); the one place staging writes bytes, so tests
    can make it fail part-way."""
    with open(path, "xb") as f:
        f.write(data)


class Staging:
    """Where the files of a campaign are written before they are moved into place."""

    def __init__(self, outdir: str | Path, *, force: bool = False, inventory: str | Path | None = None):
        self.force = force
        self.inventory = inventory
        self.target = check_output(outdir, force=force, inventory=inventory)
        self.created: list[Path] = []  # missing parents created for DIR (removed on abort)
        self.in_place = self.target.is_dir() and (
            os.path.ismount(self.target) or self.target == Path.cwd().resolve()
        )
        self.folder = self._open()

    def _open(self) -> Path:
        if not self.in_place:
            try:
                return self._beside()
            except OSError as exc:
                if not self.target.is_dir():
                    self.abort()
                    raise _refuse(
                        "cannot-write", self.target, msg("output.create-folder", reason=reason(exc))
                    ) from exc
                self.in_place = True  # DIR exists but its parent cannot take a staging folder
        with _os_errors(self.target, "write-folder"):
            return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.target))

    def _beside(self) -> Path:
        """A staging folder beside DIR, creating DIR's missing parents."""
        missing = [p for p in reversed(self.target.parents) if not p.exists()]
        for parent in missing:
            parent.mkdir()
            self.created.append(parent)
        folder = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.partial-", dir=self.target.parent))
        folder.chmod(ordinary_mode(directory=True))
        return folder

    def write(self, name: str, data: bytes) -> None:
        """Write one file of the campaign into the staging folder."""
        with _os_errors(self.target, "write-file", name=name):
            write_bytes(self.folder / name, data)

    def commit(self) -> None:
        """Move the staged files into place (``campaign.json`` last); replace a previous campaign."""
        # The folder may have changed since the run started: check again before touching it.
        check_output(self.target, force=self.force, inventory=self.inventory, staging=self.folder)
        with _os_errors(self.target, "move"):
            if self.in_place:
                self._commit_in_place()
            else:
                self._commit_beside()

    def _commit_beside(self) -> None:
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.old-{secrets.token_hex(4)}")
            self.target.rename(old)
        try:
            self.folder.rename(self.target)
        except OSError:
            if old is not None:
                old.rename(self.target)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _commit_in_place(self) -> None:
        previous = previous_campaign(self.target) or set()
        new = sorted(p.name for p in self.folder.iterdir())
        for name in new:
            if name != MANIFEST:
                os.replace(self.folder / name, self.target / name)
        for name in sorted(previous - set(new)):
            (self.target / name).unlink(missing_ok=True)
        os.replace(self.folder / MANIFEST, self.target / MANIFEST)
        self.folder.rmdir()
        for stale in _staging_dirs(self.target):
            shutil.rmtree(stale, ignore_errors=True)

    def abort(self) -> None:
        """Remove the staging folder and any parent created for DIR: nothing is left behind."""
        folder = getattr(self, "folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        for parent in reversed(self.created):
            with contextlib.suppress(OSError):
                parent.rmdir()
        self.created = []
