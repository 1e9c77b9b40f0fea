"""Checks for ``exercises/03_fibers.ipynb``: fibers, symmetries, conserved quantities.

Every expected answer is computed with nagviz (the exact engine, symmetry flows, exact
finite fibers, conserved quantities), never typed in.

Examples
--------
>>> from nagviz.exercises import check
>>> bool(check("03.2", (2, -1)))
True
>>> check("03.2", (0.5, -1)).message.startswith("You inverted")
True
"""

from __future__ import annotations

import math

import numpy as np

from ..architecture import Architecture
from .answers import Boolean, Expression, Integer, Real, Tuple
from .checking import Mistake, exercise

#: exercise 03.2: two parameter points of (2, 2, 1), z^2 (W1 row by row, then W2)
POINTS_03_2 = ((1.0, 2.0, -1.0, 1.0, 3.0, 2.0), (2.0, 4.0, 1.0, -1.0, 0.75, 2.0))
#: exercise 03.4: the start (w, v) of v (w x)^2 and the final w
START_03_4, END_W_03_4 = (1.0, 2.0), 1.5
#: exercise 03.5: the parameter point whose fiber is counted
THETA_03_5 = (1, 2, -1, 3, 2, -1)


def _total_degree(expr):
    import sympy

    return sympy.Poly(expr, *sorted(expr.free_symbols, key=str)).total_degree()


@exercise(
    "03.1",
    Expression(up_to_constant=True, symbols=("w1", "w2", "v1", "v2")),
    title="The fiber of a tiny linear network",
    hints=[
        "Write the function: $f(x) = v_1 (w_1 x) + v_2 (w_2 x)$ is a multiple of $x$. Which "
        "multiple?",
        "The fiber over $3x$ is every $(w_1, w_2, v_1, v_2)$ whose slope equals 3: one equation.",
    ],
    mistakes=[
        Mistake("That is the fiber over the zero function: the slope must equal 3.",
                when=lambda a: a.subs({s: 0 for s in a.free_symbols}) == 0),
        Mistake("Each neuron contributes the product of its two weights: $v_j w_j$, not a sum.",
                when=lambda a: _total_degree(a) == 1),
    ],
    explanation=(
        "The fiber $v_1 w_1 + v_2 w_2 = 3$ is a quadric hypersurface in $\\mathbb R^4$: "
        "dimension 3 = 4 parameters minus $\\dim \\mathcal M = 1$. It is one orbit of "
        "$GL(2)$ acting on the hidden layer, $(w, v) \\mapsto (G w, v G^{-1})$: a "
        "4-dimensional group, of which a 1-dimensional subgroup fixes each point."
    ),
)
def linear_fiber_equation():
    import sympy

    w1, w2, v1, v2 = sympy.symbols("w1 w2 v1 v2")
    from ..fibers import symbolic_coefficients

    (slope,), t = symbolic_coefficients(Architecture((1, 2, 1), 1))
    return sympy.expand(slope.subs(dict(zip(t, (w1, w2, v1, v2)))) - 3)


@exercise(
    "03.2",
    Tuple(Real(), Real(), names=("t for neuron 1", "t for neuron 2")),
    title="The rescaling between two parameter points",
    hints=[
        "A rescaling multiplies a neuron's incoming weights by $t$ and its outgoing weight by "
        "$t^{-2}$. Compare the incoming weights of each neuron in the two points.",
        "$t$ may be negative: $(-1)^{-2} = 1$.",
    ],
    mistakes=[
        Mistake("You inverted the rescaling: the first point is mapped to the second, so "
                "$t = $ (new incoming weight) / (old incoming weight).",
                when=lambda a: abs(a[0] - 0.5) < 1e-9),
        Mistake("Look at the signs of neuron 2's incoming weights: they flip.",
                when=lambda a: abs(a[1] - 1) < 1e-9),
        Mistake("That factor is the one of the out-weight, $t^{-2}$; give $t$ itself.",
                when=lambda a: abs(a[0] - 0.25) < 1e-9),
    ],
    explanation=(
        "Neuron 2 is rescaled by $t = -1$: the reflection $w \\mapsto -w$ is in the rescaling "
        "group of $z^2$ (its orbit has two components, like the two branches of a hyperbola)."
    ),
)
def rescaling_factors():
    from ..fibers import function_change

    arch = Architecture((2, 2, 1), 2)
    a, b = (np.array(p) for p in POINTS_03_2)
    assert function_change(arch, a, b) < 1e-12
    return (b[0] / a[0], b[2] / a[2])


@exercise(
    "03.3",
    Integer(),
    title="The fiber dimension of (4, 2, 1)",
    hints=[
        "The generic fiber has dimension (parameters) - (dimension of the neuromanifold).",
        "The network computes $v_1 \\ell_1^2 + v_2 \\ell_2^2$: quadrics in 4 variables of "
        "rank at most 2. A symmetric $4 \\times 4$ matrix of rank 2 is $W^\\top D W$; count "
        "$W$ and $D$ and subtract what changes neither the product.",
    ],
    mistakes=[
        Mistake("That counts only the two rescalings. The quadratic network narrower than its "
                "input is defective: its fiber also rotates the two neurons into each other.",
                equals=2),
        Mistake("That is the dimension of the neuromanifold, not of the fiber.", equals=7),
        Mistake("That is the number of parameters.", equals=10),
        Mistake("A network with $z^2$ always has its rescalings: the fiber is never finite.",
                equals=0),
    ],
    explanation=(
        "$P = 8 + 2 = 10$, and rank-2 quadrics in 4 variables have dimension "
        "$2 \\cdot 4 - 1 = 7$: the fiber has dimension 3, two rescalings and one extra "
        "direction ($O(1,1)$ or $O(2)$ acting on the two neurons)."
    ),
)
def fiber_dimension_421():
    from ..jacobian_rank import dimension

    return dimension(Architecture((4, 2, 1), 2)).fiber_dimension


@exercise(
    "03.4",
    Real(rtol=1e-6),
    title="The conserved quantity of a training run",
    hints=[
        "For $f = v\\,(w x)^2$ gradient flow conserves $Q = w^2 - 2 v^2$. Compute it at the "
        "start.",
        "At the end $w = 1.5$ and $Q$ is unchanged: solve for $v^2$. Which sign can $v$ have?",
    ],
    mistakes=[
        Mistake("The sign is locked: $Q < 0$ means $2v^2 = w^2 - Q > 0$ all the time, so $v$ "
                "never passes through 0 and keeps its initial sign.",
                when=lambda a: a < 0),
        Mistake("The conserved quantity has the factor $r = 2$: $w^2 - 2v^2$, not $w^2 - v^2$.",
                when=lambda a: abs(abs(a) - math.sqrt(1.5 ** 2 + 3)) < 1e-6),
    ],
    explanation=(
        "$Q = 1 - 8 = -7$, so $2v^2 = 2.25 + 7$ and $v = \\sqrt{4.625}$. Negative $Q$ keeps "
        "$|v| \\ge \\sqrt{7/2}$: the out-weight can never shrink to zero, whatever the data."
    ),
)
def final_out_weight():
    from ..conservation import conserved_quantities

    arch = Architecture((1, 1, 1), 2)
    (q,) = conserved_quantities(arch).values(np.array(START_03_4))
    return float(np.sign(START_03_4[1]) * math.sqrt((END_W_03_4 ** 2 - q) / 2))


@exercise(
    "03.5",
    Tuple(Integer(), Integer(), names=("sigma = z^3 + z^2", "sigma = z^3 + z")),
    title="Counting a finite fiber up to permutation",
    hints=[
        "Permuting the two neurons always gives a second point. Count the points up to that.",
        "Which of the two activations satisfies $\\sigma(-z) = -\\sigma(z)$? What does that let "
        "you do to one neuron's weights?",
    ],
    mistakes=[
        Mistake("Count up to permutation: divide by the $2! = 2$ orderings of the neurons.",
                when=lambda a: a[0] == 2),
        Mistake("$z^3 + z$ is odd: flipping all weights of one neuron ($w_j, v_j \\mapsto -w_j, "
                "-v_j$) keeps its contribution $v_j \\sigma(w_j \\cdot x)$. Each neuron can be "
                "flipped independently.", when=lambda a: a[1] in (1, 2)),
        Mistake("That counts the permutations too.", when=lambda a: a[1] == 8),
    ],
    explanation=(
        "The exact Gröbner-basis count: 2 points for $z^3 + z^2$ (1 up to permutation) and "
        "$2 \\times 2^2 = 8$ for $z^3 + z$ (4 up to permutation), over $\\mathbb C$ as well."
    ),
)
def finite_fiber_counts():
    from ..fibers import finite_fiber, hidden_permutations

    out = []
    for act in ("z^3 + z^2", "z^3 + z"):
        arch = Architecture((2, 2, 1), act)
        ff = finite_fiber(arch, THETA_03_5)
        out.append(ff.real_count // len(hidden_permutations(arch)))
    return tuple(out)


@exercise(
    "03.6",
    Tuple(Boolean(), Integer(), names=("balanced stays balanced under gradient flow",
                                       "order in eta of the change of Q per step")),
    title="Why a balanced initialization stays balanced",
    hints=[
        "Along gradient flow $dQ/dt = 2\\theta^\\top S \\theta'$, and $S\\theta$ is a symmetry "
        "direction. What is its inner product with the gradient?",
        "For one step of gradient descent expand $Q(\\theta - \\eta g)$; the term linear in "
        "$\\eta$ is the same inner product.",
    ],
    mistakes=[
        Mistake("The first-order term $-2\\eta\\,\\theta^\\top S g$ vanishes: the gradient is "
                "orthogonal to the symmetry orbits (Noether).", when=lambda a: a[1] == 1),
        Mistake("Under gradient flow $dQ/dt = 0$ exactly, so $Q = 0$ stays 0.",
                when=lambda a: a[0] is False),
    ],
    explanation=(
        "One step changes $Q$ by exactly $\\eta^2 g^\\top S g$; over a fixed training time "
        "that is a drift proportional to $\\eta$, which vanishes in the gradient-flow limit."
    ),
)
def balanced_stays_balanced():
    from ..conservation import conserved_quantities

    arch = Architecture((2, 2, 1), 2)
    cq = conserved_quantities(arch)
    rng = np.random.default_rng(0)
    theta, b = rng.standard_normal(6), rng.standard_normal(3)
    _, g = arch.coefficient_map().loss_gradient(theta[None], np.eye(3), b[None])
    g = g[0]
    changes = [cq.values(theta - eta * g) - cq.values(theta) for eta in (1e-2, 2e-2)]
    order = int(round(math.log2(np.abs(changes[1]).max() / np.abs(changes[0]).max())))
    first_order = np.abs(cq.matrices @ theta @ g).max()
    return (bool(first_order < 1e-10), order)
