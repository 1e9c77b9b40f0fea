# ---
# title: A tour of the exercise notebooks
# practises:
#   - counting the monomials that span the ambient space of a small network
#   - writing the function computed by a tiny network as a sympy expression
# topic: exercises/README.md
# prerequisites: a little Python; sympy symbols
# time: 5 minutes
# ---

# %% [markdown]
# ## Setup
#
# Run this cell first: it loads `check` and `hint`, and sympy for the second exercise.

# %%
import math

import sympy

from nagviz.exercises import check, hint

# %% [markdown]
# ## Exercise 00.1: counting quadratic monomials
#
# A network with widths $(3, d_1, 1)$, activation $\sigma(z) = z^2$ and no biases computes a
# *quadratic form* in the inputs $x, y, z$: a homogeneous polynomial of degree 2. All such
# polynomials form a vector space, spanned by the monomials of degree 2.
#
# **How many monomials of degree 2 in the three variables $x, y, z$ are there?**
# Store the number in `n_monomials` (an integer, or a Python expression that computes it).
#
# <!-- hints -->

# %%
# BEGIN SOLUTION
# Multisets of size 2 drawn from 3 variables: x^2, y^2, z^2, xy, xz, yz.
n_monomials = math.comb(2 + 3 - 1, 2)
# END SOLUTION
check(n_monomials)

# %% [markdown] solution-only
# **Why.** A monomial of degree $D$ in $n$ variables is a multiset of $D$ variables, and there
# are $\binom{n + D - 1}{D}$ of those; here $\binom{4}{2} = 6$. This is the ambient dimension
# $\binom{D + d_0 - 1}{d_0 - 1}$ of the network, for $d_0 = 3$ inputs and degree $D = 2$.

# %% [markdown]
# ## Exercise 00.2: the function of a one-neuron network
#
# Take widths $(2, 1, 1)$ and activation $\sigma(z) = z^2$. The hidden neuron has weights
# $(a, b)$ and the output neuron has weight $c$; there are no biases.
#
# **Write the function $f(x, y)$ that this network computes** as a sympy expression in
# $a, b, c, x, y$, and store it in `f`. Expanded or not, both are fine; a string such as
# `"3*x^2 + x*y"` (with `^` or `**` for powers) is accepted too.
#
# <!-- hints -->

# %%
a, b, c, x, y = sympy.symbols("a b c x y")

# %%
# BEGIN SOLUTION
hidden = (a * x + b * y) ** 2
f = c * hidden
# END SOLUTION
check(f)

# %% [markdown] solution-only
# **Why.** The hidden neuron computes the linear form $ax + by$ and squares it; the output
# layer is linear and multiplies by $c$. Expanding gives
# $f = c a^2 x^2 + 2 c a b\, xy + c b^2 y^2$.

# %% [markdown]
# ## Summary
#
# - The outputs of a network with widths $(d_0, d_1, 1)$ and activation $z^2$ are quadratic
#   forms; their space (the ambient space) has dimension $\binom{d_0 + 1}{2}$.
# - Different parameters can give the same function: in Exercise 00.2, $(a, b, c)$ and
#   $(ta, tb, c/t^2)$ do. Counting such symmetries is how the dimension of a neuromanifold is
#   estimated.
#
# *Dictionary entry:* dimension vs. parameter count and ambient dimension (expressivity).
