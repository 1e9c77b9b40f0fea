# ---
# title: Singular points, subnetworks and the implicit bias of training
# practises:
#   - finding where a parameterization drops rank, and the singular points of a neuromanifold
#   - computing the tangent space dimension at a subnetwork
#   - predicting whether the best fit of a target is a subnetwork (Voronoi cells)
#   - comparing the Voronoi cell of the vertex of one nappe and of the double cone
#   - reading a training run: which subnetwork did it end at?
#   - the gradient at a switched-off neuron
#   - deriving the conserved quantity of a rescaling symmetry
#   - why a function computed with a neuron switched off is never the best fit
#   - why a lower-rank matrix is never the best fit (one rank-one step)
# topic: notebooks/05_singularities.ipynb
# prerequisites: notebook 05; a little sympy and numpy
# time: 60 minutes
# ---

# %% [markdown]
# ## Setup
#
# Run this cell first. Binary quadratic forms $a x^2 + b\,xy + c\,y^2$ are written as their
# coefficient triples $(a, b, c)$, the coordinates `nagviz.coefficients` uses.

# %%
import numpy as np
import sympy

import nagviz
from nagviz.exercises import check, hint
from nagviz.singularities import (CUBIC_221, QUADRATIC_221, cone_vertex_voronoi,
                                  dead_neuron_point, loss_gradient, rank_one_trap_experiment)
from nagviz.training import sample_targets

# %% [markdown]
# ## Exercise 05.1: where does the parameterization of the cone drop rank?
#
# One hidden neuron, widths $(2, 1, 1)$ and $\sigma(z) = z^2$: the network computes
# $v\,(p x + q y)^2$, and its parameterization is
# $$
# \varphi(p, q, v) = (v p^2,\ 2 v p q,\ v q^2),
# $$
# whose image is the cone $b^2 = 4ac$.
#
# **Compute the rank of the Jacobian of $\varphi$ at the three points
# $(p, q, v) = (1, 2, 3)$, $(1, 2, 0)$ and $(0, 0, 3)$.** Store the three ranks, in this
# order, in `ranks`. Use sympy (or `nagviz.tangent_rank` to compare).
#
# <!-- hints -->

# %%
p, q, v = sympy.symbols("p q v")
phi = sympy.Matrix([v * p**2, 2 * v * p * q, v * q**2])
points = [(1, 2, 3), (1, 2, 0), (0, 0, 3)]

# %%
# BEGIN SOLUTION
J = phi.jacobian([p, q, v])
ranks = tuple(J.subs({p: a, q: b, v: c}).rank() for a, b, c in points)
# END SOLUTION
check(ranks)

# %% [markdown] solution-only
# **Why.** The Jacobian has columns $(2vp, 2vq, 0)$, $(0, 2vp, 2vq)$ and $(p^2, 2pq, q^2)$.
# At a generic point the third column is a combination of the first two (the rescaling
# symmetry), so the rank is 2. At $v = 0$ the first two columns vanish and the rank is 1; at
# $p = q = 0$ every column vanishes. Both points compute the zero function.

# %% [markdown]
# ## Exercise 05.2: the singular point of the cone
#
# The cone is the zero set of $F(a, b, c) = b^2 - 4ac$. A point of a hypersurface $F = 0$ is
# **singular** when the gradient of $F$ vanishes there as well.
#
# **Find the singular point of the cone.** Store its coordinates $(a, b, c)$ in
# `singular_point`.
#
# <!-- hints -->

# %%
a, b, c = sympy.symbols("a b c")
F = b**2 - 4 * a * c

# %%
# BEGIN SOLUTION
solutions = sympy.solve([F] + [sympy.diff(F, s) for s in (a, b, c)], [a, b, c], dict=True)
singular_point = tuple(solutions[0][s] for s in (a, b, c))
# END SOLUTION
check(singular_point)

# %% [markdown] solution-only
# **Why.** $\nabla F = (-4c, 2b, -4a)$ vanishes only at the origin, the zero function, which
# is on the cone. It is the point where $\varphi$ drops rank in Exercise 05.1: the network
# with its neuron switched off.

# %% [markdown]
# ## Exercise 05.3: the tangent space at subnetworks of $(3, 2, 1)$
#
# Widths $(3, 2, 1)$, $\sigma(z) = z^2$: the network computes $v_1 \ell_1^2 + v_2 \ell_2^2$, a
# ternary quadric of rank at most 2 (dimension 5). Its flat parameter vector is
# $(W_1 \text{ row by row}, W_2) = (w_{11}, w_{12}, w_{13}, w_{21}, w_{22}, w_{23}, v_1, v_2)$.
#
# **Compute the dimension of the image of the differential (the exact Jacobian rank) at**
# 1. neuron 2 switched off: $(1, 2, 3,\ 0, 0, 0,\ 1, 0)$;
# 2. only neuron 2's out-weight zero: $(1, 2, 3,\ 1, -1, 2,\ 1, 0)$;
# 3. the two neurons merged: $(1, 2, 3,\ 1, 2, 3,\ 1, 1)$.
#
# Store the three numbers in `tangent_dims`.
#
# <!-- hints -->

# %%
arch = nagviz.Architecture((3, 2, 1), activation=2)
subnetwork_points = [(1, 2, 3, 0, 0, 0, 1, 0), (1, 2, 3, 1, -1, 2, 1, 0), (1, 2, 3, 1, 2, 3, 1, 1)]

# %%
# BEGIN SOLUTION
tangent_dims = tuple(nagviz.singularities.tangent_rank(arch, list(theta)).rank
                     for theta in subnetwork_points)
# END SOLUTION
check(tangent_dims)

# %% [markdown] solution-only
# **Why.** A generic point has rank 5. Switching neuron 2 off leaves only neuron 1's three
# directions (a one-neuron network has a 3-dimensional neuromanifold, plus nothing from the
# dead neuron): rank 3. With only $v_2 = 0$, moving $v_2$ adds the direction $\ell_2^2$: rank 4.
# Merged neurons add nothing new beyond neuron 1's directions: rank 3.

# %% [markdown]
# ## Exercise 05.4: is the best fit the network with its neuron switched off?
#
# Fix the out-weight of the $(2, 1, 1)$ network to $+1$: it computes $(p x + q y)^2$, the
# positive multiples of squares, *one nappe* of the cone. Its only subnetwork is the neuron
# switched off: the zero form. Measure distances with the Bombieri norm
# $\|a x^2 + bxy + cy^2\|^2 = a^2 + b^2/2 + c^2$.
#
# For each target below, **is the zero form its best fit on the nappe?** Store five truth
# values, in order, in `zero_is_best`.
#
# 1. $-x^2 - y^2$
# 2. $x^2 - y^2$
# 3. $-x^2 + xy - y^2$
# 4. $-(x + y)^2$
# 5. $2xy - y^2$
#
# <!-- hints -->

# %%
targets_05_4 = np.array([(-1, 0, -1), (1, 0, -1), (-1, 1, -1), (-1, -2, -1), (0, 2, -1)], float)

# %%
# BEGIN SOLUTION
eigenvalues = [np.linalg.eigvalsh([[a_, b_ / 2], [b_ / 2, c_]]) for a_, b_, c_ in targets_05_4]
zero_is_best = [bool(np.all(ev <= 1e-12)) for ev in eigenvalues]
# END SOLUTION
check(zero_is_best)

# %% [markdown] solution-only
# **Why.** The zero form is nearest when no square $u = (px + qy)^2$ of the nappe has
# $\langle t, u \rangle > 0$, and for the Bombieri inner product
# $\langle t, (px + qy)^2\rangle = t(p, q)$. So the answer is "yes" exactly for the negative
# semidefinite targets: 1, 3 and 4. `cone_vertex_voronoi("nappe", "bombieri",
# targets=targets_05_4).is_vertex` gives the same list by checking many directions.

# %% [markdown]
# ## Exercise 05.5: the Voronoi cell of the vertex, one nappe versus the double cone
#
# The **Voronoi cell** of a point $P$ of a set $M$ is the set of targets whose nearest point in
# $M$ is $P$. Describe the Voronoi cell of the vertex (Bombieri inner product)
#
# * of one nappe, $\{(px + qy)^2\}$, and
# * of the double cone, $\{v\,(px + qy)^2 : v \in \mathbb R\}$ (the real $(2, 1, 1)$
#   neuromanifold).
#
# Choose each answer among `"only the vertex itself"`, `"the negative semidefinite forms"`,
# `"the positive semidefinite forms"`, `"the indefinite forms"`, `"every form"`, and store the
# pair in `cells`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
cells = ("the negative semidefinite forms", "only the vertex itself")
# END SOLUTION
check(cells)

# %% [markdown] solution-only
# **Why.** One nappe: Exercise 05.4. The double cone contains $u$ and $-u$, so the vertex is
# nearest only if $\langle t, u \rangle = 0$ for every square $u$; the squares span the space
# of forms, hence $t = 0$. A one-sided point (cusp, corner, nappe) attracts a region; a
# two-sided one (node, double cone) attracts nothing but itself.

# %% [markdown]
# ## Exercise 05.6: how many targets does the vertex of one nappe attract?
#
# Draw Gaussian targets, standard for the Bombieri inner product. **Estimate the fraction
# whose best fit on one nappe is the zero form** (to within 10%), and store it in `fraction`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
cone_arch = nagviz.Architecture((2, 1, 1), activation=2)
t = sample_targets(cone_arch, 40_000, "bombieri", seed=1)
S = np.stack([[t[:, 0], t[:, 1] / 2], [t[:, 1] / 2, t[:, 2]]]).transpose(2, 0, 1)
lam = np.linalg.eigvalsh(S)                    # eigenvalues, ascending
fraction = float(np.mean(lam[:, 1] <= 0))      # both eigenvalues <= 0
# END SOLUTION
check(fraction)

# %% [markdown] solution-only
# **Why.** The cell is the cone of negative semidefinite forms. For Bombieri-Gaussian targets the
# matrix $\begin{pmatrix} a & b/2 \\ b/2 & c \end{pmatrix}$ is a $2\times 2$ matrix of the
# Gaussian orthogonal ensemble, which is negative semidefinite with probability
# $(2 - \sqrt 2)/4 \approx 0.146$. `cone_vertex_voronoi("nappe", "bombieri").fraction` measures
# the same; for the double cone it is $0$. This fraction measures the *Voronoi cell* of the
# vertex (the targets whose nearest point it is), not its *critical exposure* (the targets for
# which a parameter point computing it is a critical point of the loss): at $p = q = 0$ the whole
# Jacobian vanishes, so the gradient of the loss is zero there for every target, on one nappe
# and on the double cone alike.

# %% [markdown]
# ## Exercise 05.7: read a training run
#
# The quadratic network $(2, 2, 1)$ computes $v_1 (w_1\cdot x)^2 + v_2 (w_2\cdot x)^2$ and fits
# every binary quadratic form exactly. Below are two runs of plain gradient descent (learning
# rate 0.01, 5000 steps), each on its own target. For each, the table shows the last values of
# the in-weight norms $\|w_j\|$, the out-weights $v_j$, the relative loss and the distance of
# the learned form to the cone of one-neuron networks.
#
# **Which subnetwork did each run end at?** Choose among `"neuron 1 off"`, `"neuron 2 off"`,
# `"parallel neurons"`, `"the zero function"`, `"none: it fits the target"`, and store the
# pair in `ended_at`.
#
# <!-- hints -->

# %%
pool = sample_targets(QUADRATIC_221, 20, "bombieri", seed=2025)
run_a = rank_one_trap_experiment(8, init_scale=1.0, lr=0.01, steps=5000, seed=15, targets=pool[15])
run_b = rank_one_trap_experiment(8, init_scale=1.0, lr=0.01, steps=5000, seed=1, targets=pool[1])
for name, res, j in (("A", run_a, 3), ("B", run_b, 1)):
    w_in, v_out = res.in_norms[-1, j], res.out_weights[-1, j]
    print(f"run {name}: |w1| = {w_in[0]:.3g}, |w2| = {w_in[1]:.3g}, "
          f"v1 = {v_out[0]:+.3f}, v2 = {v_out[1]:+.3f}, "
          f"relative loss {res.relative_loss[j]:.3f}, distance to the cone "
          f"{res.cone_distance[-1, j]:.1e}")

# %%
# BEGIN SOLUTION
ended_at = ("neuron 2 off", "parallel neurons")
# END SOLUTION
check(ended_at)

# %% [markdown] solution-only
# **Why.** Run A: $\|w_2\|$ has decayed below $10^{-20}$ while $v_2 \approx 1.1$ stays: neuron 2
# is off through its in-weights. Its conserved quantity $\|w_2\|^2 - 2 v_2^2$ is negative, so
# $v_2$ could never change sign, and the target (negative definite) wanted a negative
# out-weight. Run B: both neurons are on, but the learned form is on the cone (distance about
# $10^{-16}$) with the loss far from zero: two parallel neurons. Plot `res.in_norms[:, j]` on a
# log scale to see the exponential decay in run A.

# %% [markdown]
# ## Exercise 05.8: the gradient at a switched-off neuron
#
# Take the network $(2, 2, 1)$ with $\sigma(z) = z^3 + z^2$, flat parameters
# $(w_{11}, w_{12}, w_{21}, w_{22}, v_1, v_2)$, at a point where neuron 2 is switched off, and
# any data set.
#
# **Which coordinates of the gradient of the squared loss are exactly zero?** Store their
# indices (0 to 5) in `zero_coordinates`. Compute with `loss_gradient`, then explain why.
#
# <!-- hints -->

# %%
rng = np.random.default_rng(3)
X, Y = rng.standard_normal((25, 2)), rng.standard_normal(25)
theta = dead_neuron_point(CUBIC_221, [0.5, 1.5, -2.0], 1, 1)
theta

# %%
# BEGIN SOLUTION
g = loss_gradient(CUBIC_221, theta, X, Y)
zero_coordinates = [i for i in range(6) if g[i] == 0.0]
# END SOLUTION
check(zero_coordinates)

# %% [markdown] solution-only
# **Why.** $\partial L/\partial v_2 = 2\sum_n r_n\, \sigma(w_2\cdot x_n)$ and
# $\partial L/\partial w_2 = 2\sum_n r_n\, v_2\, \sigma'(w_2\cdot x_n)\, x_n$. At
# $w_2 = 0$, $v_2 = 0$ both vanish, because $\sigma(0) = 0$ and $v_2 = 0$. This holds for every
# data set: the dead neuron's directions are always critical. The Hessian there vanishes too (because
# $\sigma'(0) = 0$ as well), and the loss can only go down at third order.

# %% [markdown]
# ## Exercise 05.9: derive the conserved quantity of a rescaling symmetry
#
# A neuron with $\sigma(z) = z^3$, in-weights $w = (w_1, w_2)$ and out-weight $v$ contributes
# $v\,(w_1 x + w_2 y)^3$. The rescaling $(w, v) \mapsto (\lambda w, \lambda^{-3} v)$ leaves it
# unchanged, so every loss $L$ satisfies $L(\lambda w, \lambda^{-3} v) = L(w, v)$.
# [Notebook 03](../notebooks/03_fibers.ipynb) (Section 5) turns such a symmetry into a quantity
# that gradient flow $\dot w = -\nabla_w L$, $\dot v = -\partial_v L$ conserves.
#
# **Derive the conserved quantity** (a quadratic in $w_1, w_2, v$), store it in `conserved`
# (a sympy expression or a string), and verify with sympy that its derivative along the flow of
# the loss below vanishes.
#
# <!-- hints -->

# %%
w1, w2, v = sympy.symbols("w1 w2 v")
x, y = sympy.symbols("x y")
f = sympy.Poly(sympy.expand(v * (w1 * x + w2 * y) ** 3), x, y)
t_coeffs = sympy.symbols("t0:4")                # the target's four coefficients
loss = sum((c - t_k) ** 2 for c, t_k in zip(f.coeffs(), t_coeffs))

# %%
# BEGIN SOLUTION
# d/d(lambda) at lambda = 1: <w, grad_w L> - 3 v dL/dv = 0, and along the flow
# d/dt |w|^2 = -2 <w, grad_w L>, d/dt v^2 = -2 v dL/dv: so |w|^2 - 3 v^2 is conserved.
candidate = w1**2 + w2**2 - 3 * v**2
rate = sum(sympy.diff(candidate, s) * -sympy.diff(loss, s) for s in (w1, w2, v))
assert sympy.expand(rate) == 0                  # conserved along the flow of this loss
conserved = candidate
# END SOLUTION
check(conserved)

# %% [markdown] solution-only
# **Why.** The derivative of the invariance at $\lambda = 1$ is
# $\langle w, \nabla_w L\rangle - 3v\,\partial_v L = 0$, and along the flow
# $\frac{d}{dt}(\|w\|^2 - 3v^2) = -2\langle w, \nabla_w L\rangle + 6v\,\partial_v L = 0$.
# Any nonzero multiple is conserved too. For $\sigma(z) = z^r$ the quantity is
# $\|w\|^2 - r v^2$: with $r = 2$ it is the $\kappa_j$ of notebook 05, Section 4. When it is
# negative, $v$ cannot pass through zero, and the sign of the out-weight is locked. Gradient
# descent with a finite step conserves it only approximately.

# %% [markdown]
# ## Exercise 05.10: never the best fit, the step that beats a subnetwork
#
# Take $(2, 2, 1)$ with $\sigma(z) = z^3 + z^2$ and the Euclidean inner product of coefficient
# vectors. With neuron 2 switched off and neuron 1 at $w_1 = (1, 0)$, $v_1 = 1$, the network
# computes $P = \sigma(x) = x^2 + x^3$. The target is $t = P + 2y^2$.
#
# Turning neuron 2 on with in-weights $u = (0, 1)$ and out-weight $s$ gives
# $P + s\,\sigma(y) \in \mathcal M$. **Find the $s$ that minimizes
# $\|P + s\,\sigma(y) - t\|^2$, and that smallest squared distance.** Store the pair in
# `step`.
#
# <!-- hints -->

# %%
cubic = nagviz.Architecture((2, 2, 1), "z^3 + z^2")
P = nagviz.coefficients(cubic, [1, 0, 0, 0, 1, 0])[0]
monomials = [tuple(e) for e in cubic.monomials()]
target = P.copy()
target[monomials.index((0, 2))] += 2                          # t = P + 2 y^2
sigma_y = nagviz.coefficients(nagviz.Architecture((2, 1, 1), "z^3 + z^2"), [0, 1, 1])[0]
print("monomials", monomials)
print("P =", P, " t =", target, " sigma(y) =", sigma_y)

# %%
# BEGIN SOLUTION
r = target - P
s_best = float(r @ sigma_y / (sigma_y @ sigma_y))
step = (s_best, float(np.sum((r - s_best * sigma_y) ** 2)))
# END SOLUTION
check(step)

# %% [markdown] solution-only
# **Why.** $g(s) = \|r - sq\|^2 = \|r\|^2 - 2s\langle r, q\rangle + s^2\|q\|^2$ with
# $r = 2y^2$, $q = y^2 + y^3$: $\langle r, q\rangle = 2$, $\|q\|^2 = 2$, so $s = 1$ and
# $g(1) = 4 - 2 = 2 < 4 = \|t - P\|^2$. The theorem of notebook 05 (Section 3) is this step in
# general: $P + s\,\sigma(u \cdot x)$ gains $\langle t - P, \sigma(u\cdot x)\rangle^2 /
# \|\sigma(u\cdot x)\|^2$, and because the $\sigma(u\cdot x)$ span the ambient space, some $u$
# gains unless $t = P$. (`nagviz.singular_versus_critical.neuron_directions_span()` checks the
# spanning exactly.)

# %% [markdown]
# ## Exercise 05.11: lower rank is never the best fit
#
# The linear network $(3, 2, 3)$ computes the $3 \times 3$ matrices of rank at most $2$, the
# determinantal variety $\mathcal M_2$. The target $T$ below has singular values $3, 2, 1$, and
# $X$ is its truncated singular value decomposition of rank one: the critical point $P_1$ of
# notebook 05's linear-network section, a singular point of $\mathcal M_2$.
#
# **By how much can one rank-one matrix $Y$ lower the squared distance?** Store in
# `best_decrease` the largest value of $\|T - X\|_F^2 - \|T - X - Y\|_F^2$ over rank-one
# $Y$ (then $X + Y$ is still in $\mathcal M_2$).

# %%
from nagviz.linear_networks import saddle_points, target_matrix

T = target_matrix((3.0, 2.0, 1.0), seed=4)
X1 = saddle_points(T, 2)[1]                    # the matrix X of the question
print(np.round(T, 3), "\n\nrank of X:", np.linalg.matrix_rank(X1))

# %%
# BEGIN SOLUTION
rho = np.linalg.svd(T - X1, compute_uv=False)[0]
best_decrease = rho ** 2
# END SOLUTION
check(best_decrease)

# %% [markdown] solution-only
# **Why.** Let $R = T - X$. For a rank-one $Y$, $\|R - Y\|_F^2 \ge \|R\|_F^2 - \rho^2$ with
# equality at $Y = \rho u v^\top$, the top singular triple of $R$ (Eckart-Young for $k = 1$).
# Here $R = 2 u_2 v_2^\top + u_3 v_3^\top$, so $\rho = 2$ and the squared distance drops by
# $4$, from $5$ to $1$: the step lands on the best fit $P_2$. Nothing in the argument used
# $X = P_1$: from any matrix of rank $r < k$ the residual is non-zero (the target has rank
# $3$), and adding its top singular pair keeps the rank at most $r + 1 \le k$ while lowering
# the distance by $\rho^2 > 0$. So no lower-rank matrix is a best fit, although $P_1$ is a
# critical point (its residual is orthogonal to its row and column spaces).

# %% [markdown]
# ## Summary
#
# - The parameterization drops rank at subnetworks: a neuron switched off, two neurons merged.
#   Here their functions are singular points of the neuromanifold (the cone's vertex, the
#   rank-one quadrics); in general a rank drop and a singular point are different things.
# - A singular point that is one-sided (a cusp, one nappe) is the best fit of a whole region of
#   targets; a two-sided one (a node, the double cone) only of itself. A function computed with
#   a neuron switched off is the best fit of no other target: adding the neuron always helps.
# - A switched-off neuron's own coordinates of the gradient vanish for every target, but being
#   critical is not being best: training can end there anyway, e.g. when the sign of an
#   out-weight is locked by a conserved quantity ($\|w\|^2 - r v^2$).
#
# *Dictionary entry:* singular points (subnetworks) $\leftrightarrow$ implicit bias towards
# sparse / smaller networks.
