"""pydantic's validation errors turned into problems an analyst can act on.

Each error becomes a :class:`~recogmodel.errors.Problem` with the dotted path of the field
as the analyst wrote it (union tags and validator names dropped), a message that says what
was expected, and, when the data came from files, the file and line that set the value.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem

if typing.TYPE_CHECKING:
    from pydantic_core import ErrorDetails

Path_ = tuple[str | int, ...]
Where = Mapping[Path_, tuple[Path, int]]
DOCUMENT = "(document)"
#: Keys the loader adds when it writes a shorthand out in full (``0.2`` -> ``{size: 0.2}``):
#: an error there is shown at the key the analyst wrote.
_SHORTHAND_KEYS = ("size", "start")


class RuleViolation(ValueError):  # noqa: N818 -- a carrier of problems, not raised to users
    """Cross-field problems found by a model validator, each with its own dotted path.

    pydantic reports a validator's error at the model's own location; carrying the paths
    here lets the file loader point at the exact line of each offending field.
    """

    def __init__(self, problems: list[tuple[str | tuple[str, ...], str]]) -> None:
        self.problems = problems
        super().__init__(
            "; ".join(
                f"{path if isinstance(path, str) else '.'.join(path)}: {msg}"
                for path, msg in problems
            )
        )


def locate(where: Where, path: Path_) -> tuple[Path | None, int | None]:
    """The file and line of the deepest written prefix of ``path``."""
    for n in range(len(path), -1, -1):
        hit = where.get(path[:n])
        if hit is not None:
            return hit
    return (None, None)


def input_error(exc: ValidationError, data: Any, root: type[BaseModel]) -> InputError:
    """A validation error of data built in Python (no files) as an InputError."""
    return InputError(problems_from(exc, data, root))


def dotted(path: Path_) -> str:
    """A data path as the analyst writes it: ``drivers.x.weight``."""
    return ".".join(str(p) for p in path)


def _clean(data: Any, loc: tuple[str | int, ...]) -> Path_:
    """The data path a pydantic location points to, without union tags and validator names."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if _is_tag(node, part, loc[i + 1 : i + 2]):
            continue
        step = _step(node, part)
        if step is None:
            continue
        out.append(step[0])
        node = step[1]
    return tuple(out)


def _is_tag(node: Any, part: str | int, following: tuple[str | int, ...]) -> bool:
    """Whether ``part`` is the union tag of an estimate (``beta``), not its key ``beta``.

    pydantic names the family before the field (``weight.beta.alpha``); when the family
    has a field of its own name, the tag must not be taken for that field.
    """
    return (
        isinstance(node, dict)
        and node.get("dist") == part
        and bool(following)
        and following[0] in node
    )


def _step(node: Any, part: str | int) -> tuple[str | int, Any] | None:
    if isinstance(node, dict):
        for key in (part, str(part)) + ((int(part),) if str(part).isdigit() else ()):
            if key in node:
                return key, node[key]
        return None
    if isinstance(node, list | tuple) and isinstance(part, int | str) and str(part).isdigit():
        i = int(part)
        if i < len(node):
            return i, node[i]
    return None


def problems_from(
    exc: ValidationError,
    data: Any,
    root: type[BaseModel],
    *,
    where: Where | None = None,
    prefix: Path_ = (),
    also_allowed: Iterable[str] = (),
) -> list[Problem]:
    """Every error of a validation as a problem, at the file and line that caused it.

    ``prefix`` is a path the analyst does not see (a scenario's case lives under ``case``);
    ``also_allowed`` are extra keys valid at that prefix (a scenario file's own keys).
    """
    where = where or {}
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        base = _clean(data, err["loc"])
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, RuleViolation):
            items = [
                (base + (tuple(p.split(".")) if isinstance(p, str) else p), msg)
                for p, msg in cause.problems
            ]
        else:
            path = _extend(base, err)
            extra = tuple(also_allowed) if path[:-1] == prefix else ()
            items = [(path, _message(err, root, base, extra))]
        for path, message in items:
            found = _clean(data, path)
            full = found + path[len(found) :]
            if (
                full[-1:]
                and full[-1] in _SHORTHAND_KEYS
                and full not in where
                and full[:-1] in where
            ):
                full = full[:-1]
            file, line = locate(where, full)
            shown = full[len(prefix) :] if full[: len(prefix)] == prefix else full
            problems.append(Problem(dotted(shown) or DOCUMENT, message, file, line))
    return unique(problems)


def _extend(base: Path_, err: ErrorDetails) -> Path_:
    """An unknown or missing key is reported at its own name, not its parent's."""
    loc = err["loc"]
    if err["type"] in ("missing", "extra_forbidden") and loc:
        return (*base, loc[-1]) if base[-1:] != (loc[-1],) else base
    return base


def unique(problems: list[Problem]) -> list[Problem]:
    """The problems in order, each told once (two are the same when they read the same)."""
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(
    err: ErrorDetails, root: type[BaseModel], path: Path_, also_allowed: tuple[str, ...]
) -> str:
    kind = err["type"]
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, path) + list(also_allowed)
        name = str(err["loc"][-1]) if err["loc"] else ""
        if not allowed:
            return "unknown field"
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown field{hint}; expected one of: {', '.join(allowed)}"
    if kind == "string_pattern_mismatch" and "a-z" in str((err.get("ctx") or {}).get("pattern")):
        return (
            f"{_short(err['input'])} is not a valid name; expected lower-case letters, digits "
            "and underscores, starting with a letter"
        )
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, got {_short(err['input'])}"
    if kind == "finite_number":
        return f"expected a finite number, got {_short(err['input'])}"
    return f"{msg[0].lower()}{msg[1:]}; got {_short(err['input'])}"


def _allowed_keys(root: type[BaseModel], path: Path_) -> list[str]:
    """The field names of the model found at ``path[:-1]`` from ``root``, if any."""
    target: Any = root
    for part in path[:-1]:
        target = _child(target, part)
        if target is None:
            return []
    model = _model_in(target)
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The one pydantic model an annotation holds, looking through Annotated and Optional."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        models = [m for a in typing.get_args(annotation) if (m := _model_in(a)) is not None]
        return models[0] if len(models) == 1 else None
    return None


def _child(annotation: Any, part: str | int) -> Any:
    model = _model_in(annotation)
    if model is not None:
        info = model.model_fields.get(str(part))
        return info.annotation if info is not None else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _child(args[0], part)
    if origin in (typing.Union, types.UnionType):
        children = [c for a in args if (c := _child(a, part)) is not None]
        return children[0] if children else None
    if origin is dict:
        return args[1]
    if origin in (list, tuple):
        return args[0]
    return None
