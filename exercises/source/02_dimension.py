# ---
# title: Dimension, expressivity and sample complexity
# practises:
#   - counting parameters, rescaling symmetries, expected and ambient dimensions by hand
#   - recognising a defective architecture and computing its true dimension
#   - predicting how many samples pin down a network's function
#   - finding minimal filling widths with the Alexander–Hirschowitz theorem
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
# **Check with the exact engine**, for several degrees: the defect does not go away as $r$
# grows.

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
# **The measurement.** The recovery experiment of the notebook, at the sample sizes around
# the prediction (a second or so): the Jacobian rank stops growing at 9, and the kept
# student is the teacher from $N = 9$ or $10$ on.

# %% solution-only
nagviz.sample_complexity.recovery_experiment((5, 2, 1), [7, 8, 9, 10, 11], 2, cache=False)

# %% [markdown]
# ## Exercise 02.4: minimal filling widths
#
# For $\sigma(z) = z^4$ and one output, the shallow network $(d_0, w, 1)$ fills its
# ambient space (all quartic forms in $d_0$ variables) once $w$ is large enough.
#
# **Find the smallest filling width $w$ for $d_0 = 2, 3, 4, 5$.** Store the four widths,
# in that order, in the list `filling_widths`. Start from the counting bound and use the
# Alexander–Hirschowitz theorem, or compute with `nagviz.atlas.minimal_filling_width`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
filling_widths = [nagviz.atlas.minimal_filling_width(d0, 4, cache_dir=False).width
                  for d0 in (2, 3, 4, 5)]
# END SOLUTION
check(filling_widths)

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
parameters = 3 * 3 + 3 * 3 + 3
fiber_dimension = parameters - 12
fiber = (fiber_dimension, fiber_dimension - 6)   # six hidden neurons, six rescalings
# END SOLUTION
check(fiber)

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
