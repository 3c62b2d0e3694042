"""Reading YAML safely, keeping the file and line of every value.

Files are read with PyYAML's safe composer and built here node by node, so that every
value keeps the line it came from and an error can say ``FILE:LINE: dotted.field.path:
what is wrong, what was expected``. Refused, each at its line: files over
:data:`MAX_FILE_BYTES`, text that is not UTF-8, tab characters in indentation, duplicate
keys, aliases that expand beyond :data:`MAX_NODES` values, tags other than YAML's plain
types, and merge keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from .._problems import DOCUMENT, Path_, dotted, locate
from ..errors import Problem, ScenarioFileError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "Located", "file_error", "read_yaml"]

#: Largest file read, in bytes. Scenario files are hand-written; anything bigger is a mistake.
MAX_FILE_BYTES = 1_000_000
#: Most values a file may expand to, counting every alias expansion (stops alias bombs).
MAX_NODES = 100_000


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


def read_yaml(file: Path, *, mapping: bool = True) -> Located:
    """One YAML file as plain data with the line of every key and item.

    Parameters
    ----------
    file
        The file to read (UTF-8, at most :data:`MAX_FILE_BYTES`).
    mapping
        Whether the top level must be a mapping; if false, a list is allowed too.

    Returns
    -------
    Located
        The data, and the file and line of every key and list item.

    Raises
    ------
    ScenarioFileError
        If the file cannot be read, is not valid YAML, or uses what a hand-written file
        has no need for (tabs in indentation, duplicate keys, tags, merge keys, aliases
        expanding beyond :data:`MAX_NODES` values); the message names the line.
    """
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ScenarioFileError([Problem(DOCUMENT, f"cannot read: {exc.strerror}", file)]) from None
    if size > MAX_FILE_BYTES:
        raise file_error(
            file,
            1,
            (),
            f"file is {size / 1e6:.1f} MB; case and scenario files are limited "
            f"to {MAX_FILE_BYTES / 1e6:.0f} MB",
        )
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise file_error(file, 1, (), f"not UTF-8 text ({exc.reason})") from None
    for n, row in enumerate(text.splitlines(), start=1):
        indent = row[: len(row) - len(row.lstrip(" \t"))]
        if "\t" in indent:
            raise file_error(file, n, (), "tab character in indentation; expected spaces")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
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
