"""Formulas of derived indicators: the safe grammar, evaluation on arrays, refusals."""

from __future__ import annotations

import numpy as np
import pytest

from recogmodel.model import FormulaError, parse_formula


def test_formula_names_and_evaluates_on_whole_arrays() -> None:
    """Names come in order of first use; evaluation is element by element."""
    f = parse_formula("min(a / b, 1) + max(0, log(exp(c))) - -2 * a")
    assert f.names == ("a", "b", "c")
    a, b, c = np.array([1.0, 4.0]), np.array([2.0, 2.0]), np.array([0.5, -3.0])
    expected = np.minimum(a / b, 1) + np.maximum(0, c) + 2 * a
    np.testing.assert_allclose(f.evaluate({"a": a, "b": b, "c": c}), expected)


def test_a_formula_of_numbers_only_is_a_number() -> None:
    """A constant formula evaluates to a 0-d array that broadcasts."""
    assert float(parse_formula("(1 + 2) * 0.5").evaluate({})) == 1.5


def test_division_by_zero_gives_inf_not_an_error() -> None:
    """Numpy's rules: the engine checks the result against the indicator's domain."""
    out = parse_formula("a / b").evaluate({"a": np.array([1.0]), "b": np.array([0.0])})
    assert np.isinf(out).all()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a ** 2", "the operator '**'"),
        ("a % 2", "the operator '%'"),
        ("__import__('os').system('x')", "a call of an expression"),
        ("__import__('os')", "the function '__import__'"),
        ("a.real", "an attribute"),
        ("a[0]", "a subscript"),
        ("a < b", "a comparison"),
        ("a and b", "a logical operator"),
        ("'text'", "the constant 'text'"),
        ("True", "the constant True"),
        ("sqrt(a)", "the function 'sqrt'"),
        ("log(a, 2)", "log at column 1 of 'log(a, 2)' takes 1 argument, got 2"),
        ("max(a)", "takes at least 2 arguments, got 1"),
        ("log", "the function name 'log' without arguments"),
        ("(lambda: 1)()", "a call of an expression"),
        ("a +", "is not a formula"),
        ("", "non-empty"),
    ],
)
def test_anything_outside_the_language_is_refused_with_what_and_where(text: str, said: str) -> None:
    """Nothing is ever evaluated by Python; the message names the construct."""
    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    assert said in str(info.value)


def test_a_deeply_nested_formula_is_refused() -> None:
    """Nesting is bounded, so a hostile formula cannot exhaust the stack."""
    with pytest.raises(FormulaError, match="nests more than 50"):
        parse_formula("(" * 60 + "a" + ")" * 60 + " + " + "-" * 60 + "a")
