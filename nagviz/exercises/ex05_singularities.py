"""Checks for ``exercises/05_singularities.ipynb``: singular points, subnetworks, training.

Every expected answer is computed with nagviz (exact Jacobian ranks, nearest points,
Voronoi cells of the cone, training runs, loss gradients), never typed in.

Examples
--------
>>> from nagviz.exercises import check
>>> bool(check("05.1", (2, 1, 0)))
True
>>> check("05.3", (5, 5, 5)).message.startswith("That is the generic rank")
True
"""

from __future__ import annotations

import math

import numpy as np

from ..architecture import Architecture
from ..parameterization import coefficients
from ..singularities import (CUBIC_221, QUADRATIC_221, binary_quadratic_eigenvalues,
                             cone_vertex_voronoi, dead_neuron_point, loss_gradient,
                             rank_one_trap_experiment, tangent_rank)
from ..training import sample_targets
from .answers import Boolean, Choice, Collection, Expression, Integer, Real, Tuple
from .checking import Mistake, exercise

#: the parameter points (p, q, v) of exercise 05.1
POINTS_05_1 = ((1, 2, 3), (1, 2, 0), (0, 0, 3))

#: the parameter points of (3, 2, 1), z^2, in exercise 05.3 (W1 row by row, then W2)
POINTS_05_3 = ((1, 2, 3, 0, 0, 0, 1, 0),     # neuron 2 switched off
               (1, 2, 3, 1, -1, 2, 1, 0),    # only neuron 2's out-weight is zero
               (1, 2, 3, 1, 2, 3, 1, 1))     # the two neurons merged

#: the targets of exercise 05.4, coefficients (a, b, c) of a x^2 + b xy + c y^2
TARGETS_05_4 = ((-1, 0, -1), (1, 0, -1), (-1, 1, -1), (-1, -2, -1), (0, 2, -1))

#: the cells of exercise 05.5
CELLS = ("only the vertex itself", "the negative semidefinite forms",
         "the positive semidefinite forms", "the indefinite forms", "every form")

#: the outcomes of exercise 05.7
SUBNETWORKS = ("neuron 1 off", "neuron 2 off", "parallel neurons", "the zero function",
               "none: it fits the target")

#: the two runs of exercise 05.7: (target index in the pool, run index)
RUNS_05_7 = ((15, 3), (1, 1))


def training_runs_05_7():
    """The two training runs of exercise 05.7 (8 runs each; the exercise reads one of each)."""
    pool = sample_targets(QUADRATIC_221, 20, "bombieri", seed=2025)
    return [rank_one_trap_experiment(8, init_scale=1.0, lr=0.01, steps=5000, seed=k,
                                     targets=pool[k]) for k, _ in RUNS_05_7]


def read_run(result, j) -> str:
    """Which subnetwork run ``j`` of a :class:`RankOneTrapResult` ended at, in words."""
    outcome = result.outcome[j]
    if outcome == "fit":
        return SUBNETWORKS[4]
    if outcome == "parallel neurons":
        return SUBNETWORKS[2]
    if outcome == "zero function":
        return SUBNETWORKS[3]
    w, v = result.in_norms[-1, j], np.abs(result.out_weights[-1, j])
    return SUBNETWORKS[int(np.argmin(v * w ** 2))]


# --------------------------------------------------------------------------- 05.1

@exercise(
    "05.1",
    Tuple(Integer(), Integer(), Integer(),
          names=("rank at (1, 2, 3)", "rank at (1, 2, 0)", "rank at (0, 0, 3)")),
    title="Where does the parameterization of the cone drop rank?",
    hints=[
        "The parameterization is $\\varphi(p, q, v) = (v p^2,\\ 2 v p q,\\ v q^2)$. Write its "
        "$3 \\times 3$ Jacobian matrix, with one column per parameter.",
        "Substitute each point and compute the rank (`sympy.Matrix(...).rank()`). At a generic "
        "point the rank is 2, not 3: the rescaling $(tp, tq, v/t^2)$ does not change the "
        "function.",
    ],
    mistakes=[
        Mistake("There are three parameters, but the rescaling $(tp, tq, v/t^2)$ leaves the "
                "function unchanged, so even a generic point has rank less than 3.",
                when=lambda a: a[0] == 3),
        Mistake("The rank is not the same everywhere: at the last two points a factor of every "
                "entry of some columns vanishes. Substitute the points.",
                when=lambda a: a == (2, 2, 2)),
        Mistake("At $(0, 0, 3)$ every partial derivative contains $p$ or $q$: all of them "
                "vanish, not just some.", when=lambda a: a[:2] == (2, 1) and a[2] == 1),
        Mistake("At $(1, 2, 0)$ the derivatives with respect to $p$ and $q$ vanish (they "
                "carry a factor $v$), but the one with respect to $v$ does not.",
                when=lambda a: a[1] == 0),
    ],
    explanation=(
        "The rank is 2 at $(1, 2, 3)$ and at every parameter point computing a nonzero "
        "function. It drops at the other two points, $(1, 2, 0)$ and $(0, 0, 3)$, and both "
        "compute the zero function, the vertex of the cone. Over the vertex the image of the "
        "differential can be a line (out-weight zero, in-weights on) or a point (in-weights "
        "zero): the rank depends on the parameter point, not only on the function."
    ),
)
def ranks_of_the_cone():
    """Exact Jacobian ranks of (2, 1, 1), z^2 at POINTS_05_1."""
    cone = Architecture((2, 1, 1), 2)
    return tuple(tangent_rank(cone, list(p)).rank for p in POINTS_05_1)


# --------------------------------------------------------------------------- 05.2

@exercise(
    "05.2",
    Tuple(Real(), Real(), Real(), names=("a", "b", "c")),
    title="The singular point of the cone",
    hints=[
        "The cone is the zero set of $F(a, b, c) = b^2 - 4ac$. A point of the zero set is "
        "singular where the gradient of $F$ vanishes too.",
        "Solve $\\nabla F = (-4c,\\ 2b,\\ -4a) = 0$.",
    ],
    mistakes=[
        Mistake("That point is not on the cone $b^2 = 4ac$ at all.",
                when=lambda a: abs(a[1] ** 2 - 4 * a[0] * a[2]) > 1e-9),
        Mistake("That is a point of the cone, but the gradient $(-4c, 2b, -4a)$ of "
                "$b^2 - 4ac$ does not vanish there: near it the cone is a smooth surface.",
                when=lambda a: abs(a[1] ** 2 - 4 * a[0] * a[2]) <= 1e-9),
    ],
    explanation=(
        "The only singular point is the vertex, the zero function: exactly the point where "
        "the parameterization drops rank in Exercise 05.1. It is a subnetwork: the network "
        "with its neuron switched off."
    ),
)
def vertex_of_the_cone():
    """The common zero of b^2 - 4ac and its gradient (-4c, 2b, -4a)."""
    grad = np.array([[0, 0, -4], [0, 2, 0], [-4, 0, 0]], dtype=float)
    point = np.linalg.solve(grad, np.zeros(3))
    return tuple(float(x) + 0.0 for x in point)


# --------------------------------------------------------------------------- 05.3

@exercise(
    "05.3",
    Tuple(Integer(), Integer(), Integer(),
          names=("neuron 2 off", "only its out-weight zero", "neurons merged")),
    title="Tangent space dimension at subnetworks of (3, 2, 1)",
    hints=[
        "`nagviz.tangent_rank(arch, theta)` computes the exact rank of the Jacobian at a "
        "point; do one point by hand first if you like (sympy).",
        "Compare with the generic rank, `nagviz.dimension(arch).dimension`: the neuromanifold "
        "of (3, 2, 1) with $z^2$ has dimension 5.",
    ],
    mistakes=[
        Mistake("That is the generic rank, the dimension of the neuromanifold. At these "
                "special points the rank drops: compute it there.",
                when=lambda a: a == (5, 5, 5)),
        Mistake("You counted the parameters, not the rank of the Jacobian.",
                when=lambda a: 8 in a),
        Mistake("Switching the neuron off completely and only zeroing its out-weight give the "
                "same function but different parameter points: with the in-weights still on, "
                "the out-weight's direction still moves the function.",
                when=lambda a: a[0] == a[1]),
    ],
    explanation=(
        "At every parameter point of a one-neuron network the image of the differential is at "
        "most 4-dimensional, below the 5 of a generic point: the rank-one quadrics are "
        "singular points of the hypersurface $\\det = 0$ of quadrics of rank at most 2. "
        "Both ways to get a one-neuron network, switching a neuron off or merging two, "
        "land there."
    ),
)
def ranks_at_subnetworks():
    """Exact Jacobian ranks of (3, 2, 1), z^2 at POINTS_05_3."""
    arch = Architecture((3, 2, 1), 2)
    return tuple(tangent_rank(arch, list(p)).rank for p in POINTS_05_3)


# --------------------------------------------------------------------------- 05.4

def _flipped_05_4(position):
    def predicate(answer):
        expected = best_fit_is_off.expected
        return [i for i, (x, y) in enumerate(zip(answer, expected)) if x != y] == [position]
    return predicate


@exercise(
    "05.4",
    Collection(Boolean(), ordered=True),
    title="Is the best fit the network with its neuron switched off?",
    hints=[
        "With the out-weight fixed to $+1$ the network computes $(p x + q y)^2$: the "
        "positive multiples of squares, one nappe of the cone. Its subnetwork, the neuron off, "
        "is the zero form.",
        "The zero form is the nearest point of the nappe to $t$ exactly when moving from $0$ "
        "along any square $u$ of the nappe does not get closer: $\\langle t, u \\rangle \\le 0$ "
        "for all $u = (p x + q y)^2$. With the Bombieri inner product, "
        "$\\langle t, (px+qy)^2 \\rangle = t(p, q)$, the form evaluated at $(p, q)$.",
        "So the best fit is the zero form exactly when the target is negative semidefinite. "
        "Check the eigenvalues of $\\begin{pmatrix} a & b/2 \\\\ b/2 & c\\end{pmatrix}$.",
    ],
    mistakes=[
        Mistake("An indefinite target such as $x^2 - y^2$ has a positive direction: the square "
                "$x^2$ of the nappe gets closer to it than the zero form.", when=_flipped_05_4(1)),
        Mistake("$-(x + y)^2$ is negative semidefinite (rank one, but not positive anywhere): "
                "no square of the nappe helps.", when=_flipped_05_4(3)),
        Mistake("Compute the eigenvalues of the matrix of $-x^2 + xy - y^2$: both are "
                "negative.", when=_flipped_05_4(2)),
        Mistake("$2xy - y^2$ takes positive values (try $x = 1$, $y = 0.1$), so some square "
                "gets closer than the zero form.", when=_flipped_05_4(4)),
    ],
    explanation=(
        "A whole cone of targets, the negative semidefinite forms, has the switched-off "
        "network as its best fit: a Voronoi cell with interior, because the nappe only "
        "extends to one side of its vertex."
    ),
)
def best_fit_is_off():
    """Whether the vertex is the nearest point of one nappe (Bombieri) to TARGETS_05_4."""
    r = cone_vertex_voronoi("nappe", "bombieri", targets=np.array(TARGETS_05_4, dtype=float))
    return [bool(x) for x in r.is_vertex]


# --------------------------------------------------------------------------- 05.5

@exercise(
    "05.5",
    Tuple(Choice(*CELLS), Choice(*CELLS), names=("one nappe", "the double cone")),
    title="The Voronoi cell of the vertex: one nappe versus the double cone",
    hints=[
        "For one nappe, Exercise 05.4 already told you which targets the vertex attracts.",
        "For the double cone, $u$ and $-u$ are both on the cone. If $\\langle t, u\\rangle "
        "\\le 0$ and $\\langle t, -u \\rangle \\le 0$ for every square $u$, what is "
        "$\\langle t, u \\rangle$? Which forms are orthogonal to every square?",
    ],
    mistakes=[
        Mistake("The double cone contains $-u$ with every $u$. So the vertex can only be "
                "nearest if $\\langle t, u\\rangle = 0$ for every square $u$: that leaves the "
                "zero form alone.", when=lambda a: a[1] != CELLS[0]),
        Mistake("The nappe consists of the positive multiples of squares. A target it attracts "
                "to its vertex must have no positive direction.",
                when=lambda a: a[0] == CELLS[2]),
        Mistake("An indefinite form has a positive direction $(p, q)$, and the square "
                "$(p x + q y)^2$ of the nappe gets closer to it than the vertex.",
                when=lambda a: a[0] in (CELLS[3], CELLS[4])),
        Mistake("The vertex of one nappe attracts more than itself: try $-x^2 - y^2$.",
                when=lambda a: a[0] == CELLS[0]),
    ],
    explanation=(
        "This is the difference between a cusp and a node in the plane: a one-sided singular "
        "point attracts a region with interior, a two-sided one (sheets on both sides) only "
        "itself. Networks whose out-weights can take either sign look like the double cone, "
        "which is why their subnetworks are rarely the best fit."
    ),
)
def voronoi_cells_of_the_vertex():
    """Classify sampled targets: one nappe attracts exactly the NSD forms, the double cone none."""
    t = sample_targets(Architecture((2, 1, 1), 2), 4000, "bombieri", seed=11)
    nsd = binary_quadratic_eigenvalues(t)[:, 0] <= 0
    nappe = cone_vertex_voronoi("nappe", "bombieri", targets=t).is_vertex
    double = cone_vertex_voronoi("double", "bombieri", targets=t).is_vertex
    first = CELLS[1] if np.array_equal(nappe, nsd) else None
    second = CELLS[0] if not double.any() else None
    return (first, second)


# --------------------------------------------------------------------------- 05.6

@exercise(
    "05.6",
    Real(rtol=0.1),
    title="How many targets does the vertex of one nappe attract?",
    hints=[
        "Sample many Gaussian targets, standard for the Bombieri inner product "
        "(`nagviz.training.sample_targets(arch, n, 'bombieri')` with `arch` the (2, 1, 1) "
        "network), and count the negative semidefinite ones.",
        "`nagviz.singularities.cone_vertex_voronoi('nappe', 'bombieri', n_samples=...)` does "
        "the whole experiment; a 2 x 2 symmetric matrix with independent Gaussian entries (the "
        "off-diagonal one with half the variance) is negative semidefinite with probability "
        "$(2 - \\sqrt 2)/4$.",
    ],
    mistakes=[
        Mistake("A quarter is the share of the quadrant $a, c \\le 0$ in the slice $b = 0$ (the "
                "corner of the Voronoi explorer). In three dimensions the cell is the cone of "
                "negative semidefinite forms, which holds less of the Gaussian mass.",
                when=lambda x: abs(x - 0.25) < 0.02),
        Mistake("You counted the targets with at least one negative eigenvalue; both must be "
                "negative (or zero).", when=lambda x: x > 0.6),
        Mistake("That is the fraction for the Euclidean inner product on coefficients; the "
                "exercise asks for the Bombieri one (rotation invariant).",
                when=lambda x: abs(x - 0.118) < 0.01),
        Mistake("The double cone's vertex attracts nothing, but one nappe's attracts a set of "
                "positive volume.", when=lambda x: x < 0.01),
    ],
    explanation=(
        "About one target in seven has the switched-off network as its best fit: the size of "
        "the Voronoi cell of the vertex, measured. The same number is the probability that a "
        "$2 \\times 2$ matrix from the Gaussian orthogonal ensemble is negative semidefinite. "
        "This is not the vertex's critical exposure (the targets for which a parameter point "
        "computing it is a critical point of the loss): at $p = q = 0$ the whole Jacobian "
        "vanishes, so the loss gradient is zero there for every target, on one nappe and on "
        "the double cone alike, although the double cone's vertex has a Voronoi cell of a "
        "single point."
    ),
)
def nappe_fraction():
    """The exact fraction (2 - sqrt 2)/4, as reported by cone_vertex_voronoi."""
    exact = cone_vertex_voronoi("nappe", "bombieri", n_samples=10).exact_fraction
    assert math.isclose(exact, (2 - math.sqrt(2)) / 4)
    return exact


# --------------------------------------------------------------------------- 05.7

@exercise(
    "05.7",
    Tuple(Choice(*SUBNETWORKS), Choice(*SUBNETWORKS), names=("run A", "run B")),
    title="Read a training run: which subnetwork did it end at?",
    hints=[
        "A neuron contributes $v_j (w_j \\cdot x)^2$: it is off when $v_j = 0$ or $w_j = 0$. "
        "Look at the last values of $\\|w_j\\|$ and $|v_j|$.",
        "If both neurons are still on but the function is on the cone (distance to the cone "
        "about zero, loss not zero), the two neurons compute multiples of the same square.",
    ],
    mistakes=[
        Mistake("Run A: the loss did not reach zero, so it did not fit the target.",
                when=lambda a: a[0] == SUBNETWORKS[4]),
        Mistake("Run B: both neurons keep weights of size about 1, so no neuron is off. Look at "
                "the distance to the cone.", when=lambda a: a[1] in SUBNETWORKS[:2]),
        Mistake("Run A: which neuron's in-weights went to (almost) zero?",
                when=lambda a: a[0] == SUBNETWORKS[0]),
    ],
    explanation=(
        "Run A is the exponential death of a neuron whose out-weight has the wrong sign for "
        "its target and cannot change it (the conserved $\\|w\\|^2 - 2v^2$ is negative); run B "
        "stopped with two parallel neurons, a merged network. Both are subnetworks, and both "
        "runs stay far from the exact fit the network could reach."
    ),
)
def which_subnetwork():
    """The subnetworks of the two runs of RUNS_05_7."""
    runs = training_runs_05_7()
    return tuple(read_run(r, j) for r, (_, j) in zip(runs, RUNS_05_7))


# --------------------------------------------------------------------------- 05.8

@exercise(
    "05.8",
    Collection(Integer()),
    title="Which coordinates of the gradient vanish at a dead neuron?",
    hints=[
        "Flat order of (2, 2, 1): $(w_{11}, w_{12}, w_{21}, w_{22}, v_1, v_2)$; neuron 2 has "
        "in-weights $w_{21}, w_{22}$ and out-weight $v_2$.",
        "$\\partial L / \\partial v_2$ contains $\\sigma(w_2 \\cdot x)$, and "
        "$\\partial L / \\partial w_2$ contains $v_2\\,\\sigma'(w_2 \\cdot x)$. What are they at "
        "$w_2 = 0$, $v_2 = 0$?",
    ],
    mistakes=[
        Mistake("The out-weight's derivative vanishes too: it is $\\langle r, \\sigma(w_2 "
                "\\cdot x)\\rangle$ and $\\sigma(0) = 0$.", when=lambda a: set(a) == {2, 3}),
        Mistake("The in-weights' derivatives vanish too: they carry the factor $v_2 = 0$.",
                when=lambda a: set(a) == {5}),
        Mistake("Those are the live neuron's coordinates: the point is not a critical point "
                "of the full loss there unless the subnetwork is fitted.",
                when=lambda a: set(a) & {0, 1, 4}),
    ],
    explanation=(
        "Exactly neuron 2's three coordinates vanish, for every target and every data set: "
        "switching a neuron off lands on a critical point of the loss in its directions. If "
        "the rest of the network is a critical point of the subnetwork's loss, the whole "
        "point is critical for the full network."
    ),
)
def dead_coordinates():
    """The coordinates where the gradient at a dead-neuron point is exactly zero."""
    rng = np.random.default_rng(0)
    theta = dead_neuron_point(CUBIC_221, [0.7, -1.2, 0.9], 1, 1)
    X, Y = rng.standard_normal((20, 2)), rng.standard_normal(20)
    g = loss_gradient(CUBIC_221, theta, X, Y)
    return sorted(int(i) for i in np.nonzero(g == 0.0)[0])


# --------------------------------------------------------------------------- 05.9

def _proportional_to(text):
    """A predicate: the answer is a nonzero constant multiple of ``text`` (in w1, w2, v)."""
    def predicate(answer):
        import sympy

        other = sympy.sympify(text, locals={n: sympy.Symbol(n) for n in ("w1", "w2", "v")})
        ratio = sympy.simplify(answer / other)
        return bool(ratio.is_number) and ratio != 0
    return predicate


@exercise(
    "05.9",
    Expression(up_to_constant=True, symbols=("w1", "w2", "v")),
    title="Derive the conserved quantity of a rescaling symmetry",
    hints=[
        "Differentiate the invariance $L(\\lambda w, \\lambda^{-3} v) = L(w, v)$ with respect to "
        "$\\lambda$ at $\\lambda = 1$: $\\langle w, \\nabla_w L \\rangle - 3 v\\, \\partial_v L = 0$.",
        "Along gradient flow $\\dot w = -\\nabla_w L$, $\\dot v = -\\partial_v L$. Compute "
        "$\\frac{d}{dt}\\|w\\|^2 = -2\\langle w, \\nabla_w L\\rangle$ and "
        "$\\frac{d}{dt} v^2 = -2 v\\,\\partial_v L$, and combine them so that the identity of "
        "the first hint cancels everything.",
    ],
    mistakes=[
        Mistake("That is the quantity for $\\sigma(z) = z^2$ (notebook 05, Section 4). Here the "
                "out-weight rescales by $\\lambda^{-3}$: redo the derivative of the invariance.",
                when=_proportional_to("w1**2 + w2**2 - 2*v**2")),
        Mistake("The out-weight's term must carry the degree of $\\sigma$: the invariance gives "
                "$\\langle w, \\nabla_w L\\rangle = 3 v\\,\\partial_v L$, not $v\\,\\partial_v L$.",
                when=_proportional_to("w1**2 + w2**2 - v**2")),
        Mistake("Check the sign: $\\|w\\|^2$ and $3 v^2$ change at the same rate, so it is their "
                "difference that stays constant.",
                when=_proportional_to("w1**2 + w2**2 + 3*v**2")),
        Mistake("The factor 3 belongs to $v^2$, not to $\\|w\\|^2$: "
                "$\\frac{d}{dt}\\|w\\|^2 = -2\\langle w, \\nabla_w L\\rangle = -6 v\\,\\partial_v L$ "
                "$= 3 \\frac{d}{dt} v^2$.", when=_proportional_to("3*(w1**2 + w2**2) - v**2")),
    ],
    explanation=(
        "$\\frac{d}{dt}(\\|w\\|^2 - 3v^2) = -2\\langle w, \\nabla_w L\\rangle + 6 v\\, \\partial_v L = 0$ "
        "by the infinitesimal invariance: Noether's theorem for gradient flow "
        "(notebook 03, Section 5). For $\\sigma(z) = z^r$ the "
        "quantity is $\\|w\\|^2 - r v^2$; when it is negative, $v$ can never pass through zero, "
        "which is how a conserved quantity locks the sign of an out-weight in notebook 05. "
        "Gradient descent with a finite step conserves it only approximately."
    ),
)
def conserved_quantity_cubic():
    """Solve for b in ||w||^2 + b v^2 so that it is conserved by the flow of a generic loss."""
    import sympy

    w1, w2, v, b = sympy.symbols("w1 w2 v b")
    x, y = sympy.symbols("x y")
    f = sympy.Poly(sympy.expand(v * (w1 * x + w2 * y) ** 3), x, y)
    targets = sympy.symbols("t0:4")
    loss = sum((c - t) ** 2 for c, t in zip(f.coeffs(), targets))
    quantity = w1 ** 2 + w2 ** 2 + b * v ** 2
    rate = sum(sympy.diff(quantity, s) * -sympy.diff(loss, s) for s in (w1, w2, v))
    equations = sympy.Poly(sympy.expand(rate), w1, w2, v, *targets).coeffs()
    (solution,) = sympy.solve(equations, [b], dict=True)
    return quantity.subs(solution)


# --------------------------------------------------------------------------- 05.10

#: exercise 05.10: the live neuron of P (w1, w2, v1), the target's extra term 2 y^2, and u
NEURON_05_10 = (1, 0, 1)
U_05_10 = (0, 1)


def step_05_10():
    """(best s, squared distance after the step) for P = sigma(x), t = P + 2 y^2, u = (0, 1)."""
    cubic = CUBIC_221
    P = coefficients(cubic, [NEURON_05_10[0], NEURON_05_10[1], 0, 0, NEURON_05_10[2], 0])[0]
    labels = [tuple(e) for e in cubic.monomials()]
    r = np.zeros(len(labels))
    r[labels.index((0, 2))] = 2.0                      # t - P = 2 y^2
    q = coefficients(Architecture((2, 1, 1), "z^3 + z^2"), [*U_05_10, 1])[0]
    s = float(r @ q / (q @ q))
    return s, float(np.sum((r - s * q) ** 2)), float(r @ r), P


@exercise(
    "05.10",
    Tuple(Real(), Real(), names=("s", "squared distance")),
    title="Never the best fit: the step that beats a subnetwork",
    hints=[
        "With $r = t - P = 2y^2$ and $q = \\sigma(y) = y^2 + y^3$, the squared distance is "
        "$g(s) = \\|r - s q\\|^2 = \\|r\\|^2 - 2 s \\langle r, q\\rangle + s^2 \\|q\\|^2$.",
        "Compute $\\langle r, q\\rangle$ and $\\|q\\|^2$ from the coefficient vectors "
        "(Euclidean inner product), minimize the quadratic $g$ in $s$, then evaluate it there.",
    ],
    mistakes=[
        Mistake("Divide by $\\|q\\|^2$: the minimum of $\\|r\\|^2 - 2s\\langle r, q\\rangle + "
                "s^2\\|q\\|^2$ is at $s = \\langle r, q\\rangle / \\|q\\|^2$.",
                when=lambda a: abs(a[0] - 2) < 1e-6),
        Mistake("4 is the squared distance of $P$ itself: evaluate $\\|r - s q\\|^2$ at your "
                "best $s$.", when=lambda a: abs(a[0] - 1) < 1e-6 and abs(a[1] - 4) < 1e-6),
        Mistake("That is the distance; the exercise asks for its square.",
                when=lambda a: abs(a[0] - 1) < 1e-6 and abs(a[1] - 2 ** 0.5) < 1e-6),
        Mistake("$\\|q\\|^2$ is the sum of the squared coefficients of $y^2 + y^3$: $1 + 1 = 2$.",
                when=lambda a: abs(a[0] - 0.5) < 1e-6),
    ],
    explanation=(
        "The step $s = 1$ lowers the squared distance from 4 to 2, so $P$ is not the best fit "
        "of $t$, nor even a local nearest point. In general $P + s\\,\\sigma(u\\cdot x)$ gains "
        "$\\langle t - P, \\sigma(u\\cdot x)\\rangle^2 / \\|\\sigma(u\\cdot x)\\|^2$, and as the "
        "$\\sigma(u\\cdot x)$ span the 7-dimensional ambient space, some $u$ gains unless "
        "$t = P$: a function computed with a neuron switched off is the best fit of no other "
        "target. The parameter point can still be a local minimum of the loss, because the "
        "step needs $\\|u\\|$ of ordinary size."
    ),
)
def never_best_step():
    s, d2, before, _ = step_05_10()
    assert d2 < before
    return (s, d2)


# --------------------------------------------------------------------------- 05.11

def rank_one_case_05_11():
    """The target (singular values 3, 2, 1) and the saddle P_1 of exercise 05.11."""
    from ..linear_networks import saddle_points, target_matrix

    T = target_matrix((3.0, 2.0, 1.0), seed=4)
    return T, saddle_points(T, 2)[1]


@exercise(
    "05.11",
    Real(rtol=1e-4, atol=1e-6),
    title="Lower rank is never the best fit: one rank-one step",
    hints=[
        "$X + Y$ has rank at most $2$, so it stays in $\\mathcal M_2$. Write $R = T - X$: you "
        "want the rank-one $Y$ nearest to $R$, which is Eckart-Young for $k = 1$.",
        "$\\|R - Y\\|_F^2$ is smallest for $Y = \\rho u v^\\top$ with $(\\rho, u, v)$ the top "
        "singular triple of $R$; then it equals $\\|R\\|_F^2 - \\rho^2$. Use "
        "`np.linalg.svd(T - X1)`.",
    ],
    mistakes=[
        Mistake("That is $\\rho$, the top singular value of the residual; the squared distance "
                "drops by $\\rho^2$.", when=lambda x: abs(x - 2.0) < 1e-3),
        Mistake("That is the whole squared residual $\\|T - X\\|_F^2$: removing all of it "
                "needs a rank-two step, and $X + Y$ would have rank 3.",
                when=lambda x: abs(x - 5.0) < 1e-3),
        Mistake("That is $s_3^2$, the smallest singular value squared: the best step takes the "
                "largest singular value of the residual.", when=lambda x: abs(x - 1.0) < 1e-3),
        Mistake("$s_1^2$ is already fitted by $X$; the residual $T - X$ no longer contains it.",
                when=lambda x: abs(x - 9.0) < 1e-3),
        Mistake("$X$ is a critical point of the distance, but not a minimum on "
                "$\\mathcal M_2$: some rank-one step lowers it.", when=lambda x: abs(x) < 1e-6),
    ],
    explanation=(
        "The residual of $X = P_1$ is $s_2 u_2 v_2^\\top + s_3 u_3 v_3^\\top$; the best rank-one "
        "step adds $s_2 u_2 v_2^\\top$ and lowers the squared distance by $s_2^2 = 4$, reaching "
        "the Eckart-Young best fit $P_2$. The same step works from every matrix of rank "
        "$< k$, so none of them is a best fit of a full-rank target, although $P_1$ is a "
        "critical point: gradient descent from a small initialization waits next to it."
    ),
)
def rank_one_step_decrease():
    """The decrease rho^2 of the best rank-one step from P_1 (lower_rank_improvement)."""
    from ..linear_networks import lower_rank_improvement

    T, X = rank_one_case_05_11()
    return lower_rank_improvement(X, T, 2).decrease
