"""Checks for ``exercises/02_dimension.ipynb``: dimension, expressivity, sample complexity.

The expected answers are computed with nagviz's exact engine and closed formulas
(:func:`nagviz.dimension`, :func:`nagviz.atlas.minimal_filling_width`,
:func:`nagviz.degree.determinantal_degree`), never typed in.

Examples
--------
>>> from nagviz.exercises import check
>>> bool(check("02.1", (18, 15, 40)))
True
>>> check("02.1", (18, 18, 40)).message.startswith("You counted every weight")
True
>>> bool(check("02.4", "(3*x*y - 4*x*z + y*z)^2"))
True
"""

from __future__ import annotations

import math

import sympy

from ..architecture import Architecture
from .answers import Choice, Expression, Integer, Tuple
from .checking import Mistake, exercise

#: The candidates of exercise 02.2, all with activation z^3.
CANDIDATES_02_2 = {"A": (3, 4, 1), "B": (2, 2, 2), "C": (3, 1, 3, 1), "D": (4, 3, 1)}


def _dimension(widths, r):
    from ..atlas import cached_dimension

    return cached_dimension(widths, r, cache_dir=False)


# --------------------------------------------------------------------------- 02.1

@exercise(
    "02.1",
    Tuple(Integer(), Integer(), Integer(),
          names=("parameters", "expected dimension", "ambient dimension")),
    title="Expected dimension by hand",
    hints=[
        "Parameters: one weight per edge, $d_i d_{i-1}$ for each layer, and no biases.",
        "Each hidden neuron has a one-dimensional rescaling symmetry: multiply its incoming "
        "weights by $t$ and its outgoing weights by $t^{-r}$.",
        "Each output is a homogeneous polynomial of degree $r^{L-1}$ in $d_0$ variables, and "
        "there are $\\binom{D + d_0 - 1}{d_0 - 1}$ monomials of degree $D$; count every output.",
    ],
    mistakes=[
        Mistake("You counted every weight as a dimension of the function space, but each "
                "hidden neuron carries a rescaling symmetry that does not change the function.",
                when=lambda a: a[1] == a[0]),
        Mistake("The ambient space has one copy of the space of cubics for each of the two "
                "outputs.", when=lambda a: a[2] == math.comb(3 + 3, 3)),
        Mistake("The output degree is $r^{L-1}$ (one activation per hidden layer), not $r^L$: "
                "there is no activation after the last layer.",
                when=lambda a: a[2] in (2 * math.comb(9 + 3, 3), math.comb(9 + 3, 3))),
        Mistake("Without biases every output is *homogeneous*: only monomials of degree "
                "exactly three appear, not those of lower degree.",
                when=lambda a: a[2] in (2 * math.comb(3 + 4, 3), math.comb(3 + 4, 3))),
        Mistake("The parameters are the entries of $W_1$ ($3 \\times 4$) and $W_2$ "
                "($2 \\times 3$).", when=lambda a: a[0] != 18),
    ],
    explanation=(
        "Counting gives $\\min(18 - 3, 40) = 15$, and the exact engine confirms that this "
        "network has dimension 15: it is not defective."
    ),
)
def expected_dimension_432():
    arch = Architecture((4, 3, 2), 3)
    return (arch.n_parameters, arch.expected_dimension, arch.ambient_dimension)


# --------------------------------------------------------------------------- 02.2

@exercise(
    "02.2",
    Choice(*CANDIDATES_02_2),
    title="Spot the defective architecture",
    hints=[
        "Compute the expected dimension of each candidate, then ask whether some layer "
        "limits what the later layers can see.",
        "What does a layer of width one pass on to the rest of the network?",
    ],
    mistakes=[
        Mistake("Its expected dimension is capped by the ambient dimension, and it does fill "
                "its ambient space: counting is right there.", equals="A"),
        Mistake("Counting gives $8 - 2 = 6$, below the ambient dimension 8, and the exact "
                "dimension is 6: nothing is lost.", equals="B"),
        Mistake("Sums of three cubes of linear forms in four variables: the "
                "Alexander–Hirschowitz theorem has no exception here.", equals="D"),
    ],
    explanation=(
        "After the width-one layer everything is a polynomial in one linear form "
        "$\\ell(x)$, so the network computes only $c\\,\\ell(x)^9$."
    ),
)
def defective_candidate():
    bad = [k for k, w in CANDIDATES_02_2.items() if _dimension(w, 3).defect > 0]
    assert len(bad) == 1, bad
    return bad[0]


@exercise(
    "02.2b",
    Integer(),
    title="The dimension of the defective architecture",
    hints=[
        "Write the function: after the width-one neuron, every later neuron sees a power of "
        "one linear form $\\ell(x) = a \\cdot x$.",
        "The network computes $c\\,\\ell(x)^9$. How many numbers describe such a function? "
        "Mind that $(c, a)$ and $(c t^{-9}, t a)$ give the same function.",
    ],
    mistakes=[
        Mistake("That is the expected dimension: parameters minus rescalings. The point of "
                "the exercise is that the true dimension is smaller.", equals=5),
        Mistake("That is the number of parameters.", equals=9),
        Mistake("You counted $c$ and the three entries of $a$ separately, but rescaling $a$ "
                "by $t$ and $c$ by $t^{-9}$ gives the same function.", equals=4),
    ],
    explanation=(
        "Multiples of ninth powers of a linear form in three variables: a cone over the "
        "(2-dimensional) Veronese surface, of dimension 3. The defect $5 - 3 = 2$ stays "
        "the same for every $r \\ge 2$: a width-one bottleneck never reaches the expected "
        "dimension."
    ),
)
def bottleneck_dimension():
    return _dimension(CANDIDATES_02_2["C"], 3).dimension


# --------------------------------------------------------------------------- 02.3

@exercise(
    "02.3",
    Tuple(Integer(), Integer(), names=("N at which finitely many functions fit",
                                       "N from which only the teacher fits")),
    title="Predict the sample size of recovery",
    hints=[
        "Recovery is governed by the dimension of the neurovariety, so start there: the "
        "network computes quadratic forms $x^\\top W^\\top \\mathrm{diag}(v) W x$.",
        "Those are the symmetric $5 \\times 5$ matrices of rank at most 2. Their dimension "
        "is not $2 \\cdot 5$: a rank-2 symmetric matrix has a one-parameter family of "
        "decompositions into two squares (a rotation in the plane of the two linear forms).",
        "With $N$ generic samples the interpolating functions form $V$ cut by $N$ "
        "hyperplanes: finitely many points when $N = \\dim V$.",
    ],
    mistakes=[
        Mistake("You used the expected dimension $12 - 2 = 10$. Quadratic networks narrower "
                "than their input are defective (Alexander–Hirschowitz: the quadric case).",
                equals=(10, 11)),
        Mistake("Those are parameter counts. Samples pin down the function, not the weights, "
                "and many weights give the same function.", when=lambda a: a[0] == 12),
        Mistake("That is what polynomial regression needs: the ambient dimension. The "
                "network's functions form a much smaller set.", when=lambda a: a[0] == 15),
        Mistake("At $N = \\dim V$ several functions of $V$ can still fit the data (as many "
                "as the degree, over $\\mathbb C$); the teacher alone needs one more sample.",
                when=lambda a: a[0] == a[1]),
    ],
    explanation=(
        "Quadrics of rank $\\le 2$ in 5 variables have dimension $2 \\cdot 5 - 1 = 9$: "
        "9 samples leave finitely many candidates, 10 only the teacher; well below the 12 "
        "parameters and the 15 samples polynomial regression needs."
    ),
)
def recovery_sample_size():
    dim = _dimension((5, 2, 1), 2).dimension
    return (dim, dim + 1)


# --------------------------------------------------------------------------- 02.4

#: the five points of P^2 of exercise 02.4 (the hidden neurons' weight vectors)
POINTS_02_4 = ((1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1), (1, 2, 3))
x, y, z = sympy.symbols("x y z")


def _quartic_coefficients(form):
    """The 15 coefficients of a ternary form in x, y, z (all of degree 4, or a ValueError)."""
    poly = sympy.Poly(sympy.expand(form), x, y, z)
    if not poly.is_homogeneous or poly.total_degree() != 4:
        raise ValueError("not a quartic form")
    return poly


def _singular_at(form, points=POINTS_02_4) -> bool:
    """Whether all first partial derivatives of ``form`` vanish at every point."""
    return all(sympy.diff(form, t).subs(dict(zip((x, y, z), p))) == 0
               for p in points for t in (x, y, z))


def _vanishes_at(form, points=POINTS_02_4) -> bool:
    return all(form.subs(dict(zip((x, y, z), p))) == 0 for p in points)


def _is_quartic(form) -> bool:
    try:
        _quartic_coefficients(form)
    except (ValueError, sympy.PolynomialError):
        return False
    return True


@exercise(
    "02.4",
    Expression(up_to_constant=True),
    title="Why five quartic neurons do not fill: the hidden singular quartic",
    hints=[
        "Counting finds nothing because it counts *conditions*: 3 per point, 15 in all, on a "
        "15-dimensional space. Look for a quartic whose singularities come for free.",
        "Through any five points of the plane passes a conic $q$ (a conic has 6 coefficients, "
        "each point is one linear condition). Conics through $(1,0,0), (0,1,0), (0,0,1)$ "
        "have no $x^2, y^2, z^2$ terms.",
        "If $q(p) = 0$, what is the gradient of $q^2$ at $p$?",
    ],
    mistakes=[
        Mistake("Give a nonzero quartic: the zero form is singular everywhere, but it is the "
                "zero vector of the orthogonal complement, not a direction in it.", equals=0),
        Mistake("That conic passes through the five points, so half the work is done; but it "
                "is not singular there (its gradient is not zero) and it has degree 2. What "
                "does squaring do to the gradient at a zero?",
                when=lambda e: sympy.Poly(e, x, y, z).total_degree() == 2 and _vanishes_at(e)),
        Mistake("$F$ must be a quartic *form*: every monomial of degree exactly 4 in "
                "$x, y, z$, like the functions that $(3, w, 1)$ computes with fourth powers.",
                when=lambda e: not _is_quartic(e)),
        Mistake("Your quartic vanishes at the five points but is not singular at all of them: "
                "its gradient must vanish there too (vanishing is one condition per point, "
                "singularity three).",
                when=lambda e: _vanishes_at(e) and not _singular_at(e)),
        Mistake("Your quartic is not zero at every one of the five points; a singular point of "
                "$F$ is in particular a zero of $F$.", when=lambda e: not _vanishes_at(e)),
    ],
    explanation=(
        "$\\nabla(q^2) = 2q\\,\\nabla q$ vanishes wherever $q$ does, so the square of the conic "
        "through the five points is singular at all of them, against the count of 15 conditions "
        "on 15 coefficients. By Terracini's lemma it is apolar (Bombieri-orthogonal) to the "
        "tangent space of "
        "$(3, 5, 1)$, which therefore has dimension at most 14 (the exact engine: 14), and a "
        "sixth neuron is needed. The same square of a quadric explains $(4, 9, 1)$ and "
        "$(5, 14, 1)$: the three Alexander–Hirschowitz exceptions of degree 4."
    ),
)
def singular_quartic():
    """The quartics singular at POINTS_02_4, by exact linear algebra: a one-dimensional space."""
    monomials = sorted(sympy.itermonomials([x, y, z], 4, 4), key=sympy.default_sort_key)
    conditions = sympy.Matrix([[sympy.diff(m, t).subs(dict(zip((x, y, z), p))) for m in monomials]
                               for p in POINTS_02_4 for t in (x, y, z)])
    (kernel,) = conditions.nullspace()
    return sympy.expand(sum(c * m for c, m in zip(kernel, monomials)))


# --------------------------------------------------------------------------- 02.5

@exercise(
    "02.5",
    Tuple(Integer(), Integer(), names=("dimension of the 4 x 5 matrices of rank <= 2",
                                       "dimension of the symmetric 4 x 4 matrices of rank <= 2")),
    title="Dimensions of rank-bounded matrices",
    hints=[
        "A matrix of rank $\\le k$ is $A B$ with $A$ of size $m \\times k$ and $B$ of size "
        "$k \\times n$. Which pairs $(A, B)$ give the same product?",
        "$(A G, G^{-1} B)$ for every invertible $k \\times k$ matrix $G$: subtract "
        "$\\dim GL(k) = k^2$. For symmetric matrices $W^\\top D W$ the hidden symmetry is "
        "an orthogonal group, of dimension $\\binom{k}{2}$.",
    ],
    mistakes=[
        Mistake("You counted the entries of the two factors but not the $GL(2)$ that acts "
                "on them without changing the product.", when=lambda a: a[0] == 18),
        Mistake("That is all $4 \\times 5$ matrices: the rank condition cuts the dimension.",
                when=lambda a: a[0] == 20),
        Mistake("A symmetric matrix of rank 2 is $v_1 \\ell_1 \\ell_1^\\top + v_2 \\ell_2 "
                "\\ell_2^\\top$; after the two rescalings, a rotation mixing "
                "$\\ell_1, \\ell_2$ is left, one more dimension to subtract.",
                when=lambda a: a[1] == 8),
        Mistake("That is all symmetric $4 \\times 4$ matrices.", when=lambda a: a[1] == 10),
    ],
    explanation=(
        "$k(m + n - k) = 2 \\cdot 7 = 14$ is the dimension of the linear network "
        "$(5, 2, 4)$; $kn - \\binom{k}{2} = 7$ that of the quadratic network $(4, 2, 1)$."
    ),
)
def rank_bounded_dimensions():
    general = _dimension((5, 2, 4), 1).dimension
    symmetric = _dimension((4, 2, 1), 2).dimension
    return (general, symmetric)


# --------------------------------------------------------------------------- 02.6

@exercise(
    "02.6",
    Tuple(Integer(), Integer(), names=("degree of the 3 x 3 matrices of rank <= 2",
                                       "degree of the 3 x 3 matrices of rank <= 1")),
    title="Degrees of determinantal varieties",
    hints=[
        "Rank $\\le 2$ for a $3 \\times 3$ matrix is one equation: $\\det M = 0$. On a "
        "line $M_0 + t M_1$, how many roots does $\\det(M_0 + t M_1)$ have?",
        "For rank $\\le 1$ use the formula $\\prod_{i=0}^{m-k-1} \\binom{n+i}{k} / "
        "\\binom{k+i}{k}$ with $m = n = 3$ and $k = 1$.",
    ],
    mistakes=[
        Mistake("The determinant of a $3 \\times 3$ matrix has degree 3 in the entries, so "
                "a generic line meets its zero set in 3 points.",
                when=lambda a: a[0] != 3),
        Mistake("The formula has two factors for $m - k = 2$: $\\binom{3}{1}/\\binom{1}{1}$ "
                "and $\\binom{4}{1} / \\binom{2}{1}$.", when=lambda a: a[1] in (3, 12, 9)),
    ],
    explanation=(
        "Rank-one $3 \\times 3$ matrices form the cone over the Segre variety "
        "$\\mathbb P^2 \\times \\mathbb P^2$, of dimension 5 and degree 6: a generic "
        "4-dimensional affine slice of the 9-dimensional space meets it in 6 points."
    ),
)
def determinantal_degrees():
    from ..degree import determinantal_degree

    return (determinantal_degree(3, 3, 2), determinantal_degree(3, 3, 1))


# --------------------------------------------------------------------------- 02.7

@exercise(
    "02.7",
    Tuple(Integer(), Integer(), names=("fiber dimension", "excess over the rescalings")),
    title="The fiber of (3, 3, 3, 1)",
    hints=[
        "The fiber dimension is parameters minus dimension; the dimension was derived in "
        "the notebook.",
        "The rescalings account for one dimension per hidden neuron. What is left comes "
        "from the quadratic second layer acting on three squares.",
    ],
    mistakes=[
        Mistake("That is the fiber the counting predicts (one rescaling per hidden neuron); "
                "the network is defective, so its fiber is bigger.",
                when=lambda a: a[0] == 6),
        Mistake("The parameters are $9 + 9 + 3 = 21$; subtract the dimension 12.",
                when=lambda a: a[0] != 9 and a[0] in (6, 12, 21)),
    ],
    explanation=(
        "The last two layers compute a quadratic form $Q(z) = \\sum_j v_j (a_j \\cdot z)^2$ "
        "in the three squares $z_i = \\ell_i(x)^2$: 12 weights for a 6-dimensional space of "
        "forms. The three rescalings explain 3 of the 6 extra dimensions; the other 3 are "
        "an orthogonal group $O(3)$ mixing the $a_j$."
    ),
)
def fiber_3331():
    res = _dimension((3, 3, 3, 1), 2)
    hidden = res.architecture.hidden_neurons
    return (res.fiber_dimension, res.fiber_dimension - hidden)
