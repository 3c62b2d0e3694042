"""Reading YAML safely, keeping the file and line of every value.

Files are read with PyYAML's safe composer and built here node by node, so that every
value keeps the line it came from and an error can say ``FILE:LINE: dotted.field.path:
what is wrong, what was expected``. Refused, each at its line: anything but a regular file
(a folder, a device, a FIFO; a link resolving outside the folder it must stay in), files
over :data:`MAX_FILE_BYTES`, text that is not UTF-8, tab characters in indentation,
nesting deeper than :data:`MAX_DEPTH`, duplicate keys, aliases that expand beyond
:data:`MAX_NODES` values, tags other than YAML's plain types, and merge keys.

A file is opened without blocking (a FIFO cannot stall the reader), checked to be a
regular file on the open descriptor, and read to at most the limit plus one byte, so no
file, whatever it is, is read beyond the limit.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from .._problems import DOCUMENT, Path_, dotted, locate
from ..errors import Problem, ScenarioFileError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "Located",
    "file_error",
    "read_bounded",
    "read_yaml",
]

#: Largest file read, in bytes. Scenario files are hand-written; anything bigger is a mistake.
MAX_FILE_BYTES = 1_000_000
#: Most values a file may expand to, counting every alias expansion (stops alias bombs).
MAX_NODES = 100_000
#: Deepest nesting of lists and mappings a file may have; a case needs fewer than ten.
MAX_DEPTH = 32


@dataclass
class Located:
    """Data read from files, with the file and line that set each path.

    Parameters
    ----------
    data
        Plain data: mappings, lists, numbers, text, true/false and null.
    where
        Data path (a tuple of keys and list positions) -> (file, line) that set it.
    """

    data: Any
    where: dict[Path_, tuple[Path, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[Path | None, int | None]:
        """The file and line that set ``path``, or its deepest written parent.

        Parameters
        ----------
        path
            A data path, e.g. ``("drivers", "leverage", "weight")``.

        Returns
        -------
        tuple
            ``(file, line)``, or ``(None, None)`` if nothing on the path was written.
        """
        return locate(self.where, path)


_constructor = yaml.constructor.SafeConstructor()
_SCALARS = {
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
}
_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def file_error(file: Path, line: int, path: Path_, message: str) -> ScenarioFileError:
    """An error about one place in a file: ``FILE:LINE: dotted.path: message``.

    Parameters
    ----------
    file, line
        Where the problem is.
    path
        The data path of the offending value (empty for the file as a whole).
    message
        What is wrong, and what was expected.

    Returns
    -------
    ScenarioFileError
        The error, to raise.
    """
    return ScenarioFileError([Problem(dotted(path) or DOCUMENT, message, file, line)])


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _cannot(file: Path, message: str) -> ScenarioFileError:
    return ScenarioFileError([Problem(DOCUMENT, message, file)])


def _too_big(file: Path, size: str, limit: int) -> ScenarioFileError:
    return file_error(
        file,
        1,
        (),
        f"file is {size}; case and scenario files are limited to {limit / 1e6:.0f} MB",
    )


def read_bounded(file: Path, *, inside: Path | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, read without blocking and never beyond ``limit``.

    Parameters
    ----------
    file
        The file to read.
    inside
        A folder the file must resolve into (a link pointing elsewhere is refused).
    limit
        The most bytes a file may hold.

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    ScenarioFileError
        If the file cannot be opened, is not a regular file, resolves outside ``inside``,
        or holds more than ``limit`` bytes; the message names the file.
    """
    if inside is not None:
        try:
            resolved, root = file.resolve(strict=True), inside.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            reason = getattr(exc, "strerror", None) or "a link that cannot be resolved"
            raise _cannot(file, f"cannot read: {reason}") from None
        if not resolved.is_relative_to(root):
            raise _cannot(
                file,
                f"is a link to {resolved}, outside the case folder; expected a file "
                "inside the folder",
            )
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(file, flags)
    except OSError as exc:
        raise _cannot(file, f"cannot read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _cannot(file, f"is {_kind(info.st_mode)}; expected a regular file")
        if info.st_size > limit:  # refused from its size, unread
            raise _too_big(file, f"{info.st_size / 1e6:.1f} MB", limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the size may be wrong (a file still growing): count it
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _cannot(file, f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise _too_big(file, f"more than {limit / 1e6:.0f} MB", limit)
    return b"".join(chunks)


class _TooDeep(Exception):  # noqa: N818 -- internal signal, turned into a ScenarioFileError
    def __init__(self, line: int) -> None:
        self.line = line


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing nesting deeper than :data:`MAX_DEPTH`.

    The composer builds nodes recursively; counting the depth here stops a file of
    ``[[[[...`` long before Python's recursion limit.
    """

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark.line + 1)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _compose(text: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_yaml(file: Path, *, mapping: bool = True, inside: Path | None = None) -> Located:
    """One YAML file as plain data with the line of every key and item.

    Parameters
    ----------
    file
        The file to read (a regular file of UTF-8 text, at most :data:`MAX_FILE_BYTES`).
    mapping
        Whether the top level must be a mapping; if false, a list is allowed too.
    inside
        A folder the file must resolve into (a link pointing elsewhere is refused).

    Returns
    -------
    Located
        The data, and the file and line of every key and list item.

    Raises
    ------
    ScenarioFileError
        If the file cannot be read, is not a regular file, is not valid YAML, or uses
        what a hand-written file has no need for (tabs in indentation, nesting deeper
        than :data:`MAX_DEPTH`, duplicate keys, tags, merge keys, aliases expanding
        beyond :data:`MAX_NODES` values); the message names the line.
    """
    raw = read_bounded(file, inside=inside)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise file_error(file, 1, (), f"not UTF-8 text ({exc.reason})") from None
    for n, row in enumerate(text.splitlines(), start=1):
        indent = row[: len(row) - len(row.lstrip(" \t"))]
        if "\t" in indent:
            raise file_error(file, n, (), "tab character in indentation; expected spaces")
    try:
        root = _compose(text)
    except _TooDeep as exc:
        raise file_error(
            file,
            exc.line,
            (),
            f"lists and mappings nested more than {MAX_DEPTH} deep; expected a plain, "
            "hand-written file",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise file_error(file, line, (), f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise file_error(file, 1, (), f"not valid YAML: {exc}") from None
    if root is None:
        raise file_error(file, 1, (), "the file is empty; expected a mapping of keys to values")
    if mapping and not isinstance(root, yaml.MappingNode):
        raise file_error(file, root.start_mark.line + 1, (), "expected a mapping of keys to values")
    builder = _Builder(file)
    data = builder.build(root, ())
    where = {p: (file, n) for p, n in builder.lines.items()}
    where[()] = (file, root.start_mark.line + 1)
    return Located(data, where)


class _Builder:
    """Turns a composed YAML node tree into plain data, recording lines, counting nodes."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise file_error(
                self.file,
                line,
                path,
                f"expands to more than {MAX_NODES:,} values (aliases "
                "repeated many times?); expected a plain, hand-written file",
            )
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            raise file_error(
                self.file,
                line,
                path,
                f"tag {node.tag} is not allowed; expected plain lists and mappings",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                here = (*path, i)
                self.lines[here] = item.start_mark.line + 1
                items.append(self.build(item, here))
            return items
        assert isinstance(node, yaml.ScalarNode)
        if node.tag in _TEXT_TAGS:
            return str(node.value)
        if node.tag in _SCALARS:
            return _SCALARS[node.tag](node)
        raise file_error(
            self.file,
            line,
            path,
            f"tag {node.tag} is not allowed; expected plain numbers, "
            "text, true/false, null, lists and mappings",
        )

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise file_error(
                    self.file, line, path, "merge keys (<<) are not supported; write the keys out"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise file_error(self.file, line, path, "a key must be plain text or a number")
            key = self.build(key_node, path)
            if isinstance(key, float | bool) or key is None:
                key = str(key_node.value)
            if key in out:
                first = self.lines.get((*path, key))
                raise file_error(
                    self.file,
                    line,
                    (*path, key),
                    f"duplicate key '{key}' (first at line {first}); expected each key once",
                )
            here = (*path, key)
            self.lines[here] = line
            out[key] = self.build(value_node, here)
        return out
