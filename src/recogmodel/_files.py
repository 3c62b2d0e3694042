"""Writing outputs so that a reader never sees half of one, and checking where they go.

:func:`atomic_write` writes one file through a temporary file beside it; :func:`staged_folder`
gives a temporary folder beside an output folder, and moves what was written there into
place only when the block ends without an error, so a failed run leaves the target as it
was. :func:`check_output` says, before anything is computed, whether an output can be
written where it is asked for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["atomic_write", "check_output", "staged_folder"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    Parameters
    ----------
    path
        The file to write; its folder is made if missing.
    data
        Text (written as UTF-8) or bytes.

    Returns
    -------
    Path
        ``path``.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        # mkstemp makes the file private (0600); give it the permissions a plain open would.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _refusal(name: str, path: Path, message: str) -> InputError:
    return InputError([Problem(name, message, path)])


def _nearest_existing(path: Path) -> Path:
    """``path`` or its nearest parent that exists."""
    here = path.absolute()
    while not here.exists() and here != here.parent:
        here = here.parent
    return here


def check_output(path: str | Path, *, folder: bool, name: str = "out") -> Path:
    """Check, before anything is computed, that an output can be written at ``path``.

    Parameters
    ----------
    path
        An output folder (an existing folder, or one that can be made) if ``folder``,
        else a file to write (it may exist, and is then replaced).
    folder
        Whether ``path`` is a folder of outputs or one output file.
    name
        The argument's name, for the message.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        If ``path`` is not what is expected there (a file where a folder goes, a
        folder or device where a file goes), or its folder cannot be written in.
    """
    target = Path(path)
    what = "folder" if folder else "file"
    exists = target.exists() or target.is_symlink()
    if folder and exists and not target.is_dir():
        raise _refusal(name, target, "exists and is not a folder; expected a folder")
    if not folder and target.is_dir():
        raise _refusal(name, target, "is a folder; expected the path of a file to write")
    if not folder and exists and not target.is_file():
        raise _refusal(name, target, "exists and is not a regular file; expected a file path")
    parent = _nearest_existing(target.parent)
    if not parent.is_dir():
        raise _refusal(name, target, f"{parent} is a file, not a folder; expected a {what} path")
    _probe(name, target, target if folder and exists else parent)
    return target


def _probe(name: str, target: Path, folder: Path) -> None:
    """Refuse ``target`` unless a file can be made in ``folder`` (made and removed at once).

    Trying is the only sure test: permissions, a read-only file system, or a folder such
    as ``/proc`` that takes no files all show here.
    """
    try:
        fd, probe = tempfile.mkstemp(prefix=".recogmodel-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _refusal(name, target, f"cannot write in {folder}: {exc.strerror}") from None
    os.close(fd)
    os.unlink(probe)


@contextlib.contextmanager
def staged_folder(target: str | Path, name: str = "out") -> Iterator[Path]:
    """A temporary folder beside ``target`` whose files move into ``target`` at the end.

    Write every output into the folder this yields. When the block ends without an
    error, each file written there replaces the file of the same name in ``target``
    (made if missing; other files in it are left alone), and the temporary folder is
    removed. When the block raises, the temporary folder is removed and ``target`` is
    left exactly as it was.

    Parameters
    ----------
    target
        The output folder.
    name
        The argument's name, for the message if the folder cannot be made.

    Yields
    ------
    Path
        The temporary folder to write into.

    Raises
    ------
    InputError
        If ``target`` is not a folder, or the temporary folder cannot be made beside it.
    """
    final = check_output(target, folder=True, name=name)
    parent = final.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise _refusal(name, final, f"cannot write here: {exc.strerror}") from None
    try:
        yield stage
        _move_into(stage, final)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _move_into(stage: Path, final: Path) -> None:
    """Move every file under ``stage`` to the same place under ``final``."""
    if not final.exists():
        os.chmod(stage, 0o777 & ~_umask())  # mkdtemp makes the folder private
        os.replace(stage, final)
        return
    for source in sorted(stage.rglob("*")):
        if source.is_dir():
            continue
        destination = final / source.relative_to(stage)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, destination)
