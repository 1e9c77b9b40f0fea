"""Checks for ``exercises/04_critical_points.ipynb``: ED degrees, Hessians, discriminants.

Every expected answer is computed with nagviz (singular value decompositions, Groebner
bases, exact critical points of a loss, real counts of critical points), never typed in.

Examples
--------
>>> from nagviz.exercises import check
>>> bool(check("04.2", (4, 2)))
True
>>> check("04.2", (2, 2)).message.startswith("The plain coefficient inner product")
True
"""

from __future__ import annotations

import numpy as np

from ..critical_points import (CONE_EQUATION, CONE_VARIABLES, QuadricCriticalPoints,
                               cone_slice_target, eckart_young, ed_degree, gram_matrix,
                               real_counts_along_path)
from ..landscapes import NAPPE, landscape_critical_points
from .answers import Array, Choice, Collection, Integer, Tuple
from .checking import Mistake, exercise

#: the target matrix of exercise 04.1
TARGET_04_1 = ((2.0, 1.0), (1.0, 2.0))
#: the target of exercises 04.3 and 04.4: 2 x^2 + y^2, Bombieri inner product
TARGET_04_3 = (2, 0, 1)
#: the parameter points (p, q) of exercises 04.3 and 04.4, in this order
POINTS_04_3 = ((0.0, 0.0), (2 ** 0.5, 0.0), (-(2 ** 0.5), 0.0), (0.0, 1.0), (0.0, -1.0))
#: the targets (x, y) of exercise 04.5 on the slice a + c = 1 (plain coefficients)
TARGETS_04_5 = ((0.1, 0.1), (0.5, 0.05), (0.02, 0.2), (-0.2, 0.02))
#: the path of exercise 04.6: from (x, y) = (-0.6, 0.1) to (0.6, 0.1)
PATH_04_6 = ((-0.6, 0.1), (0.6, 0.1))
_Q_CONE = np.array([[0.0, 0.0, -2.0], [0.0, 1.0, 0.0], [-2.0, 0.0, 0.0]])
KINDS = ("minimum", "saddle", "maximum", "degenerate")


def _kinds_at_points():
    result = landscape_critical_points(NAPPE, TARGET_04_3, "bombieri")
    by_point = []
    for w in POINTS_04_3:
        p = min(result.points, key=lambda c: np.linalg.norm(np.subtract(c.parameters, w)))
        if np.linalg.norm(np.subtract(p.parameters, w)) > 1e-9:
            raise RuntimeError(f"{w} is not a critical point of exercise 04.3")
        by_point.append(p)
    return by_point


# --------------------------------------------------------------------------- 04.1
@exercise(
    "04.1",
    Collection(Array(atol=1e-6)),
    title="Critical points of the distance to rank-one 2 x 2 matrices",
    hints=[
        "Eckart-Young: the critical points are the terms $s_i u_i v_i^\\top$ of the singular "
        "value decomposition of the target, one for each singular value.",
        "`U, s, Vt = np.linalg.svd(T)`; the $i$-th term is `s[i] * np.outer(U[:, i], Vt[i])`.",
    ],
    mistakes=[
        Mistake("That is only the nearest rank-one matrix. The distance has a critical point "
                "for every singular triple, not only for the largest.",
                when=lambda a: len(a) == 1),
        Mistake("Each term must carry its singular value $s_i$: $u_i v_i^\\top$ alone has norm 1.",
                when=lambda a: len(a) == 2 and all(
                    abs(np.linalg.norm(np.asarray(x, dtype=float)) - 1) < 1e-6 for x in a)),
        Mistake("The target itself has rank 2; the critical points must have rank one.",
                when=lambda a: any(np.linalg.matrix_rank(np.asarray(x, dtype=float), 1e-8) == 2
                                   for x in a)),
    ],
    explanation=(
        "Both are real, and only the one with the larger singular value is a minimum. A generic "
        "inner product instead of the Frobenius one would give six complex critical points."
    ),
)
def rank_one_critical_points():
    """The two Eckart-Young critical points of TARGET_04_1."""
    return [X for X in eckart_young(np.array(TARGET_04_1), 1).points]


# --------------------------------------------------------------------------- 04.2
@exercise(
    "04.2",
    Tuple(Integer(), Integer(), names=("ED degree, plain coefficients", "ED degree, Bombieri")),
    title="The ED degree of the cone for two inner products",
    hints=[
        "Write the Lagrange equations $F = 0$, $G(f - t) = \\lambda \\nabla F$ for "
        "$F = b^2 - 4ac$ at a random rational target, and compute a Groebner basis.",
        "`nagviz.critical_points.ed_degree(F, (a, b, c), G)` counts the complex solutions; "
        "check the count with a second target.",
    ],
    mistakes=[
        Mistake("The plain coefficient inner product is not invariant under rotations of the "
                "inputs; only rotation-invariant ones (Bombieri, Gaussian data) give the small "
                "count.", equals=(2, 2)),
        Mistake("The Bombieri inner product is the Frobenius inner product of symmetric "
                "matrices: think of Eckart-Young for a symmetric 2 x 2 matrix.", equals=(4, 4)),
        Mistake("Right numbers, wrong order: which of the two inner products is "
                "rotation invariant?", equals=(2, 4)),
        Mistake("6 is the ED degree of 2 x 2 rank-one matrices for a generic inner product; "
                "the cone of symmetric ones is smaller.", when=lambda a: 6 in a),
    ],
    explanation=(
        "A real input distribution with independent coordinates gives 2 only at kurtosis 3 "
        "(Gaussian), and 4 otherwise."
    ),
)
def cone_ed_degrees():
    """ED degrees of b^2 = 4ac for the plain and the Bombieri inner products."""
    return tuple(ed_degree(CONE_EQUATION, CONE_VARIABLES, gram_matrix(kind), seed=5).n_complex
                 for kind in ("coefficient", "bombieri"))


# --------------------------------------------------------------------------- 04.3
@exercise(
    "04.3",
    Tuple(*(Choice(*KINDS) for _ in POINTS_04_3),
          names=tuple(f"type at {i + 1}" for i in range(len(POINTS_04_3)))),
    title="Classify critical points by the Hessian",
    hints=[
        "Compute the Hessian of $L(p, q)$ with `sympy.hessian` and substitute each point.",
        "Positive definite: minimum; negative definite: maximum; eigenvalues of both signs: "
        "saddle; semidefinite with a zero eigenvalue: degenerate.",
    ],
    mistakes=[
        Mistake("Not every critical point of a loss is a minimum: look at the signs of the "
                "Hessian's eigenvalues.", when=lambda a: all(x == "minimum" for x in a)),
        Mistake("At $(0, \\pm 1)$ the loss decreases when you move $p$ away from 0: one "
                "eigenvalue is negative.", when=lambda a: a[3] == "minimum"),
        Mistake("At $\\theta = 0$ the Hessian is $-4$ times the matrix of the target, which is "
                "positive definite here.", when=lambda a: a[0] in ("minimum", "saddle")),
    ],
    explanation="The type of $\\theta = 0$ is decided by the target: a maximum here, a saddle "
                "for an indefinite target, a minimum for a negative definite one.",
)
def hessian_types():
    """The Hessian types at POINTS_04_3 for f = (p x + q y)^2 and the target 2x^2 + y^2."""
    return tuple(p.kind for p in _kinds_at_points())


# --------------------------------------------------------------------------- 04.4
@exercise(
    "04.4",
    Tuple(*(Choice("pure", "spurious") for _ in POINTS_04_3),
          names=tuple(f"point {i + 1}" for i in range(len(POINTS_04_3)))),
    title="Pure or spurious?",
    hints=[
        "Compute the rank of the Jacobian of $\\varphi(p, q) = (p^2, 2pq, q^2)$ at each point.",
        "Where the rank is full (2), a critical point of the loss is pure. Where it drops, ask "
        "whether the function is a critical point of the distance on the cone.",
    ],
    mistakes=[
        Mistake("Spurious does not mean 'not a minimum': a saddle where $d\\varphi$ has full "
                "rank is pure.", when=lambda a: a[3] == "spurious" or a[4] == "spurious"),
        Mistake("At $\\theta = 0$ the differential vanishes, and the zero function is the vertex "
                "of the cone: a singular point, not a critical point of the distance on the "
                "smooth part.", when=lambda a: a[0] == "pure"),
    ],
    explanation="The only spurious point is the rank drop $\\theta = 0$, the network whose "
                "neuron is switched off.",
)
def purity():
    """Pure or spurious at POINTS_04_3."""
    return tuple("pure" if p.pure else "spurious" for p in _kinds_at_points())


# --------------------------------------------------------------------------- 04.5
@exercise(
    "04.5",
    Tuple(*(Integer() for _ in TARGETS_04_5),
          names=tuple(f"target {i + 1}" for i in range(len(TARGETS_04_5)))),
    title="Locate targets relative to the discriminant",
    hints=[
        "Inside the astroid-shaped curve a target has 4 real critical points, outside 2. Its "
        "cusps are at $x = \\pm 1/3$ and $y = \\pm 1/4$.",
        "Evaluate the discriminant polynomial `ed_discriminant().walls[0]` at each target, or "
        "count with `QuadricCriticalPoints(Q).real_counts(cone_slice_target(x, y))`.",
    ],
    mistakes=[
        Mistake("The ED degree 4 is the number of complex critical points; not all of them "
                "are real for every target.", when=lambda a: all(x == 4 for x in a)),
        Mistake("Real counts come in pairs with the ED degree 4: 2 or 4, never odd here.",
                when=lambda a: any(x % 2 for x in a)),
        Mistake("Near the centre of the slice (nearly round targets) there are more real "
                "critical points, not fewer.", when=lambda a: a[0] == 2),
        Mistake("The curve has cusps: near its tip at $y = 1/4$ it is very thin. Decide target 3 "
                "with the polynomial or a count, not by eye.", when=lambda a: a[2] == 4),
    ],
    explanation="The curve is not a circle: the cusps reach further along the x-axis than "
                "along the y-axis.",
)
def counts_at_targets():
    """Real critical points of the plain-coefficient distance to the cone at TARGETS_04_5."""
    qc = QuadricCriticalPoints(_Q_CONE)
    return tuple(int(n) for n in qc.real_counts(cone_slice_target(*np.array(TARGETS_04_5).T)))


# --------------------------------------------------------------------------- 04.6
@exercise(
    "04.6",
    Collection(Integer(), ordered=True),
    title="How the real count changes along a path of targets",
    hints=[
        "The path runs along the line $y = 0.1$. Where does that line meet the discriminant "
        "curve?",
        "`real_counts_along_path(qc, cone_slice_target(-0.6, 0.1), cone_slice_target(0.6, 0.1))` "
        "returns the counts; list them without repeats.",
    ],
    mistakes=[
        Mistake("The path enters the region of 4 real critical points, but does it stay there? "
                "Look at its end point.", equals=[2, 4]),
        Mistake("Along the way the count does change: the line $y = 0.1$ passes through the "
                "region inside the curve.", equals=[2]),
        Mistake("The count changes by two at each crossing, never by one.",
                when=lambda a: any(abs(x - y) == 1 for x, y in zip(a, a[1:]))),
    ],
    explanation="Two crossings of the discriminant, two changes of the real count by two.",
)
def counts_along_path():
    """The sequence of distinct real counts along PATH_04_6 (plain coefficients)."""
    path = real_counts_along_path(QuadricCriticalPoints(_Q_CONE),
                                  cone_slice_target(*PATH_04_6[0]),
                                  cone_slice_target(*PATH_04_6[1]))
    counts = [int(path["counts"][0])] + [after for _, _, after in path["changes"]]
    return counts
