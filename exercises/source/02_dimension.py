# ---
# title: Dimension, expressivity and sample complexity
# practises:
#   - counting parameters, rescaling symmetries, expected and ambient dimensions by hand
#   - recognising a defective architecture and computing its true dimension
#   - predicting how many samples pin down a network's function
#   - explaining an Alexander–Hirschowitz exception: the quartic singular at five points
#   - dimensions and degrees of rank-bounded (determinantal) matrix varieties
# topic: notebooks/02_dimension.ipynb
# prerequisites: notebook 02 (sections 1 to 6)
# time: 45 minutes
# ---

# %% [markdown]
# ## Setup
#
# Run this cell first. The exercises only need `math` and a few calls to `nagviz`; most
# of them can be done with pen and paper first and checked with the exact engine after.

# %%
import math

import nagviz
from nagviz.exercises import check, hint

# %% [markdown]
# ## Exercise 02.1: the expected dimension by hand
#
# Take widths $(4, 3, 2)$ and activation $\sigma(z) = z^3$, no biases: 4 inputs, one hidden
# layer of 3 neurons, 2 outputs.
#
# **Count, without calling nagviz:** the number of parameters, the expected dimension
# (parameters minus one rescaling per hidden neuron, capped by the ambient dimension) and
# the ambient dimension. Store them as a tuple `answer = (parameters, expected, ambient)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
parameters = 4 * 3 + 3 * 2                      # W_1 is 3 x 4, W_2 is 2 x 3
ambient = 2 * math.comb(3 + 4 - 1, 4 - 1)       # two outputs, each a cubic in 4 variables
expected = min(parameters - 3, ambient)         # one rescaling per hidden neuron
answer = (parameters, expected, ambient)
# END SOLUTION
check(answer)

# %% [markdown] solution-only
# **Why.** Each hidden neuron can scale its incoming weights by $t$ and its outgoing
# weights by $t^{-3}$ without changing the function, so at most $18 - 3 = 15$ directions
# of parameter space change the function. The ambient space holds pairs of cubics in four
# variables: $2 \binom{6}{3} = 40$ dimensions, far more. The exact engine agrees that the
# dimension is 15:

# %% solution-only
nagviz.dimension((4, 3, 2), 3)

# %% [markdown]
# ## Exercise 02.2: spot the defective architecture
#
# All four networks use $\sigma(z) = z^3$:
#
# | | widths |
# |---|---|
# | A | $(3, 4, 1)$ |
# | B | $(2, 2, 2)$ |
# | C | $(3, 1, 3, 1)$ |
# | D | $(4, 3, 1)$ |
#
# Exactly one of them has a dimension below its expected dimension. **Which one?** Store its
# letter in `defective` (a string such as `"A"`). Try to decide before computing anything.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
defective = "C"   # a width-one layer: everything after it is a polynomial in one linear form
# END SOLUTION
check(defective)

# %% [markdown] solution-only
# **Why.** Counting is right for A, B and D. A: $3 \cdot 4 = 12$ parameters after the
# rescalings, capped by the 10 ternary cubics; B: $8 - 2 = 6$ below the ambient 8; D:
# $4 \cdot 3 = 12$ below the 20 quaternary cubics, and the Alexander–Hirschowitz theorem lists
# no exception for cubics in four variables. C is different for a structural reason, not a
# numerical accident: the width-one layer passes on a single number $\ell(x)$, so every later
# neuron, whatever its width, sees only powers of $\ell(x)$, and the width-3 layer after it adds
# parameters but no new functions. The exact engine confirms the verdicts:

# %% solution-only
{name: nagviz.dimension(w, 3).defect for name, w in {"A": (3, 4, 1), "B": (2, 2, 2),
                                                      "C": (3, 1, 3, 1), "D": (4, 3, 1)}.items()}

# %% [markdown]
# ## Exercise 02.2b: and its dimension
#
# Write down the function that the defective network computes, and count how many numbers
# describe it. **What is the dimension of its neurovariety?** Store it in `dim_defective`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
# f(x) = c * (a . x)^9 for a in R^3 and a scalar c; (c, a) and (c t^-9, t a) agree
dim_defective = 3 + 1 - 1
# END SOLUTION
check(dim_defective)

# %% [markdown] solution-only
# **Why.** The network computes $c\,\ell(x)^9$ with $\ell(x) = a \cdot x$: the parameters
# $(a, c) \in \mathbb R^3 \times \mathbb R$ give the function, and $(t a, t^{-9} c)$ give the
# same one, so the functions form a family of dimension $4 - 1 = 3$ (the cone over the Veronese
# surface of ninth powers). **Check with the exact engine**, for several degrees: the defect
# does not go away as $r$ grows.

# %% solution-only
nagviz.atlas.degree_threshold((3, 1, 3, 1), r_max=5, cache_dir=False)

# %% [markdown]
# ## Exercise 02.3: predict the sample size
#
# A teacher network with widths $(5, 2, 1)$ and $\sigma(z) = z^2$ (12 parameters, functions
# in the 15-dimensional space of quadratic forms in 5 variables) gives $N$ samples at
# generic inputs; a student of the same architecture is fitted to them.
#
# **Predict** the smallest $N$ at which only *finitely many* functions of the network
# fit the samples, and the smallest $N$ from which *only the teacher* fits. Store the
# pair in `sample_sizes = (N_finite, N_teacher)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
dim = 2 * 5 - math.comb(2, 2)    # symmetric 5 x 5 matrices of rank <= 2
sample_sizes = (dim, dim + 1)
# END SOLUTION
check(sample_sizes)

# %% [markdown] solution-only
# **Why.** The functions of the network form the 9-dimensional variety $V$ of quadratic forms
# of rank $\le 2$ in 5 variables. Each sample $f(x_i) = y_i$ is one linear condition on $f$, so
# the functions fitting $N$ generic samples are $V$ cut by an affine subspace of codimension
# $N$: of dimension $9 - N$ while $N < 9$, finitely many points at $N = 9$ (as many as the
# degree of $V$, over $\mathbb C$), and for $N = 10$ the extra generic sample is a condition
# that the other points fail, leaving the teacher. The 12 parameters and the 15 coefficients
# of a general quadratic form do not enter.
#
# **The measurement.** The recovery experiment of the notebook, at the sample sizes around
# the prediction (a second or so): the Jacobian rank stops growing at 9. From $N = 10$ the kept
# student is the teacher; at $N = 9$ several functions of the network interpolate the samples
# exactly, and whether a student lands on the teacher there is luck (which of the finitely many
# interpolants its start leads to), not recovery.

# %% solution-only
nagviz.sample_complexity.recovery_experiment((5, 2, 1), [7, 8, 9, 10, 11], 2, cache=False)

# %% [markdown]
# ## Exercise 02.4: why five quartic neurons do not fill
#
# With $\sigma(z) = z^4$ the network $(3, 5, 1)$ computes sums of five fourth powers
# $\sum_j v_j \ell_j(x)^4$ of linear forms in $x, y, z$. Counting says it fills the
# 15-dimensional space of ternary quartics ($5 \cdot 3 = 15$ after the rescalings), yet its
# dimension is 14: one of the Alexander–Hirschowitz exceptions (optional section 3d of
# notebook 02). The library can state this; here you find the reason.
#
# By Terracini's lemma, at a point with hidden weight vectors $p_1, \dots, p_5$ the tangent
# space is spanned by the quartics $\ell_j^3 m$ with $m$ linear, and a quartic $F$ is apolar
# (Bombieri-orthogonal) to all of them exactly when $F$ is **singular at the five points**:
# $\partial F/\partial x$, $\partial F/\partial y$, $\partial F/\partial z$ all vanish at
# every $p_j$. Each point imposes 3 linear conditions, 15 in all on 15 coefficients, so one
# expects only $F = 0$, and a nonzero solution is exactly a missing dimension.
#
# **For the weight vectors $p_j$ = `points` below, find a nonzero quartic form $F(x, y, z)$
# singular at all five points.** Store it (a sympy expression or a string) in `F`.
#
# <!-- hints -->

# %%
import sympy

x, y, z = sympy.symbols("x y z")
points = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1), (1, 2, 3)]

# %%
# BEGIN SOLUTION
# conics through (1,0,0), (0,1,0), (0,0,1) are a*y*z + b*x*z + c*x*y; (1,1,1) and (1,2,3)
# give a + b + c = 0 and 6a + 3b + 2c = 0, so (a, b, c) = (1, -4, 3)
conic = y * z - 4 * x * z + 3 * x * y
F = sympy.expand(conic**2)    # grad(q^2) = 2 q grad(q) vanishes wherever q does
# END SOLUTION
check(F)

# %% [markdown] solution-only
# **Why.** The five conditions "$q(p_j) = 0$" on the 6 coefficients of a conic always leave a
# conic $q$, and its square is singular wherever $q$ vanishes, since
# $\nabla(q^2) = 2q\,\nabla q$. So the 15 conditions of singularity are dependent, the apolar
# complement of the tangent space is not zero, and $(3, 5, 1)$ misses at least one dimension:
# the exact engine says exactly one, so $q^2$ spans the complement, and the smallest filling
# width is 6, not the counting bound 5. The same argument with a quadric surface through 9
# points of $\mathbb P^3$ ($10 - 9 = 1$) and a quadric through 14 points of $\mathbb P^4$
# ($15 - 14 = 1$) explains $(4, 9, 1)$ and $(5, 14, 1)$; binary quartics ($d_0 = 2$) have no
# such exception. Check the singularity, the dimension, and the filling widths:

# %% solution-only
gradient_at_points = [[sympy.diff(F, t).subs(dict(zip((x, y, z), p))) for t in (x, y, z)]
                      for p in points]
(gradient_at_points, nagviz.dimension((3, 5, 1), 4).dimension,
 [nagviz.atlas.minimal_filling_width(d0, 4, cache_dir=False).width for d0 in (2, 3, 4, 5)])

# %% [markdown]
# ## Exercise 02.5: matrices of bounded rank
#
# A linear network $(n, k, m)$ computes the $m \times n$ matrices of rank at most $k$; a
# quadratic network $(n, k, 1)$ computes the symmetric $n \times n$ matrices of rank at
# most $k$ (as quadratic forms $x^\top M x$).
#
# **What are the dimensions of (a) the $4 \times 5$ matrices of rank $\le 2$ and (b) the
# symmetric $4 \times 4$ matrices of rank $\le 2$?** Store `rank_dims = (a, b)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
k, m, n = 2, 4, 5
general = k * (m + n - k)                 # entries of A and B, minus GL(k)
symmetric = k * 4 - math.comb(k, 2)       # rows of W, minus O(k)
rank_dims = (general, symmetric)
# END SOLUTION
check(rank_dims)

# %% [markdown] solution-only
# **Why.** (a) A matrix of rank $\le 2$ is $AB$ with $A$ of size $4 \times 2$ and $B$ of size
# $2 \times 5$: 18 numbers. The product does not see the change $(AG, G^{-1}B)$ for invertible
# $G$, a 4-dimensional group acting freely on pairs of full rank, so the
# dimension is $18 - 4 = 14 = k(m + n - k)$. (b) A symmetric matrix of rank $\le 2$ is
# $W^\top \mathrm{diag}(v) W$ with $W$ of size $2 \times 4$ and $v \in \mathbb R^2$: 10
# numbers. Two rescalings $(t_j w_j, t_j^{-2} v_j)$ and, once both $v_j$ are scaled to $\pm 1$, the
# one-dimensional orthogonal group of $\mathrm{diag}(v)$ mixing the two rows leave it unchanged:
# $10 - 2 - 1 = 7 = kn - \binom{k}{2}$. These are the linear network $(5, 2, 4)$ and the quadratic
# network $(4, 2, 1)$, and the engine agrees:

# %% solution-only
nagviz.dimension((5, 2, 4), 1).dimension, nagviz.dimension((4, 2, 1), 2).dimension

# %% [markdown]
# ## Exercise 02.6: the degree of a determinantal variety
#
# The degree of a variety of dimension $m$ in $\mathbb C^n$ is the number of points in which
# a generic affine subspace of dimension $n - m$ meets it.
#
# **What are the degrees of (a) the $3 \times 3$ matrices of rank $\le 2$ and (b) the
# $3 \times 3$ matrices of rank $\le 1$?** Store `degrees = (a, b)`. Part (a) needs no
# formula.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
deg_rank2 = 3                                             # det(M0 + t M1) is a cubic in t
deg_rank1 = math.comb(3, 1) * math.comb(4, 1) // (math.comb(1, 1) * math.comb(2, 1))
degrees = (deg_rank2, deg_rank1)
# END SOLUTION
check(degrees)

# %% [markdown] solution-only
# **Why.** (a) On a line $M_0 + t M_1$ the determinant is a polynomial of degree 3 in $t$, with
# 3 roots over $\mathbb C$ for generic $M_0, M_1$: a hypersurface of degree 3. (b) The formula
# gives $\frac{\binom{3}{1}}{\binom{1}{1}} \cdot \frac{\binom{4}{1}}{\binom{2}{1}} = 3 \cdot 2
# = 6$; the rank-one matrices $u v^\top$ are the cone over $\mathbb P^2 \times \mathbb P^2$,
# whose degree $\binom{4}{2} = 6$ is also the classical degree of this Segre variety.
#
# **Count the points of (a) numerically.** A random line of $3 \times 3$ matrices meets
# $\det = 0$ in three complex points; `nagviz.degree.line_slice` finds them.

# %% solution-only
import numpy as np

rng = np.random.default_rng(0)
M0, M1 = rng.standard_normal((2, 9))
det = lambda P: np.linalg.det(P.reshape(-1, 3, 3))
nagviz.degree.line_slice(det, M0, M1, 3)

# %% [markdown]
# ## Exercise 02.7: the fiber of $(3, 3, 3, 1)$
#
# The notebook showed that widths $(3, 3, 3, 1)$ with $\sigma(z) = z^2$ have dimension 12,
# not the expected 15.
#
# **What is the dimension of a generic fiber (all parameters giving one function), and by
# how much does it exceed the dimension explained by the rescalings of the hidden
# neurons?** Store `fiber = (fiber_dimension, beyond_rescalings)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
n_parameters = 3 * 3 + 3 * 3 + 3
fiber_dimension = n_parameters - 12
fiber = (fiber_dimension, fiber_dimension - 6)   # six hidden neurons, six rescalings
# END SOLUTION
check(fiber)

# %% [markdown] solution-only
# **Why.** The fiber of a generic function has dimension parameters minus dimension,
# $21 - 12 = 9$, and six of those directions are the rescalings of the six hidden neurons. The
# other three: write $z_i = \ell_i(x)^2$ for the first layer. The last two layers compute a
# quadratic form $Q(z) = z^\top A^\top \mathrm{diag}(v) A z$ in $z$, and after the three rescalings
# of the second layer set $v = (\pm 1, \pm 1, \pm 1)$, replacing $A$ by $O A$ with
# $O^\top \mathrm{diag}(v) O = \mathrm{diag}(v)$ does not change $Q$: an orthogonal group (or
# $O(p, q)$ with the signs of $v$) of dimension $\binom{3}{2} = 3$. So the network is defective
# because its inner block $(3, 3, 1)$ has more parameters (12) than it can use (6 quadratic
# forms in $z$). The engine's fiber dimension:

# %% solution-only
nagviz.dimension((3, 3, 3, 1), 2).fiber_dimension

# %% [markdown]
# ## Summary
#
# - The **expected dimension** subtracts one rescaling per hidden neuron from the
#   parameter count and caps the result by the ambient dimension; the exact dimension can
#   be smaller (a **defect**): width-one bottlenecks, quadratic layers narrower than their
#   input, the sporadic Alexander–Hirschowitz cases.
# - The number of generic samples that pin down a function of the network is the
#   **dimension** (plus one for uniqueness), not the parameter count and not the ambient
#   dimension that polynomial regression needs.
# - Filling widths follow from counting, except at the Alexander–Hirschowitz exceptions.
# - Rank-bounded matrices: dimension $k(m + n - k)$ (symmetric: $kn - \binom{k}{2}$); the
#   degree counts the points on a generic slice.
#
# *Dictionary entry:* dimension $\leftrightarrow$ expressivity and sample complexity;
# degree $\leftrightarrow$ covering numbers.
