# ---
# title: Networks as polynomial maps
# practises:
#   - counting parameters and the dimension of the ambient space of a polynomial network
#   - finding the implicit equation of a small neuromanifold by elimination (sympy)
#   - deciding whether a function is on a real neuromanifold
#   - describing the fibers of a parameterization
#   - following gradient descent through a parameterization
# topic: notebooks/01_neuromanifolds.ipynb
# prerequisites: notebook 01; a little sympy and numpy
# time: 45 minutes
# ---

# %% [markdown]
# ## Setup
#
# Run this cell first. Binary quadratic forms $a x^2 + b\,xy + c y^2$ are written as their
# coefficient triples $(a, b, c)$ throughout, the coordinates that `nagviz.coefficients` uses.

# %%
import math

import numpy as np
import sympy

import nagviz
from nagviz.exercises import check, hint

# %% [markdown]
# ## Exercise 01.1: counting by hand
#
# Take the network with widths $(3, 2, 2)$, activation $\sigma(z) = z^2$ and no biases:
# three inputs $x, y, z$, two hidden neurons, two outputs.
#
# **How many parameters does it have, and what is the dimension of its ambient space** (the
# vector space of all functions of the form its outputs can take)? Store the two numbers in
# `n_parameters` and `ambient`. Count by hand first; then you may compare with
# `nagviz.Architecture((3, 2, 2))`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
# STUB: n_parameters = ...  # your answer here
# STUB: ambient = ...  # your answer here
n_parameters = 2 * 3 + 2 * 2          # W1 is 2 x 3, W2 is 2 x 2
ambient = 2 * math.comb(2 + 3 - 1, 2)  # two outputs, each a quadratic form in 3 variables
# END SOLUTION
check((n_parameters, ambient))

# %% [markdown] solution-only
# **Why.** Each output is $\sum_j V_{ij} (w_j \cdot x)^2$, a quadratic form in three variables;
# there are $\binom{4}{2} = 6$ monomials of degree two, so each output has 6 coefficients and
# the pair has 12. The 10 weights minus one rescaling per hidden neuron leave at most 8
# directions: the neuromanifold is a small subset of its ambient space.

# %% [markdown]
# ## Exercise 01.2: the equation of the cone
#
# One hidden neuron, widths $(2, 1, 1)$: the network computes $f = v\,(p x + q y)^2$ with
# weights $p, q$ (hidden layer) and $v$ (output). Its coefficients $(a, b, c)$ are polynomials
# in $p, q, v$, and they satisfy one polynomial equation whatever the weights are: that
# equation cuts out the neuromanifold (the cone of notebook 01).
#
# **Find that equation with sympy**, as a polynomial in the symbols `a, b, c` (an equation
# such as `"b^2 = 4*a*c"` or `sympy.Eq(...)` is accepted too), and store it in `cone`.
#
# <!-- hints -->

# %%
a, b, c, p, q, v, x, y = sympy.symbols("a b c p q v x y")
f = sympy.expand(v * (p * x + q * y) ** 2)
f

# %%
# BEGIN SOLUTION
coeffs = sympy.Poly(f, x, y)
equations = [a - coeffs.coeff_monomial(x**2), b - coeffs.coeff_monomial(x * y),
             c - coeffs.coeff_monomial(y**2)]
basis = sympy.groebner(equations, v, p, q, a, b, c, order="lex")  # eliminate v, p, q
cone = [g for g in basis.exprs if g.free_symbols <= {a, b, c}][0]
# END SOLUTION
check(cone)

# %% [markdown] solution-only
# **Why.** A lexicographic Gröbner basis with $v, p, q$ first puts the elements free of
# $v, p, q$ at the end; they generate all polynomial relations among $a, b, c$. Here there is
# one, $4ac - b^2$: the discriminant of the quadratic form. You can check it by hand:
# $b^2 = 4 v^2 p^2 q^2 = 4 (v p^2)(v q^2) = 4ac$.

# %% [markdown]
# ## Exercise 01.3: on the real neuromanifold or not?
#
# Which of these forms does the real $(2, 1, 1)$ network compute (for some real $p, q, v$)?
#
# 1. $x^2 - 6xy + 9y^2$
# 2. $-2x^2 + 4xy - 2y^2$
# 3. $x^2 - y^2$
# 4. $x^2 + y^2$
# 5. the zero form $0$
#
# Store five truth values, in this order, in the list `computed` (`True` for "computed"; `1`
# and `0` are read as `True` and `False`).
#
# <!-- hints -->

# %%
forms = [(1, -6, 9), (-2, 4, -2), (1, 0, -1), (1, 0, 1), (0, 0, 0)]

# %%
# BEGIN SOLUTION
computed = [b_ ** 2 == 4 * a_ * c_ for a_, b_, c_ in forms]
# END SOLUTION
check(computed)

# %% [markdown] solution-only
# **Why.** Over the reals the cone $b^2 = 4ac$ is exactly the set of forms $v\,\ell^2$: if
# $b^2 = 4ac$ then $a$ and $c$ have the same sign (or vanish), and
# $v = \pm 1$, $p = \sqrt{|a|}$, $q = \pm\sqrt{|c|}$ work. So forms 1, 2 and 5 are computed
# (form 2 needs $v < 0$); $x^2 - y^2 = (x - y)(x + y)$ and $x^2 + y^2$ are not. Both are reached
# with *two* hidden neurons, which fill all of $\mathbb{R}^3$.

# %% [markdown]
# ## Exercise 01.4: a fiber
#
# The tiny linear network $f(x) = w_2 w_1 x$ has two parameters. Its **fiber** over a function
# is the set of all parameters computing that function.
#
# **Describe the fiber over $f(x) = 3x$ by one equation in `w1, w2`**, and store the
# polynomial or the equation in `fiber` (any equivalent form is accepted: `"w2 = 3/w1"`,
# `sympy.Eq(w1*w2, 3)`, `w1*w2 - 3`, ...).
#
# <!-- hints -->

# %%
w1, w2 = sympy.symbols("w1 w2")

# %%
# BEGIN SOLUTION
fiber = sympy.Eq(w1 * w2, 3)
# END SOLUTION
check(fiber)

# %% [markdown] solution-only
# **Why.** $w_2 w_1 x = 3x$ for all $x$ exactly when $w_1 w_2 = 3$. The fiber is a hyperbola
# with two branches, exchanged by $(w_1, w_2) \mapsto (-w_1, -w_2)$; along a branch the
# parameters change by the rescaling $(t w_1, w_2/t)$. Equivalent equations describe the same
# set: `w2 = 3/w1` loses no point, since $w_1 = 0$ is not on the fiber. The fiber over $0$ is
# different: the two axes, crossing at $w = 0$, a singular point of that fiber and a critical
# point of the parameterization (its differential vanishes), while the function space, the
# line of slopes, is smooth everywhere.

# %% [markdown]
# ## Exercise 01.5: where does gradient descent go?
#
# Fit the same network to the target slope 2 with the loss $L(w_1, w_2) = (w_1 w_2 - 2)^2$.
# Run gradient descent $w \leftarrow w - \eta\,\nabla L(w)$ with learning rate $\eta = 0.05$
# from $w = (1, -1)$ until it stops moving.
#
# **Predict first, then compute: where does it end?** Store the limit point as a pair (or an
# array of two numbers) in `limit`.
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
w = np.array([1.0, -1.0])
for _ in range(2000):
    grad = 2 * (w[0] * w[1] - 2) * np.array([w[1], w[0]])
    w = w - 0.05 * grad
limit = w
# END SOLUTION
check(limit)

# %% [markdown] solution-only
# **Why.** On the line $w_1 = -w_2$ the gradient $2(w_1 w_2 - 2)(w_2, w_1)$ points along the
# line itself, and since $w_1 w_2 = -w_1^2 < 2$ each step multiplies $w$ by
# $1 - 0.1\,(w_1^2 + 2) < 1$: the iterates shrink to the saddle $w = 0$. In function space the
# loss $(c - 2)^2$ has no critical point at $c = 0$; the saddle comes from the
# parameterization, where $d(w_1 w_2)$ vanishes. Try `LossLandscapeExplorer` in notebook 01
# with other starts.

# %% [markdown]
# ## Exercise 01.6 (challenge): deciding real reachability for $(2, 2, 2)$
#
# The network with widths $(2, 2, 2)$ and $\sigma(z) = z^2$ computes pairs
# $(f_1, f_2) = (V_{11}\ell_1^2 + V_{12}\ell_2^2,\ V_{21}\ell_1^2 + V_{22}\ell_2^2)$ of binary
# quadratic forms, where $\ell_1, \ell_2$ are the hidden neurons' linear forms. Its dimension
# is 6, the ambient dimension, yet notebook 01 showed that $(x^2 - y^2, xy)$ is not computed.
#
# **Write a function `reached(f1, f2)`** that takes two coefficient triples and returns `True`
# exactly when some real network computes the pair. The check tries it on a list of pairs
# (with exact integer coefficients), including boundary cases.
#
# <!-- hints -->

# %%
def reached(f1, f2):
    """Whether the real (2, 2, 2) network with sigma = z^2 computes (f1, f2)."""
    # BEGIN SOLUTION
    # STUB: return ...  # your answer here
    n = np.cross(f1, f2)  # normal of the plane <f1, f2>; the Jacobian is 2(n3 x^2 - 2 n2 xy + n1 y^2)
    if not np.any(n):
        return True  # proportional forms: one output of width two reaches every form
    return bool(n[1] ** 2 > n[0] * n[2])  # the Jacobian has two distinct real roots
    # END SOLUTION
check(reached)

# %% [markdown] solution-only
# **Why.** If $f_1, f_2$ span a plane, a square $\ell^2$ lies in it exactly when $\ell$ divides
# the Jacobian $J = \det\partial(f_1, f_2)/\partial(x, y)$, a binary quadratic form. The pair is
# computed when the plane contains two different real squares, i.e. when $J$ has two distinct
# real roots. For $(x^2 - y^2, xy)$, $J = 2x^2 + 2y^2$ has none. `nagviz.neuromanifolds.reachability_222`
# does the same and also returns the weights of a network computing the pair.

# %% [markdown]
# ## Summary
#
# - A network's ambient space is spanned by the monomials its outputs can contain; its
#   neuromanifold is the set of functions it computes, usually much smaller.
# - Small neuromanifolds have explicit equations: $(2, 1, 1)$ is the cone $b^2 = 4ac$.
# - Over the reals, equations are not the whole story: the $(2, 2, 2)$ network fills its
#   ambient space, but an inequality (a discriminant) decides what is computed.
# - Fibers collect the parameters of one function; where the parameterization drops rank
#   (at $w = 0$ for $w_2 w_1 x$), gradient descent can stall although the function-space loss
#   is convex.
#
# *Dictionary entries:* dimension vs. parameter count and ambient dimension (expressivity);
# fibers (identifiability); critical points of the parameterization vs. of the loss
# (optimization).
