"""Checks for ``exercises/01_neuromanifolds.ipynb``: networks as polynomial maps.

The expected answers are computed with nagviz (parameter counts, the nearest point of
the cone, gradient descent, the Jacobian criterion for (2, 2, 2)) or with sympy
(elimination), never typed in.

Examples
--------
>>> from nagviz.exercises import check
>>> bool(check("01.2", "b^2 = 4*a*c"))
True
>>> check("01.4", "w1 + w2 - 3").message.startswith("The network multiplies")
True
"""

from __future__ import annotations

import numpy as np
import sympy

from ..architecture import Architecture
from ..neuromanifolds import ScalarRegression, nearest_rank_one_form, reachability_222
from .answers import Array, Boolean, Collection, Expression, Function, Integer, Tuple
from .checking import Mistake, exercise

a, b, c, p, q, v = sympy.symbols("a b c p q v")
w1, w2 = sympy.symbols("w1 w2")

#: the forms of exercise 01.3, as coefficients (a, b, c) of a x^2 + b xy + c y^2
FORMS_01_3 = ((1, -6, 9), (-2, 4, -2), (1, 0, -1), (1, 0, 1), (0, 0, 0))

#: the test pairs of exercise 01.6, as pairs of coefficient triples
PAIRS_01_6 = (
    ((1, 0, -1), (0, 1, 0)),      # (x^2 - y^2, xy): not reached
    ((1, 0, 0), (0, 0, 1)),       # (x^2, y^2)
    ((1, 0, 0), (0, 1, 0)),       # (x^2, xy): tangent, on the boundary
    ((1, 0, 1), (0, 1, 0)),       # (x^2 + y^2, xy)
    ((1, 0, 1), (2, 0, 2)),       # proportional, definite
    ((1, 0, -1), (-3, 0, 3)),     # proportional, indefinite
    ((0, 0, 0), (0, 0, 0)),
    ((2, 1, 0), (0, 1, 3)),
    ((1, 2, 3), (-1, 0, 2)),
    ((3, -1, 2), (1, 1, 1)),
    ((0, 1, 0), (1, 0, 1)),
)


def _vanishes_on_cone(expr) -> bool:
    """Whether a polynomial in a, b, c vanishes at every (v p^2, 2 v p q, v q^2)."""
    return sympy.expand(expr.subs({a: v * p**2, b: 2 * v * p * q, c: v * q**2})) == 0


# --------------------------------------------------------------------------- 01.1

@exercise(
    "01.1",
    Tuple(Integer(), Integer(), names=("number of parameters", "ambient dimension")),
    title="Parameters and ambient dimension of the (3, 2, 2) network",
    hints=[
        "Parameters: a layer from width $d_{i-1}$ to width $d_i$ is a $d_i \\times d_{i-1}$ "
        "matrix, and there are no biases.",
        "Ambient space: each output is a quadratic form in $x, y, z$ (degree $r = 2$, three "
        "inputs). How many monomials of degree 2 in three variables are there, and how many "
        "outputs does the network have?",
    ],
    mistakes=[
        Mistake("You counted the monomials of one output only. The function has two outputs, "
                "and the ambient space holds the coefficients of both.",
                when=lambda ans: ans[1] == 6),
        Mistake("You counted `x*y` and `y*x` as different monomials; monomials commute.",
                when=lambda ans: ans[1] == 18),
        Mistake("You included monomials of degree 0 and 1. Without biases and with "
                "$\\sigma(z) = z^2$, every output is homogeneous of degree exactly 2.",
                when=lambda ans: ans[1] == 20),
        Mistake("This network has no biases: count only the entries of the weight matrices.",
                when=lambda ans: ans[0] == 14),
        Mistake("You counted neurons. The parameters are the weights: one per connection "
                "between consecutive layers.", when=lambda ans: ans[0] == 7),
        Mistake("Did you subtract the rescaling symmetries? That gives the expected "
                "dimension; here we ask for the number of parameters.",
                when=lambda ans: ans[0] == 8),
    ],
    explanation=(
        "Ten parameters, minus one rescaling per hidden neuron, gives the expected dimension "
        "8 inside an ambient space of dimension 12: this network is far from filling."
    ),
)
def counts_3_2_2():
    """Parameters and ambient dimension of (3, 2, 2) with sigma = z^2."""
    arch = Architecture((3, 2, 2), 2)
    return (arch.n_parameters, arch.ambient_dimension)


# --------------------------------------------------------------------------- 01.2

@exercise(
    "01.2",
    Expression(equation=True),
    title="The implicit equation of the (2, 1, 1) neuromanifold",
    hints=[
        "Write the coefficients of $v (p x + q y)^2$ as polynomials in $p, q, v$: that gives "
        "$a$, $b$ and $c$.",
        "Look for a polynomial relation among $a, b, c$ that holds for every $p, q, v$. "
        "Compare $b^2$ with the product $ac$.",
        "To let sympy find it: `sympy.groebner([a - v*p**2, b - 2*v*p*q, c - v*q**2], v, p, q, "
        "a, b, c, order='lex')` eliminates $v, p, q$; keep the element in $a, b, c$ only.",
    ],
    mistakes=[
        Mistake("Write products with a star, as in `4*a*c`: without it, `ac` is read as one "
                "symbol named ac.",
                when=lambda e: any(len(str(s)) > 1 and set(str(s)) <= set("abc")
                                   for s in e.free_symbols)),
        Mistake("You left out the cross term's factor 2: expanding $(p x + q y)^2$ gives "
                "$2 p q\\, xy$.",
                when=lambda e: sympy.expand(e).equals(sympy.expand(b**2 - a * c))
                or sympy.expand(e).equals(sympy.expand(a * c - b**2))
                or sympy.expand(e).equals(sympy.expand(b**2 - 2 * a * c))
                or sympy.expand(e).equals(sympy.expand(2 * a * c - b**2))),
        Mistake("Check the sign: for $f = (x + y)^2$ we have $a = c = 1$, $b = 2$, and your "
                "polynomial must vanish there.", equals=b**2 + 4 * a * c),
        Mistake("Your polynomial vanishes on the cone, but it has an extra factor. Give the "
                "relation of lowest degree (it generates all others).",
                when=lambda e: bool(e.free_symbols <= {a, b, c}) and _vanishes_on_cone(e)
                and sympy.Poly(e, a, b, c).total_degree() > 2),
    ],
    explanation=(
        "The neuromanifold of (2, 1, 1) is the real cone $b^2 = 4ac$: the binary quadratic "
        "forms with discriminant zero, i.e. the multiples of squares. It is a surface "
        "(dimension 2) in the 3-dimensional ambient space, singular at its vertex, the zero "
        "function."
    ),
)
def cone_equation():
    """Eliminate v, p, q from a = v p^2, b = 2 v p q, c = v q^2 (lex Groebner basis)."""
    basis = sympy.groebner([a - v * p**2, b - 2 * v * p * q, c - v * q**2], v, p, q, a, b, c,
                           order="lex")
    (relation,) = [g for g in basis.exprs if g.free_symbols <= {a, b, c}]
    return relation


# --------------------------------------------------------------------------- 01.3

def _flipped(position):
    """A predicate: the answer differs from the expected one exactly at ``position``."""
    def predicate(answer):
        expected = on_the_cone.expected
        return len(answer) == len(expected) and [
            i for i, (x, y) in enumerate(zip(answer, expected)) if x != y] == [position]
    return predicate


@exercise(
    "01.3",
    Collection(Boolean(), ordered=True),
    title="Which quadratic forms does one neuron compute?",
    hints=[
        "A form is computed by the (2, 1, 1) network exactly when it is $v\\,\\ell^2$ for a "
        "real linear form $\\ell$ and a real number $v$ (possibly negative, possibly zero).",
        "Use the equation from Exercise 01.2, or try to write each form as $v (p x + q y)^2$.",
    ],
    mistakes=[
        Mistake("Over the reals the output weight $v$ may be negative, so negative multiples "
                "of squares are computed as well.", when=_flipped(1)),
        Mistake("A form that factors into two *different* real linear forms is not a multiple "
                "of a square: one neuron computes $v\\,\\ell^2$, one linear form, squared.",
                when=_flipped(2)),
        Mistake("Check the fourth form with the equation of Exercise 01.2: being positive is "
                "not the same as being a multiple of a square.", when=_flipped(3)),
        Mistake("What does the network compute when all its weights are zero? The zero "
                "function belongs to every neuromanifold (it is the vertex of the cone).",
                when=_flipped(4)),
        Mistake("Expand $(x - 3y)^2$ and compare with the first form.", when=_flipped(0)),
    ],
    explanation=(
        "A real binary quadratic form is on the cone exactly when its discriminant "
        "$b^2 - 4ac$ vanishes; the sign of $v$ takes care of both nappes."
    ),
)
def on_the_cone():
    """Whether each form of FORMS_01_3 is a point of the (2, 1, 1) neuromanifold."""
    distance = nearest_rank_one_form(np.array(FORMS_01_3, dtype=float)).distance
    return [bool(d < 1e-9) for d in distance]


# --------------------------------------------------------------------------- 01.4

@exercise(
    "01.4",
    Expression(equation=True),
    title="The fiber of f(x) = 3x",
    hints=[
        "The network computes $f(x) = w_2 w_1 x$. For which $(w_1, w_2)$ is this the same "
        "function as $3x$, for every input $x$?",
        "Two linear functions of $x$ agree for all $x$ when their slopes agree. Write the "
        "condition as one equation in $w_1, w_2$.",
    ],
    mistakes=[
        Mistake("The network multiplies: the input goes through $w_1$, then through $w_2$. "
                "Compose the two layers rather than adding them.",
                when=lambda e: e.free_symbols <= {w1, w2} and sympy.Poly(e, w1, w2).total_degree() == 1),
        Mistake("Check the sign: the point $(w_1, w_2) = (1, 3)$ computes $3x$, so your "
                "equation must hold there.", equals=w1 * w2 + 3),
        Mistake("Your equation fixes the product $w_1 w_2$, the slope of the function, but "
                "at another value: the function asked for is $3x$.",
                when=lambda e: e.free_symbols == {w1, w2}
                and sympy.Poly(e, w1, w2).monoms() in ([(1, 1), (0, 0)], [(1, 1)])),
    ],
    explanation=(
        "The fiber is the hyperbola $w_1 w_2 = 3$: two branches, $(t, 3/t)$ for $t > 0$ and "
        "for $t < 0$, related by the symmetry $(w_1, w_2) \\mapsto (-w_1, -w_2)$. Sliding along "
        "a branch is the rescaling $(t w_1, w_2 / t)$."
    ),
)
def fiber_equation():
    """The fiber of 3x under (w1, w2) -> w2 w1: the hyperbola w1 w2 = 3."""
    x = sympy.Symbol("x")
    slope = sympy.Poly(w2 * w1 * x - 3 * x, x).coeff_monomial(x)
    return slope


# --------------------------------------------------------------------------- 01.5

def _on_hyperbola(answer):
    return abs(float(answer[0]) * float(answer[1]) - 2.0) < 1e-3


def _still_moving(answer):
    """An iterate of the descent that is not its limit: on the line w1 = -w2, strictly
    between the start (1, -1) and the saddle."""
    w1_, w2_ = (float(t) for t in np.ravel(answer))
    return abs(w1_ + w2_) <= 1e-6 * max(1.0, abs(w1_)) and 1e-4 < abs(w1_) < 1.0


@exercise(
    "01.5",
    Array(atol=1e-4),
    title="Where does gradient descent go?",
    hints=[
        "The gradient of $L = (w_1 w_2 - 2)^2$ is $2 (w_1 w_2 - 2)\\,(w_2, w_1)$. Write a loop "
        "of a few hundred steps $w \\leftarrow w - \\eta \\nabla L(w)$, or think first.",
        "On the line $w_1 = -w_2$, in which direction does the gradient point? Can the iterates "
        "ever leave that line?",
    ],
    mistakes=[
        Mistake("That point is a global minimum, but gradient descent does not get there from "
                "this start. Look at the gradient on the line $w_1 = -w_2$, where the start "
                "lies.", when=_on_hyperbola),
        Mistake("The gradient at the start is not zero, so gradient descent moves away from "
                "it. Run the iteration.",
                when=lambda ans: np.allclose(ans, [1.0, -1.0], atol=1e-3)),
        Mistake("Your point lies on the line $w_1 = -w_2$, where the iterates stay, but "
                "gradient descent has not stopped moving there: run longer (more steps) and "
                "see where the iterates go.", when=_still_moving),
    ],
    explanation=(
        "The iterates stay on the line $w_1 = -w_2$ and shrink towards $w = 0$: a saddle of "
        "the loss, created by the parameterization (the function-space loss $(c - 2)^2$ is "
        "convex, with no critical point at $c = 0$). At $w = 0$ the differential of "
        "$(w_1, w_2) \\mapsto w_1 w_2$ vanishes: this is a spurious critical point."
    ),
)
def gradient_descent_limit():
    """GD on (w1 w2 - 2)^2 from (1, -1), learning rate 0.05, run to convergence."""
    data = ScalarRegression(np.array([-1.0, 1.0]), np.array([-2.0, 2.0]))  # m = 1, c* = 2
    path = data.gradient_descent([1.0, -1.0], lr=0.05, steps=2000)
    return np.round(path.final, 8) + 0.0


# --------------------------------------------------------------------------- 01.6

def _answers(function):
    return [bool(function(f1, f2)) for f1, f2 in PAIRS_01_6]


def _reference_answers():
    return [reachability_222(f1, f2).reached for f1, f2 in PAIRS_01_6]


@exercise(
    "01.6",
    Function(PAIRS_01_6, result=Boolean()),
    title="Decide real reachability for the (2, 2, 2) network",
    hints=[
        "Both forms must lie in the span of two squares $\\ell_1^2, \\ell_2^2$ of real linear "
        "forms. When $f_1, f_2$ are not proportional, that span is the plane they span.",
        "The squares $\\ell^2$ in the plane spanned by $f_1, f_2$ are the squares of the linear "
        "factors of the Jacobian $J = \\det \\partial(f_1, f_2)/\\partial(x, y)$, a binary "
        "quadratic form.",
        "So: proportional pairs (including zero) are reached; otherwise the pair is reached "
        "exactly when $J$ has two *distinct real* roots, that is, a positive discriminant.",
    ],
    mistakes=[
        Mistake("Your function answers True for every pair, but the dimension count does not "
                "tell the whole story over the reals: (x^2 - y^2, xy) is not reached.",
                when=lambda f: all(_answers(f))),
        Mistake("Pairs whose Jacobian has a double root lie on the boundary of the "
                "neuromanifold and are not reached: the plane then contains only one square.",
                when=lambda f: _answers(f) == [r or i == 2 for i, r in
                                                enumerate(_reference_answers())]),
        Mistake("Proportional pairs (the Jacobian vanishes identically) are always reached: "
                "one output of width two computes every binary quadratic form.",
                when=lambda f: all(x == y for i, (x, y) in
                                   enumerate(zip(_answers(f), _reference_answers()))
                                   if i not in (4, 5, 6))
                and not all(_answers(f)[i] for i in (4, 5, 6))),
    ],
    explanation=(
        "The (2, 2, 2) network fills its ambient space, so over $\\mathbb{C}$ almost every "
        "pair is reached; over $\\mathbb{R}$ an open set is missed (about a quarter of random "
        "Gaussian pairs). Its boundary is the hypersurface where the discriminant of the "
        "Jacobian vanishes."
    ),
)
def reachability_function():
    """The reference decision procedure: nagviz's Jacobian criterion."""
    return lambda f1, f2: reachability_222(f1, f2).reached
