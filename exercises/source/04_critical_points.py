# ---
# title: Critical points, ED degrees and data discriminants
# practises:
#   - the critical points of the distance to rank-one matrices (Eckart-Young)
#   - computing an ED degree exactly with a Groebner basis
#   - classifying critical points of a loss by the Hessian
#   - deciding whether a critical point is pure or spurious
#   - locating a target relative to the data discriminant
#   - predicting how the number of real critical points changes along a path of targets
# topic: notebooks/04_critical_points.ipynb
# prerequisites: notebook 04; a little sympy and numpy
# time: 45 minutes
# ---

# %% [markdown]
# ## Setup
#
# Run this cell first. Binary quadratic forms $a x^2 + b\,xy + c\,y^2$ are written as their
# coefficient triples $(a, b, c)$.

# %%
import numpy as np
import sympy

from nagviz.critical_points import (CONE_EQUATION, CONE_VARIABLES, QuadricCriticalPoints,
                                    cone_slice_target, ed_degree, ed_discriminant, gram_matrix,
                                    real_counts_along_path)
from nagviz.exercises import check, hint

# %% [markdown]
# ## Exercise 04.1: critical points of the distance to rank-one matrices
#
# A linear network with widths $(2, 1, 2)$ computes the $2 \times 2$ matrices of rank at most 1.
# Fit it to the target
# $$
# T = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix}
# $$
# with the Frobenius norm. **Find every critical point of $X \mapsto \|X - T\|_F^2$ on the
# rank-one matrices.** Store them, as $2 \times 2$ arrays in any order, in the list `critical`.
#
# <!-- hints -->

# %%
T = np.array([[2.0, 1.0], [1.0, 2.0]])

# %%
# BEGIN SOLUTION
U, s, Vt = np.linalg.svd(T)
critical = [s[i] * np.outer(U[:, i], Vt[i]) for i in range(2)]
# END SOLUTION
check(critical)

# %% [markdown] solution-only
# **Why.** The singular values are 3 and 1, with singular vectors $(1, 1)/\sqrt 2$ and
# $(1, -1)/\sqrt 2$. The critical points are $\tfrac32 \begin{pmatrix} 1 & 1 \\ 1 & 1\end{pmatrix}$
# (the nearest, at distance 1) and $\tfrac12 \begin{pmatrix} 1 & -1 \\ -1 & 1\end{pmatrix}$ (at
# distance 3): $\binom21 = 2$, both real.

# %% [markdown]
# ## Exercise 04.2: the ED degree of the cone
#
# The network $(2, 1, 1)$ with $\sigma(z) = z^2$ computes the cone $F = b^2 - 4ac = 0$. **Compute
# its ED degree for the plain coefficient inner product ($G = I$) and for the Bombieri inner
# product ($G = \operatorname{diag}(1, 1/2, 1)$).** Store the pair in `ed_degrees`.
#
# <!-- hints -->

# %%
a, b, c = CONE_VARIABLES
F = CONE_EQUATION

# %%
# BEGIN SOLUTION
ed_degrees = tuple(ed_degree(F, (a, b, c), gram_matrix(kind), seed=1).n_complex
                   for kind in ("coefficient", "bombieri"))
# END SOLUTION
check(ed_degrees)

# %% [markdown] solution-only
# **Why.** With the Bombieri inner product the forms are symmetric matrices with the Frobenius
# norm, and the critical points are the two eigen-projections $\lambda_i u_i u_i^\top$ of the
# target (Eckart-Young for symmetric matrices). The plain inner product is not rotation
# invariant, and two more complex critical points appear.

# %% [markdown]
# ## Exercise 04.3: classify critical points by the Hessian
#
# One quadratic neuron with out-weight $+1$ computes $(p x + q y)^2$, with coefficients
# $\varphi(p, q) = (p^2, 2pq, q^2)$. Fit it to the target $2x^2 + y^2$ with the Bombieri loss
# $$
# L(p, q) = (p^2 - 2)^2 + \tfrac12 (2pq)^2 + (q^2 - 1)^2 .
# $$
# Its critical points are $(0, 0)$, $(\sqrt2, 0)$, $(-\sqrt2, 0)$, $(0, 1)$ and $(0, -1)$.
# **Classify each, in this order, as `"minimum"`, `"saddle"`, `"maximum"` or `"degenerate"`.**
# Store the five words in `types`.
#
# <!-- hints -->

# %%
p, q = sympy.symbols("p q")
L = (p**2 - 2)**2 + sympy.Rational(1, 2) * (2 * p * q)**2 + (q**2 - 1)**2
points = [(0, 0), (sympy.sqrt(2), 0), (-sympy.sqrt(2), 0), (0, 1), (0, -1)]

# %%
# BEGIN SOLUTION
def kind(H):
    eig = [float(e) for e in H.eigenvals(multiple=True)]
    if min(eig) > 0:
        return "minimum"
    if max(eig) < 0:
        return "maximum"
    return "saddle" if min(eig) < 0 < max(eig) else "degenerate"


H = sympy.hessian(L, (p, q))
types = tuple(kind(H.subs({p: x, q: y})) for x, y in points)
# END SOLUTION
check(types)

# %% [markdown]
# ## Exercise 04.4: pure or spurious?
#
# A critical point $\theta$ of $L = \ell \circ \varphi$ is **pure** if its function $\varphi(\theta)$
# is a critical point of the distance on the neuromanifold, **spurious** if it is critical only
# because $d\varphi_\theta$ drops rank. **Label the five points of Exercise 04.3, in the same
# order, `"pure"` or `"spurious"`.** Store them in `labels`.
#
# <!-- hints -->

# %%
phi = sympy.Matrix([p**2, 2 * p * q, q**2])

# %%
# BEGIN SOLUTION
J = phi.jacobian((p, q))
labels = tuple("pure" if J.subs({p: x, q: y}).rank() == 2 else "spurious" for x, y in points)
# END SOLUTION
check(labels)

# %% [markdown] solution-only
# **Why.** At the four points other than the origin $d\varphi$ has rank 2, so they are pure: their
# functions $2x^2$ and $y^2$ are the two critical points of the Bombieri distance from
# $2x^2 + y^2$ to the cone. At the origin $d\varphi = 0$; its function is the vertex of the cone,
# which is not a critical point of the distance on the smooth part of the cone.

# %% [markdown]
# ## Exercise 04.5: where is the target relative to the discriminant?
#
# Plain coefficient inner product, targets on the slice $a + c = 1$ with coordinates
# $x = a - c$, $y = b$ (`cone_slice_target(x, y)` gives $(a, b, c)$). **How many real critical
# points does the distance to the cone have for the targets $(x, y) = (0.1, 0.1)$, $(0.5, 0.05)$,
# $(0.02, 0.2)$ and $(-0.2, 0.02)$?** Store the four counts in `counts`.
#
# <!-- hints -->

# %%
targets = [(0.1, 0.1), (0.5, 0.05), (0.02, 0.2), (-0.2, 0.02)]
Q = np.array(sympy.hessian(CONE_EQUATION, CONE_VARIABLES) / 2, dtype=float)

# %%
# BEGIN SOLUTION
qc = QuadricCriticalPoints(Q)
counts = tuple(int(qc.real_counts(cone_slice_target(x, y))[0]) for x, y in targets)
# END SOLUTION
check(counts)

# %% [markdown] solution-only
# **Why.** The sign of the discriminant polynomial decides: negative (outside the astroid-shaped
# curve) means one pair of complex critical points, 2 real ones. Target 3 lies just outside the
# thin tip of the curve near $y = 1/4$.

# %% solution-only
# the sign rule, with the exact discriminant polynomial: -1 outside the curve, +1 inside
x, y = sympy.symbols("x y")
wall = ed_discriminant().walls[0]
[sympy.sign(wall.subs({x: sympy.Rational(str(u)), y: sympy.Rational(str(v))})) for u, v in targets]

# %% [markdown]
# ## Exercise 04.6: along a path of targets
#
# Move the target along the segment from $(x, y) = (-0.6, 0.1)$ to $(0.6, 0.1)$ (plain
# coefficients). **List the number of real critical points along the path, each value once
# per stretch, in order** (for example `[4, 2]` for a path that starts with 4 and ends with 2).
# Store the list in `sequence`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
path = real_counts_along_path(QuadricCriticalPoints(Q), cone_slice_target(-0.6, 0.1),
                              cone_slice_target(0.6, 0.1))
sequence = [int(path["counts"][0])] + [after for _, _, after in path["changes"]]
# END SOLUTION
check(sequence)

# %% [markdown] solution-only
# **Why.** The line $y = 0.1$ crosses the discriminant curve twice, near $x = \pm 0.1$: 2 real
# critical points outside, 4 inside, 2 again. With Gaussian data instead (kurtosis 3) the curve
# shrinks to a point and the count would stay 2 all along.
