# ---
# title: Fibers, symmetries and conserved quantities
# practises:
#   - writing down the fiber of a function of a small network
#   - finding the rescaling that maps one parameter point to another
#   - computing the generic fiber dimension from the dimension of the neuromanifold
#   - using a conserved quantity to predict where a training run ends
#   - counting the points of a finite fiber, and the symmetries behind them
#   - why a balanced initialization stays balanced
# topic: notebooks/03_fibers.ipynb
# prerequisites: notebook 03
# time: 45 minutes
# ---

# %% [markdown]
# ## Setup
#
# Run this cell first. Parameter vectors are flat, as in the notebook: for an MLP, $W_1$ row
# by row, then $W_2$.

# %%
import math

import numpy as np
import sympy

import nagviz
from nagviz.exercises import check, hint

# %% [markdown]
# ## Exercise 03.1: the fiber of a tiny linear network
#
# The linear network with widths $(1, 2, 1)$ has hidden weights $w_1, w_2$ and out-weights
# $v_1, v_2$, and computes $f(x) = v_1 (w_1 x) + v_2 (w_2 x)$.
#
# **Write the equation of the fiber over the function $f(x) = 3x$**, as a sympy expression
# in the symbols `w1, w2, v1, v2` (an equation `"... = ..."` as a string is fine too). Store it
# in `fiber_equation`.
#
# <!-- hints -->

# %%
w1, w2, v1, v2 = sympy.symbols("w1 w2 v1 v2")
# BEGIN SOLUTION
fiber_equation = sympy.Eq(v1 * w1 + v2 * w2, 3)
# END SOLUTION
check(fiber_equation)

# %% [markdown] solution-only
# **Check.** Its dimension is $4 - 1 = 3$, which the exact engine confirms:

# %% solution-only
nagviz.dimension(nagviz.Architecture((1, 2, 1), 1)).fiber_dimension

# %% [markdown]
# ## Exercise 03.2: the rescaling between two parameter points
#
# Widths $(2, 2, 1)$, $\sigma(z) = z^2$. The parameter points
# $$
# \theta = (1, 2,\ -1, 1,\ 3, 2), \qquad \theta' = (2, 4,\ 1, -1,\ 0.75, 2)
# $$
# (hidden weights $w_1$, $w_2$, then the out-weights $v_1, v_2$) compute the same function.
# **Find the factors $t_1, t_2$ of the rescalings of neuron 1 and neuron 2 that map $\theta$ to
# $\theta'$** ($w_j \mapsto t_j w_j$, $v_j \mapsto t_j^{-2} v_j$). Store `factors = (t1, t2)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
factors = (2, -1)
# END SOLUTION
check(factors)

# %% [markdown] solution-only
# **Check** that the two points compute the same function:

# %% solution-only
from nagviz.fibers import function_change

function_change(nagviz.Architecture((2, 2, 1), 2), [1, 2, -1, 1, 3, 2], [2, 4, 1, -1, 0.75, 2])

# %% [markdown]
# ## Exercise 03.3: the fiber dimension of an architecture
#
# Widths $(4, 2, 1)$ and $\sigma(z) = z^2$, no biases. **Reason out the dimension of the generic
# fiber**: how many parameters, how big the neuromanifold (which quadratic forms does the
# network compute?), and the difference. Store the number in `fiber_dim`. Do not call nagviz
# for it; the solution lets the library confirm.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
parameters = 4 * 2 + 2 * 1
dim_M = 2 * 4 - math.comb(2, 2)      # symmetric 4 x 4 matrices of rank <= 2
fiber_dim = parameters - dim_M
# END SOLUTION
check(fiber_dim)

# %% [markdown] solution-only
# **The library agrees**, and shows the extra direction beyond the two rescalings:

# %% solution-only
from nagviz.fibers import fiber_directions

fiber_directions(nagviz.Architecture((4, 2, 1), 2), seed=0)

# %% [markdown]
# ## Exercise 03.4: the conserved quantity of a training run
#
# The network $f(x) = v\,(w x)^2$ (widths $(1, 1, 1)$, $\sigma(z) = z^2$) is trained by gradient
# flow from $(w, v) = (1, 2)$, on some data set. At the end of the run, $w = 1.5$.
# **What is $v$ at the end?** Store it in `v_end`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
Q = 1.0 ** 2 - 2 * 2.0 ** 2            # w^2 - 2 v^2 at the start
v_end = math.sqrt((1.5 ** 2 - Q) / 2)  # positive: the sign of v is locked since Q < 0
# END SOLUTION
check(v_end)

# %% [markdown] solution-only
# **Check with a real run.** Gradient flow towards the function $10 x^2$ (loss
# $(v w^2 - 10)^2$): the run moves a lot, and $w^2 - 2v^2$ does not.

# %% solution-only
from nagviz.conservation import gradient_flow

flow = gradient_flow(nagviz.Architecture((1, 1, 1), 2), [1.0, 2.0], [[1.0]], [10.0], time=1.0)
w, v = flow.thetas[:, 0, 0], flow.thetas[:, 0, 1]
print(f"w: {w[0]:.3f} -> {w[-1]:.3f}, v: {v[0]:.3f} -> {v[-1]:.3f}, "
      f"w^2 - 2 v^2 from {w[0]**2 - 2*v[0]**2:.6f} to {w[-1]**2 - 2*v[-1]**2:.6f}")

# %% [markdown]
# ## Exercise 03.5: counting a finite fiber
#
# Widths $(2, 2, 1)$, the parameter point $\theta = (1, 2,\ -1, 3,\ 2, -1)$, and two generic
# activations: $\sigma(z) = z^3 + z^2$ and $\sigma(z) = z^3 + z$. For each, **how many real
# parameter points compute the same function as $\theta$, counted up to permuting the two
# hidden neurons?** Store `counts = (n_cubic_plus_square, n_cubic_plus_linear)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
counts = (1, 4)   # z^3 + z^2: only the permutation; z^3 + z is odd: a sign flip per neuron
# END SOLUTION
check(counts)

# %% [markdown] solution-only
# **The exact count** (a Gröbner basis over the rationals, a few seconds):

# %% solution-only
from nagviz.fibers import finite_fiber

finite_fiber(nagviz.Architecture((2, 2, 1), "z^3 + z"), [1, 2, -1, 3, 2, -1])

# %% [markdown]
# ## Exercise 03.6: why a balanced initialization stays balanced
#
# A point is balanced when every conserved quantity $Q(\theta) = \theta^\top S \theta$ is zero.
# (a) Under gradient flow, does a balanced start stay balanced (`True` or `False`)? (b) One
# step of gradient descent with step size $\eta$ changes $Q$ by $c\,\eta^k$ for some $c$
# (depending on the point and the data). **What is $k$?** Store `answer = (stays, k)`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
answer = (True, 2)   # <grad L, S theta> = 0 kills the term linear in eta
# END SOLUTION
check(answer)
