"""The :class:`Architecture` of a polynomial network and what can be counted from it.

A fully connected network with widths ``(d_0, ..., d_L)`` and activation ``sigma``
computes ``f(x) = W_L sigma(W_{L-1} sigma(... sigma(W_1 x + b_1) ...) + b_{L-1}) + b_L``
(biases optional). Its outputs are polynomials in ``d_0`` variables, so its function
space, the neuromanifold, lives in a finite-dimensional space of polynomial maps: the
*ambient space*. Everything here is counting; the true dimension needs the Jacobian
rank computed in :mod:`nagviz.dimension`.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .activation import Activation, InvalidActivationError

__all__ = ["Architecture", "InvalidArchitectureError", "monomial_exponents"]


class InvalidArchitectureError(ValueError):
    """Widths or options that do not describe a network; the message says how to fix them."""


def _parse_widths(widths) -> tuple[int, ...]:
    if isinstance(widths, str):
        text = widths.strip()
        parts = text.split(",")
        if not text or any(not part.strip() for part in parts):
            raise InvalidArchitectureError(
                f"widths {widths!r} have an empty entry; write them like '3,5,1'"
            )
        try:
            widths = [int(part) for part in parts]
        except ValueError:
            raise InvalidArchitectureError(
                f"widths {widths!r} must be whole numbers separated by commas, like '3,5,1'"
            ) from None
    try:
        widths = list(widths)
    except TypeError:
        raise InvalidArchitectureError(
            f"widths must be a sequence of positive integers like (3, 5, 1), got {widths!r}"
        ) from None
    out = []
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, (Integral, np.integer)):
            if isinstance(w, float) and w.is_integer():
                w = int(w)
            else:
                raise InvalidArchitectureError(
                    f"every width must be a positive integer, got {w!r} in {tuple(widths)}"
                )
        if w < 1:
            raise InvalidArchitectureError(
                f"every width must be at least 1, got {int(w)} in {tuple(int(v) for v in widths)};"
                " a layer needs at least one neuron"
            )
        out.append(int(w))
    if len(out) < 2:
        raise InvalidArchitectureError(
            f"a network needs an input and an output width, e.g. (3, 1); got {tuple(out)}"
        )
    return tuple(out)


def monomial_exponents(n_vars: int, degree: int) -> list[tuple[int, ...]]:
    """Exponent vectors of the monomials of one degree, in lexicographically decreasing order.

    This is the coordinate order used everywhere in nagviz: for binary quadratics
    ``a x^2 + b xy + c y^2`` the coordinates are ``(a, b, c)``.

    Examples
    --------
    >>> monomial_exponents(2, 2)
    [(2, 0), (1, 1), (0, 2)]
    >>> len(monomial_exponents(3, 4)) == math.comb(4 + 2, 2)
    True
    """
    if n_vars == 1:
        return [(degree,)]
    out = []
    for first in range(degree, -1, -1):
        for rest in monomial_exponents(n_vars - 1, degree - first):
            out.append((first,) + rest)
    return out


@dataclass(frozen=True, init=False)
class Architecture:
    """A fully connected polynomial network: widths, activation, biases.

    Parameters
    ----------
    widths : sequence of int or str
        ``(d_0, d_1, ..., d_L)``: input width, hidden widths, output width. A string
        such as ``"3,5,1"`` is accepted.
    activation : int, str or Activation, default 2
        An integer ``r`` means the monomial ``z^r`` (``r = 1``: a linear network); a
        string is a polynomial in ``z`` such as ``"z^3 + z^2"``.
    bias : bool, default False
        Whether every layer has a bias vector.

    Examples
    --------
    >>> a = Architecture((3, 2, 1), activation=2)
    >>> a
    Architecture(widths=(3, 2, 1), activation='z^2')
    >>> a.n_parameters, a.hidden_neurons, a.ambient_dimension, a.expected_dimension
    (8, 2, 6, 6)
    >>> Architecture((2, 2, 1), "z^3 + z^2").ambient_dimension
    7
    >>> Architecture((3, 1, 2), activation=1).expected_dimension   # 2x3 matrices of rank <= 1
    4
    >>> Architecture((3, 0, 1))
    Traceback (most recent call last):
    ...
    nagviz.architecture.InvalidArchitectureError: every width must be at least 1, got 0 in (3, 0, 1); a layer needs at least one neuron
    """

    widths: tuple[int, ...]
    activation: Activation
    bias: bool

    def __init__(self, widths, activation=2, bias: bool = False):
        if not isinstance(bias, (bool, np.bool_)):
            raise InvalidArchitectureError(f"bias must be True or False, got {bias!r}")
        try:
            act = Activation.coerce(activation)
        except InvalidActivationError as exc:
            raise InvalidArchitectureError(str(exc)) from None
        object.__setattr__(self, "widths", _parse_widths(widths))
        object.__setattr__(self, "activation", act)
        object.__setattr__(self, "bias", bool(bias))

    def __repr__(self) -> str:
        extra = ", bias=True" if self.bias else ""
        return f"Architecture(widths={self.widths}, activation={str(self.activation)!r}{extra})"

    def __str__(self) -> str:
        text = f"{','.join(map(str, self.widths))} with {self.activation}"
        return text + " and biases" if self.bias else text

    # -- counting ---------------------------------------------------------------
    @property
    def depth(self) -> int:
        """The number ``L`` of linear layers."""
        return len(self.widths) - 1

    @property
    def input_dimension(self) -> int:
        return self.widths[0]

    @property
    def output_dimension(self) -> int:
        return self.widths[-1]

    @property
    def layer_shapes(self) -> tuple[tuple[int, int], ...]:
        """Shapes ``(d_i, d_{i-1})`` of the weight matrices ``W_1, ..., W_L``."""
        return tuple((self.widths[i + 1], self.widths[i]) for i in range(self.depth))

    @property
    def n_parameters(self) -> int:
        """Number of weights (and biases): ``sum d_i d_{i-1}`` (``+ sum d_i``)."""
        n = sum(a * b for a, b in self.layer_shapes)
        return n + (sum(self.widths[1:]) if self.bias else 0)

    @property
    def hidden_neurons(self) -> int:
        """``d_1 + ... + d_{L-1}``: each carries a rescaling symmetry when ``sigma = z^r``."""
        return sum(self.widths[1:-1])

    @property
    def is_linear(self) -> bool:
        """Whether the activation has degree 1 (the network computes an affine map)."""
        return self.activation.degree == 1

    @property
    def output_degrees(self) -> tuple[int, ...]:
        """The degrees of the homogeneous parts an output polynomial can have.

        ``(r^(L-1),)`` for a monomial activation without biases; for a general
        activation or with biases, several degrees.

        Examples
        --------
        >>> Architecture((2, 2, 1), 2).output_degrees
        (2,)
        >>> Architecture((2, 2, 1), "z^3 + z^2").output_degrees
        (2, 3)
        >>> Architecture((2, 2, 1), 2, bias=True).output_degrees
        (0, 1, 2)
        """
        degrees = {0, 1} if self.bias else {1}
        exps = self.activation.exponents
        for _ in range(self.depth - 1):
            sums = {0: {0}}
            for k in range(1, max(exps) + 1):
                sums[k] = {a + b for a in sums[k - 1] for b in degrees}
            degrees = set().union(*(sums[k] for k in exps))
            if self.bias:
                degrees.add(0)
        return tuple(sorted(degrees))

    @property
    def output_degree(self) -> int:
        """The degree ``D`` of the output polynomials (``r^(L-1)`` for ``z^r``)."""
        return max(self.output_degrees)

    @property
    def monomials_per_output(self) -> int:
        """Dimension of the space of polynomials one output ranges over."""
        n = self.widths[0]
        return sum(math.comb(e + n - 1, n - 1) for e in self.output_degrees)

    def monomials(self) -> list[tuple[int, ...]]:
        """Exponent vectors of the monomials of one output, in nagviz's coordinate order.

        Degrees increase; within a degree the order of :func:`monomial_exponents`.

        Examples
        --------
        >>> Architecture((2, 1, 1), 2).monomials()
        [(2, 0), (1, 1), (0, 2)]
        """
        n = self.widths[0]
        out = []
        for e in self.output_degrees:
            out.extend(monomial_exponents(n, e))
        return out

    @property
    def ambient_dimension(self) -> int:
        """``d_L`` times the number of monomials an output can have.

        For ``sigma = z^r`` without biases this is ``d_L * binom(D + d_0 - 1, d_0 - 1)``.
        """
        return self.widths[-1] * self.monomials_per_output

    @property
    def expected_dimension(self) -> int:
        """The dimension the neurovariety would have if the only symmetries were the obvious ones.

        * ``sigma = z^r``, ``r >= 2``: ``min(#params - hidden neurons, ambient)`` (one
          rescaling per hidden neuron).
        * linear networks: the determinantal variety of ``d_L x d_0`` matrices of rank at
          most ``k = min(d_i)``, of dimension ``k (d_0 + d_L - k)``, plus ``d_L`` for the
          translation when there are biases. Here the symmetry group is
          ``GL(d_1) x ... x GL(d_{L-1})``, which does not act freely.
        * other polynomial activations: ``min(#params, ambient)`` (finite symmetries).

        It is always an upper bound for the true dimension.
        """
        if self.is_linear:
            k = min(self.widths)
            d0, dl = self.widths[0], self.widths[-1]
            affine = self.bias or self.activation.coefficients[0] != 0
            return min(k * (d0 + dl - k) + (dl if affine else 0), self.ambient_dimension)
        if self.activation.is_monomial:
            return min(self.n_parameters - self.hidden_neurons, self.ambient_dimension)
        return min(self.n_parameters, self.ambient_dimension)

    # -- parameters -------------------------------------------------------------
    def random_parameters(self, seed=None, scale: float = 1.0) -> np.ndarray:
        """A random parameter vector with i.i.d. Gaussian entries (``N(0, scale^2)``).

        The flat layout is: for each layer ``W_i`` row by row, then ``b_i`` if there are
        biases. :func:`nagviz.parameterization.unflatten` splits it.

        Examples
        --------
        >>> Architecture((2, 3, 1)).random_parameters(seed=0).shape
        (9,)
        """
        rng = np.random.default_rng(seed)
        return scale * rng.standard_normal(self.n_parameters)
