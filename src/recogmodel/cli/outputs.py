"""The output folder of ``recogmodel run``: what a run wrote, listed in ``manifest.json``.

A run into a folder writes its files, then removes the files that the folder's previous
``manifest.json`` lists and this run did not write again (a scenario or a figure that is
gone), and nothing else, ever: a file no manifest lists is the user's, and is only named
in a note. Last, it writes the new manifest.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .._files import atomic_write
from ..projection import library_version

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["MANIFEST", "listed_files", "tidy_folder", "write_manifest"]

#: The file that lists what a run wrote, relative to the output folder.
MANIFEST = "manifest.json"


def listed_files(folder: Path) -> list[str]:
    """The files the folder's manifest lists (relative POSIX paths); none if it has none.

    A manifest that cannot be read, or that names a path outside the folder, lists
    nothing that could be removed: only safe relative paths are returned.
    """
    try:
        record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = record["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not isinstance(files, list):
        return []
    return [f for f in files if isinstance(f, str) and _is_inside(f)]


def tidy_folder(
    folder: Path, previous: Sequence[str], written: Iterable[Path]
) -> tuple[list[str], list[str]]:
    """Remove what the previous run listed and this one did not write; name the rest.

    Parameters
    ----------
    folder
        The output folder.
    previous
        The files the previous manifest listed (from :func:`listed_files`, read before
        this run wrote anything).
    written
        The files this run wrote.

    Returns
    -------
    tuple[list[str], list[str]]
        The files removed, and the files left alone that neither manifest lists, both as
        relative POSIX paths, sorted.
    """
    kept = {_relative(folder, p) for p in written} | {MANIFEST}
    removed = []
    for name in previous:
        if name in kept:
            continue
        path = folder.joinpath(*PurePosixPath(name).parts)
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(name)
            _remove_empty_parents(path.parent, folder)
    known = kept | set(previous)
    others = sorted(
        _relative(folder, p)
        for p in folder.rglob("*")
        if p.is_file() and _relative(folder, p) not in known and not p.name.startswith(".")
    )
    return sorted(removed), others


def write_manifest(folder: Path, written: Iterable[Path], *, command: str) -> Path:
    """Write ``manifest.json``: the command, the library's version and every file written.

    Parameters
    ----------
    folder
        The output folder.
    written
        The files the run wrote (inside ``folder``).
    command
        The command that wrote them, as the manifest records it.

    Returns
    -------
    Path
        The manifest's path.
    """
    record = {
        "command": command,
        "recogmodel": library_version(),
        "files": sorted(_relative(folder, p) for p in written),
    }
    return atomic_write(folder / MANIFEST, json.dumps(record, indent=1) + "\n")


def _relative(folder: Path, path: Path) -> str:
    return path.resolve().relative_to(folder.resolve()).as_posix()


def _is_inside(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def _remove_empty_parents(path: Path, folder: Path) -> None:
    """Remove ``path`` and its parents up to ``folder`` (excluded) while they are empty."""
    top = folder.resolve()
    while path.resolve() != top and top in path.resolve().parents:
        with contextlib.suppress(OSError):
            path.rmdir()  # only succeeds when empty
        if path.exists():
            return
        path = path.parent
