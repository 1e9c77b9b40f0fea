"""Lightning (linear) self-attention: a cubic layer, as a :class:`nagviz.model.Model`.

A lightning self-attention layer with token dimension ``d`` and attention dimension
``a`` has a query and a key matrix ``Q, K`` (``a x d``) and a value matrix ``V``
(``d x d``). On ``T`` tokens ``x_1, ..., x_T`` in ``R^d`` it computes

    ``out_i = sum_j <Q x_i, K x_j> V x_j``,

the softmax of ordinary attention replaced by nothing at all. Each output coordinate is a
cubic form in the ``T d`` input coordinates, and trilinear in ``(Q, K, V)``; ``l``
layers stacked give forms of degree ``3^l``.

Symmetries (each leaves every function unchanged):

* ``Q -> A Q``, ``K -> A^{-T} K`` for ``A`` in ``GL(a)``: only ``Q^T K`` matters, a
  ``d x d`` matrix of rank at most ``a``, a variety of dimension ``a(2d - a)`` when
  ``a <= d``;
* ``Q -> t Q``, ``V -> V / t``: one rescaling per layer;
* between two layers, ``V_k -> B V_k`` and ``Q_{k+1}, K_{k+1}, V_{k+1} -> (.) B^{-1}``
  for ``B`` in ``GL(d)``.

Subtracting them from the ``l (2 a d + d^2)`` parameters gives the expected dimension
``l (a(2d - a) + d^2) - (l - 1) d^2 - l``; with enough tokens it is the true dimension
(checked by :func:`nagviz.dimension`). With too few tokens the function space is
smaller: a single token only sees the symmetric part of ``Q^T K``.

Pure mathematics: no plotting or widget imports.

Examples
--------
>>> import nagviz
>>> m = LightningAttention(layers=1, token_dim=3, attention_dim=2, tokens=3)
>>> m.n_parameters, m.expected_dimension, nagviz.dimension(m).dimension
(21, 16, 16)
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .activation import Activation
from .architecture import InvalidArchitectureError
from .model import Model

__all__ = ["LightningAttention", "attention_dimension_formula"]


def _positive_int(name, value, largest):
    if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)) or value < 1:
        raise InvalidArchitectureError(f"{name} must be a positive integer, got {value!r}")
    if value > largest:
        raise InvalidArchitectureError(f"{name} must be at most {largest}, got {value}")
    return int(value)


def attention_dimension_formula(layers: int, token_dim: int, attention_dim: int) -> int:
    """``l (a(2d - a) + d^2) - (l - 1) d^2 - l``: parameters minus the known symmetries.

    For ``a > d`` the rank bound on ``Q^T K`` is void and ``a`` counts as ``d``.

    Examples
    --------
    >>> attention_dimension_formula(1, 3, 2), attention_dimension_formula(2, 3, 2)
    (16, 23)
    """
    l, d = int(layers), int(token_dim)
    a = min(int(attention_dim), d)
    return l * (a * (2 * d - a) + d * d) - (l - 1) * d * d - l


@dataclass(frozen=True, init=False)
class LightningAttention(Model):
    """``l`` stacked lightning self-attention layers on ``T`` tokens of dimension ``d``.

    Parameters
    ----------
    layers : int
        The number ``l`` of layers.
    token_dim : int
        The token dimension ``d``.
    attention_dim : int
        The attention dimension ``a`` (rows of ``Q`` and ``K``).
    tokens : int, optional
        The number ``T`` of tokens; default ``d + 1``.

    Examples
    --------
    >>> m = LightningAttention(2, 3, 2, tokens=4)
    >>> m
    LightningAttention(layers=2, token_dim=3, attention_dim=2, tokens=4)
    >>> m.n_parameters, m.symmetry_dimension, m.output_degree
    (42, 19, 9)
    """

    layers: int
    token_dim: int
    attention_dim: int
    tokens: int

    def __init__(self, layers, token_dim, attention_dim, tokens=None):
        l = _positive_int("layers", layers, 6)
        d = _positive_int("token_dim", token_dim, 64)
        a = _positive_int("attention_dim", attention_dim, 64)
        T = d + 1 if tokens is None else _positive_int("tokens", tokens, 256)
        object.__setattr__(self, "layers", l)
        object.__setattr__(self, "token_dim", d)
        object.__setattr__(self, "attention_dim", a)
        object.__setattr__(self, "tokens", T)

    def __repr__(self) -> str:
        return (f"LightningAttention(layers={self.layers}, token_dim={self.token_dim}, "
                f"attention_dim={self.attention_dim}, tokens={self.tokens})")

    @property
    def activation(self) -> Activation:
        """No activation: the layer is cubic by itself (``z``, for the arithmetics)."""
        return Activation.monomial(1)

    @property
    def is_linear(self) -> bool:
        return False

    # -- the model contract (see nagviz.model) -------------------------------------------
    @property
    def n_parameters(self) -> int:
        """``l (2 a d + d^2)``."""
        d, a = self.token_dim, self.attention_dim
        return self.layers * (2 * a * d + d * d)

    @property
    def input_dimension(self) -> int:
        """``T d``: all tokens, one after the other."""
        return self.tokens * self.token_dim

    @property
    def output_dimension(self) -> int:
        return self.tokens * self.token_dim

    @property
    def output_degrees(self) -> tuple[int, ...]:
        return (3 ** self.layers,)

    @property
    def parameter_degree(self) -> int:
        """Degree of the output coefficients in the parameters: ``3 + 3 (previous)``."""
        deg = 0
        for _ in range(self.layers):
            deg = 3 + 3 * deg
        return deg

    @property
    def symmetry_dimension(self) -> int:
        """``l (2 a d - a'(2d - a') + 1) + (l - 1) d^2`` with ``a' = min(a, d)``
        (``l (a^2 + 1) + (l - 1) d^2`` when ``a <= d``)."""
        return self.n_parameters - attention_dimension_formula(
            self.layers, self.token_dim, self.attention_dim)

    @property
    def parameter_shapes(self) -> tuple:
        """``Q1 (a, d), K1 (a, d), V1 (d, d), Q2, ...``."""
        d, a = self.token_dim, self.attention_dim
        out = []
        for k in range(1, self.layers + 1):
            out += [(f"Q{k}", (a, d)), (f"K{k}", (a, d)), (f"V{k}", (d, d))]
        return tuple(out)

    @property
    def evaluation_cost(self) -> int:
        d, a, T = self.token_dim, self.attention_dim, self.tokens
        return self.layers * (T * (2 * a * d + d * d) + T * T * (a + d))

    def describe(self) -> str:
        """``"lightning attention, 1 layer, d = 3, a = 2, 3 tokens"``."""
        return (f"lightning attention, {self.layers} layer{'s' if self.layers > 1 else ''}, "
                f"d = {self.token_dim}, a = {self.attention_dim}, {self.tokens} "
                f"token{'s' if self.tokens > 1 else ''}")

    def identity(self) -> dict:
        return {"layers": self.layers, "token_dim": self.token_dim,
                "attention_dim": self.attention_dim, "tokens": self.tokens,
                "activation": "lightning attention"}

    def forward(self, theta, X, ops):
        """``out_i = sum_j <Q x_i, K x_j> V x_j``, layer after layer, in the arithmetic ``ops``.

        Examples
        --------
        >>> from nagviz._arithmetic import Floats
        >>> m = LightningAttention(1, 1, 1, tokens=2)      # q k v x_i (x_1^2 + x_2^2)
        >>> m.forward(np.array([[2.0, 3.0, 5.0]]), np.array([[[1.0, 2.0]]]), Floats(m.activation))
        array([[[150., 300.]]])
        """
        blocks = self.split(theta)
        T, d = self.tokens, self.token_dim
        h = X.reshape(X.shape[:-1] + (T, d))                  # (B, N, T, d)
        for k in range(1, self.layers + 1):
            q = ops.linear(h, blocks[f"Q{k}"][:, None])         # (B, N, T, a)
            key = ops.linear(h, blocks[f"K{k}"][:, None])
            v = ops.linear(h, blocks[f"V{k}"][:, None])         # (B, N, T, d)
            scores = ops.linear(q, key)                         # (B, N, T, T): <q_i, k_j>
            h = ops.sum(ops.mul(scores[..., None], v[..., None, :, :]), axis=-2)
        return h.reshape(h.shape[:-2] + (T * d,))

    def symmetry_directions(self, theta) -> np.ndarray:
        """Tangent vectors of the ``GL(a)``, rescaling and inter-layer ``GL(d)`` orbits.

        Examples
        --------
        >>> m = LightningAttention(1, 2, 1)
        >>> m.symmetry_directions(np.arange(1.0, 9.0)).tolist()   # Q -> tQ, K -> K/t; Q -> tQ, V -> V/t
        [[1.0, 2.0, -3.0, -4.0, 0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 0.0, 0.0, -5.0, -6.0, -7.0, -8.0]]
        """
        theta = np.asarray(theta, dtype=float)
        blocks = self.split(theta)
        offsets, pos = {}, 0
        for name, shape in self.parameter_shapes:
            offsets[name] = pos
            pos += int(np.prod(shape))
        a, d = self.attention_dim, self.token_dim

        def vector(**changes):
            v = np.zeros(self.n_parameters)
            for name, delta in changes.items():
                v[offsets[name]:offsets[name] + delta.size] = delta.ravel()
            return v

        out = []
        for k in range(1, self.layers + 1):
            Q, K, V = blocks[f"Q{k}"], blocks[f"K{k}"], blocks[f"V{k}"]
            for p in range(a):
                for q in range(a):
                    E = np.zeros((a, a))
                    E[p, q] = 1.0
                    out.append(vector(**{f"Q{k}": E @ Q, f"K{k}": -E.T @ K}))
            out.append(vector(**{f"Q{k}": Q, f"V{k}": -V}))
        for k in range(1, self.layers):
            V, Q2, K2, V2 = (blocks[f"V{k}"], blocks[f"Q{k + 1}"], blocks[f"K{k + 1}"],
                             blocks[f"V{k + 1}"])
            for p in range(d):
                for q in range(d):
                    E = np.zeros((d, d))
                    E[p, q] = 1.0
                    out.append(vector(**{f"V{k}": E @ V, f"Q{k + 1}": -Q2 @ E,
                                         f"K{k + 1}": -K2 @ E, f"V{k + 1}": -V2 @ E}))
        return np.array(out).reshape(-1, self.n_parameters)
