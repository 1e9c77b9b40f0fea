# ---
# title: Beyond the MLP: convolutions, attention and ReLU
# practises:
#   - the dimension of a linear convolutional network, and why
#   - deciding whether a real filter is reachable by a real LCN
#   - what a stride changes in the function space
#   - parameters, symmetries and dimension of a lightning self-attention layer
#   - the linear regions of a tiny ReLU network
#   - the degree a polynomial needs to stand in for ReLU
# topic: notebooks/06_beyond_mlp.ipynb
# prerequisites: notebook 06; notebook 02 for dimension
# time: 40 minutes
# ---

# %% [markdown]
# ## Setup
#
# Run this cell first. A filter $w = (w_0, \dots, w_{k-1})$ is read as the polynomial
# $w(t) = w_0 + w_1 t + \dots + w_{k-1} t^{k-1}$.

# %%
import numpy as np

import nagviz
from nagviz.approximation import approximate
from nagviz.attention import LightningAttention
from nagviz.cnn import CNNArchitecture, real_factorization
from nagviz.exercises import check, hint
from nagviz.relu import ReLUNetwork, linear_regions

# %% [markdown]
# ## Exercise 06.1: the dimension of an LCN
#
# A stride-one linear convolutional network has filters of sizes $(4, 3, 2)$ and no
# activation. **What is the dimension of its function space?** Work it out by hand (the
# end-to-end filter is the product of the filters), then store it in `dim_lcn`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
sizes = (4, 3, 2)
dim_lcn = sum(sizes) - (len(sizes) - 1)   # one scale lost between consecutive filters
# END SOLUTION
check(dim_lcn)

# %% [markdown] solution-only
# **Check with the exact engine:** the function space fills its ambient space.

# %% solution-only
nagviz.dimension(CNNArchitecture((4, 3, 2)))

# %% [markdown]
# ## Exercise 06.2: which real LCNs reach $1 + t^4$?
#
# The target filter is $w(t) = 1 + t^4$ (coefficients `(1, 0, 0, 0, 1)`). Three real
# stride-one LCNs all have end-to-end filters of degree 4:
#
# | | filter sizes |
# |---|---|
# | A | $(3, 3)$ |
# | B | $(2, 4)$ |
# | C | $(2, 2, 2, 2)$ |
#
# **Which of them compute $1 + t^4$ exactly, with real filters?** Store the letters in a
# list `reachable` (for example `["A", "C"]`).
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
roots = np.roots([1, 0, 0, 0, 1])            # numpy wants the highest power first
print("real roots:", int(np.sum(np.abs(roots.imag) < 1e-9)))
# a factor of odd degree (even filter size) needs a real root: only A has none
reachable = ["A"]
# END SOLUTION
check(reachable)

# %% [markdown] solution-only
# `nagviz.cnn.real_factorization` finds the factors when they exist:

# %% solution-only
{name: real_factorization(np.array([1.0, 0, 0, 0, 1]), s) is not None
 for name, s in {"A": (3, 3), "B": (2, 4), "C": (2, 2, 2, 2)}.items()}

# %% [markdown]
# ## Exercise 06.3: what a stride changes
#
# Two filters of size 2, $w_1 = (a, b)$ and $w_2 = (c, d)$, with strides $(2, 1)$: the first
# layer computes $h_j = a x_{2j} + b x_{2j+1}$, the second $c h_0 + d h_1$.
#
# **What are the ambient dimension (the length of the end-to-end filter) and the dimension
# of the function space?** Store `stride_answer = (ambient, dimension)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
# the filter (ac, bc, ad, bd) is the rank-one matrix (a, b)^T (c, d) read row by row
stride_answer = (4, 3)
# END SOLUTION
check(stride_answer)

# %% [markdown] solution-only
# The engine agrees, and the end-to-end filter is $w_1(t) w_2(t^2)$:

# %% solution-only
strided = CNNArchitecture((2, 2), strides=(2, 1))
print(nagviz.dimension(strided).dimension, nagviz.coefficients(strided, [1.0, 2.0, 3.0, 5.0]))

# %% [markdown]
# ## Exercise 06.4: a lightning attention layer
#
# One lightning self-attention layer, $\mathrm{out}_i = \sum_j \langle Q x_i, K x_j\rangle V x_j$,
# with token dimension $d = 4$ and attention dimension $a = 2$, on enough tokens.
#
# **How many parameters does it have, and what is the dimension of its function space?**
# Count the symmetries by hand; store `attention_answer = (parameters, dimension)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
d, a = 4, 2
parameters = 2 * a * d + d * d
attention_answer = (parameters, a * (2 * d - a) + d * d - 1)
# END SOLUTION
check(attention_answer)

# %% [markdown] solution-only
# The exact engine, with three tokens:

# %% solution-only
nagviz.dimension(LightningAttention(1, 4, 2, tokens=3))

# %% [markdown]
# ## Exercise 06.5: linear regions of a tiny ReLU network
#
# $f(x, y) = \mathrm{relu}(x) + \mathrm{relu}(y) + \mathrm{relu}(x + y - 1)$.
#
# **Into how many linear regions does $f$ cut the whole plane?** (A region is a set where
# the on/off pattern of the three neurons is fixed.) Store the number in `n_regions`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
n_regions = 1 + 3 + 3   # three lines in general position: 1 + n + n(n-1)/2
# END SOLUTION
check(n_regions)

# %% [markdown] solution-only
# Cutting a large box exactly confirms it:

# %% solution-only
W1, b1 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([0.0, 0.0, -1.0])
net = ReLUNetwork((2, 3, 1), (W1, np.ones((1, 3))), (b1, np.zeros(1)))
linear_regions(net, box=(-100, 100, -100, 100))

# %% [markdown]
# ## Exercise 06.6: how much degree does ReLU cost?
#
# **What is the smallest degree $n$ for which the Chebyshev interpolant of ReLU on
# $[-1, 1]$ is within $0.01$ of ReLU everywhere on the interval?** Use
# `approximate("relu", n, "chebyshev").max_error`. Store $n$ in `degree_needed`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
degree_needed = next(n for n in range(1, 200)
                     if approximate("relu", n, "chebyshev").max_error <= 0.01)
# END SOLUTION
check(degree_needed)

# %% [markdown]
# ## Summary
#
# - A stride-one LCN computes products of polynomials: dimension $\sum k_i - (L - 1)$, all
#   filters over $\mathbb{C}$, but over $\mathbb{R}$ factors of odd degree need real roots.
# - A stride spreads a filter out ($w_2(t^{s_1})$) and the function space becomes a
#   smaller, structured variety.
# - Lightning attention: parameters minus $GL(a)$, one rescaling per layer and $GL(d)$
#   between layers.
# - ReLU networks are piecewise linear; polynomials approach ReLU only like $1/n$.
#
# *Dictionary entry:* beyond algebra $\leftrightarrow$ other architectures and activations;
# ReLU networks as tropical rational functions.
