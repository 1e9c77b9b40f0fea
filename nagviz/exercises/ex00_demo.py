"""Checks for ``exercises/00_demo.ipynb``: two tiny exercises that show the machinery.

The expected answers are computed independently of the rest of nagviz (a binomial
coefficient, a sympy expansion), so this topic also serves as a test fixture.

Examples
--------
>>> from nagviz.exercises import check
>>> check("00.1", 9).message.startswith("You counted ordered pairs")
True
>>> bool(check("00.2", "c*(a*x + b*y)^2"))
True
"""

from __future__ import annotations

import math

import sympy

from .answers import Expression, Integer
from .checking import Mistake, exercise

a, b, c, x, y = sympy.symbols("a b c x y")


@exercise(
    "00.1",
    Integer(),
    title="Counting quadratic monomials",
    hints=[
        "List them: a monomial of degree 2 is either the square of one variable "
        "or the product of two different variables.",
        "Choosing a monomial of degree $D$ in $n$ variables means choosing $D$ of the "
        "variables with repetition allowed and order ignored (a multiset). Multisets "
        "are counted by $\\binom{n + D - 1}{D}$.",
    ],
    mistakes=[
        Mistake(
            "You counted ordered pairs of variables, so `x*y` and `y*x` were counted "
            "twice. Monomials commute: count each product once.",
            equals=3**2,
        ),
        Mistake(
            "That counts only one of the two sorts of monomials of degree 2: squares "
            "such as `x**2`, and products of two different variables such as `x*y`. "
            "Both sorts have degree 2.",
            equals=3,
        ),
        Mistake(
            "You also counted monomials of lower degree (the constant and the "
            "variables themselves). Without biases the network computes a "
            "homogeneous polynomial: every monomial has degree exactly 2.",
            equals=1 + 3 + math.comb(4, 2),
        ),
        Mistake("A number of monomials cannot be zero or negative.", when=lambda n: n <= 0),
    ],
    explanation=(
        "Every network with widths $(3, d_1, 1)$ and activation $z^2$ computes a "
        "quadratic form in three variables, so its neuromanifold lives in this space "
        "of quadratic forms: the ambient space."
    ),
)
def quadratic_monomials_in_three_variables() -> int:
    """Monomials of degree 2 in 3 variables: multisets of size 2 from 3 variables."""
    degree, variables = 2, 3
    return math.comb(degree + variables - 1, degree)


@exercise(
    "00.2",
    Expression(),
    title="The function of a one-neuron network",
    hints=[
        "Work forward from the input: the hidden neuron first computes the linear "
        "form `a*x + b*y`, then applies the activation.",
        "There is no activation after the last layer: the output layer only "
        "multiplies the hidden value by its weight.",
    ],
    mistakes=[
        Mistake(
            "You left out the output weight `c`: the last layer multiplies the value "
            "of the hidden neuron by it.",
            equals=(a * x + b * y) ** 2,
        ),
        Mistake(
            "You forgot the activation: the hidden neuron passes its linear form "
            "through $\\sigma(z) = z^2$.",
            equals=c * (a * x + b * y),
        ),
        Mistake(
            "You squared each term separately. The square of a sum has a cross term.",
            equals=c * (a**2 * x**2 + b**2 * y**2),
        ),
        Mistake(
            "You applied the activation after the output layer as well. The last "
            "layer of the network is linear.",
            equals=(c * (a * x + b * y)) ** 2,
        ),
    ],
    explanation=(
        "Replacing $(a, b, c)$ by $(ta, tb, c/t^2)$ gives the same function for every "
        "$t \\neq 0$: three parameters, but only a two-dimensional family of functions. "
        "This is the rescaling symmetry of a hidden neuron."
    ),
)
def one_neuron_network_function() -> sympy.Expr:
    """``c * (a x + b y)^2``: widths (2, 1, 1), activation z^2, no biases."""
    hidden = (a * x + b * y) ** 2
    return sympy.expand(c * hidden)
