"""Formulas of derived indicators: a small, safe arithmetic language over indicator ids.

A derived indicator is computed each year from others (``aid_reach / people_in_need``).
Its formula is parsed once, by Python's own parser into a syntax tree that is then walked
here with an allow-list: numbers, indicator ids, ``+ - * /``, parentheses, unary signs and
the functions ``min``, ``max``, ``log`` and ``exp``. Nothing is ever evaluated by Python
itself (no ``eval``): anything else in the tree (attributes, subscripts, comparisons,
other calls, powers, strings) is refused with what was found and where in the text.
Evaluation works on whole arrays, element by element, so one call computes every draw.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from numpy.typing import NDArray

__all__ = ["FUNCTIONS", "Formula", "FormulaError", "parse_formula"]

#: The functions a formula may call, by name: how many arguments, and what they compute.
FUNCTIONS: dict[str, tuple[tuple[int, int | None], Callable[..., NDArray[np.float64]]]] = {
    "min": ((2, None), lambda *a: _reduce(np.minimum, a)),
    "max": ((2, None), lambda *a: _reduce(np.maximum, a)),
    "log": ((1, 1), np.log),
    "exp": ((1, 1), np.exp),
}

_OPERATORS: dict[type[ast.operator], Callable[..., NDArray[np.float64]]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def _reduce(
    fn: Callable[..., NDArray[np.float64]], args: tuple[NDArray[np.float64], ...]
) -> NDArray[np.float64]:
    out = args[0]
    for a in args[1:]:
        out = fn(out, a)
    return out


class FormulaError(ValueError):
    """A formula that is not in the language; the message says what and where."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, the indicator ids it names, and how to compute it."""

    text: str
    tree: ast.expr

    @property
    def names(self) -> tuple[str, ...]:
        """The indicator ids the formula refers to, in order of first appearance."""
        seen: dict[str, None] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and node.id not in FUNCTIONS:
                seen[node.id] = None
        return tuple(seen)

    def evaluate(self, values: Mapping[str, NDArray[np.float64]]) -> NDArray[np.float64]:
        """The formula over arrays of the indicators it names (every draw at once).

        Parameters
        ----------
        values
            Indicator id -> its values (arrays of one shape; numbers broadcast).

        Returns
        -------
        numpy.ndarray
            The derived values. Division by zero and the log of a non-positive number give
            ``inf`` or ``nan`` as numpy does; the engine reports them against the bounds.
        """
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = _evaluate(self.tree, values)
        return np.asarray(out, dtype=np.float64)


def _evaluate(node: ast.expr, values: Mapping[str, NDArray[np.float64]]) -> NDArray[np.float64]:
    if isinstance(node, ast.Constant):
        return np.full((), float(node.value))  # type: ignore[arg-type]
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _evaluate(node.operand, values)
        return np.negative(inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        fn = _OPERATORS[type(node.op)]
        return fn(_evaluate(node.left, values), _evaluate(node.right, values))
    assert isinstance(node, ast.Call)
    assert isinstance(node.func, ast.Name)
    _, fn = FUNCTIONS[node.func.id]
    return fn(*(_evaluate(a, values) for a in node.args))


def parse_formula(text: str) -> Formula:
    """Parse a formula, refusing anything outside the language.

    Parameters
    ----------
    text
        The formula as written, e.g. ``aid_reach / people_in_need``.

    Returns
    -------
    Formula
        The parsed formula.

    Raises
    ------
    FormulaError
        When the text is not a formula of the language: the message names what was found
        and its column.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("a formula must be a non-empty expression, e.g. 'a / b'")
    if len(text) > 1000:
        raise FormulaError(f"a formula of {len(text):,} characters is too long (at most 1,000)")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(
            f"'{text.strip()}' is not a formula{where}: expected numbers, indicator ids, "
            "+ - * / ( ) and min, max, log, exp"
        ) from None
    _check(tree.body, text.strip(), depth=0)
    return Formula(text.strip(), tree.body)


def _check(node: ast.expr, text: str, depth: int) -> None:
    """Refuse every node outside the allow-list, naming it and its column."""
    if depth > 50:
        raise FormulaError("the formula nests more than 50 levels deep")
    column = getattr(node, "col_offset", 0) + 1

    def refuse(what: str) -> FormulaError:
        return FormulaError(
            f"{what} at column {column} of '{text}' is not allowed in a formula; expected "
            "numbers, indicator ids, + - * / ( ) and min, max, log, exp"
        )

    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise refuse(f"the constant {node.value!r}")
        return
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise refuse(f"the function name '{node.id}' without arguments")
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise refuse("the operator '" + type(node.op).__name__ + "'")
        _check(node.operand, text, depth + 1)
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _OPERATORS:
            symbol = {ast.Pow: "**", ast.Mod: "%", ast.FloorDiv: "//"}.get(type(node.op))
            raise refuse(f"the operator '{symbol or type(node.op).__name__}'")
        _check(node.left, text, depth + 1)
        _check(node.right, text, depth + 1)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            if isinstance(node.func, ast.Name):
                raise refuse(f"the function '{node.func.id}'")
            raise refuse("a call of an expression")
        if node.keywords:
            raise refuse(f"a keyword argument to {node.func.id}")
        (least, most), _ = FUNCTIONS[node.func.id]
        count = len(node.args)
        if count < least or (most is not None and count > most):
            wanted = f"{least}" if least == most else f"at least {least}"
            raise FormulaError(
                f"{node.func.id} at column {column} of '{text}' takes {wanted} "
                f"argument{'s' if least != 1 else ''}, got {count}"
            )
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise refuse("a starred argument")
            _check(a, text, depth + 1)
        return
    raise refuse(_describe(node))


def _describe(node: ast.expr) -> str:
    kinds = {
        ast.Attribute: "an attribute",
        ast.Subscript: "a subscript",
        ast.Compare: "a comparison",
        ast.BoolOp: "a logical operator",
        ast.IfExp: "a conditional",
        ast.Lambda: "a lambda",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a mapping",
    }
    return kinds.get(type(node), f"'{type(node).__name__}'")
