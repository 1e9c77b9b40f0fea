"""Coefficient models: ``theta -> (c(theta), dc/dtheta)`` for a batch of parameter vectors.

Shared internals of :mod:`nagviz.optimization`, :mod:`nagviz.best_approximation`,
:mod:`nagviz.tangent_space` and the loss of :mod:`nagviz._fitting`: the coefficient
vector ``c(theta)`` of ``f_theta`` and its exact Jacobian, for MLPs (a fast exact kernel
for shallow networks without biases, the general FFT route otherwise) and CNNs. The
model interface of issue 9 replaces this module.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .architecture import Architecture
from .cnn import CNNArchitecture, _cnn_jacobian, _grid, _values_to_coefficients, cnn_coefficients
from .dimension import _Floats, _jacobian
from .parameterization import coefficients as _mlp_coefficients
from .units import hidden_units


class _Model:
    """``theta -> (c(theta), dc/dtheta)`` for a batch of parameter vectors."""

    def __init__(self, arch):
        self.arch = arch
        self.n_parameters = arch.n_parameters
        self.ambient_dimension = arch.ambient_dimension
        self.units = hidden_units(arch)
        act = arch.activation
        self.activation_coefficients = np.array([float(c) for c in act.coefficients])
        deg = 1
        for _ in range(arch.depth - 1):
            deg = act.degree * deg + 1
        #: degree of the coefficients as polynomials in the parameters
        self.parameter_degree = deg
        self._kernel = None
        self._tie = None
        if isinstance(arch, Architecture) and arch.depth == 2 and not arch.bias:
            self._kernel = _ShallowKernel(arch.widths[0], arch.widths[1], arch.widths[2],
                                          self.activation_coefficients, arch.monomials())
        elif isinstance(arch, CNNArchitecture) and arch.depth == 2:
            # a two-layer CNN is a shallow MLP whose weights are tied along shifts
            k1, k2 = arch.filter_sizes
            n, m = arch.input_length, arch.output_length
            hidden = arch.layer_lengths[1]
            E = np.zeros((hidden * n + m * hidden, k1 + k2))
            for j in range(hidden):
                for a in range(k1):
                    E[j * n + j + a, a] = 1.0
            for o in range(m):
                for b in range(k2):
                    E[hidden * n + o * hidden + o + b, k1 + b] = 1.0
            self._tie = E
            self._kernel = _ShallowKernel(n, hidden, m, self.activation_coefficients,
                                          arch.monomials())

    # the generic route: backpropagation at roots of unity, then an FFT
    def _generic(self, theta):
        arch, B = self.arch, theta.shape[0]
        n = arch.input_length if isinstance(arch, CNNArchitecture) else arch.widths[0]
        D = arch.output_degree
        grid = _grid(n, D)
        Xb = np.broadcast_to(grid, (B,) + grid.shape)
        thc = theta.astype(complex)
        if isinstance(arch, CNNArchitecture):
            m = arch.output_length
            J = _cnn_jacobian(arch, thc, Xb, _Floats(arch.activation))
            vals = _cnn_jacobian(arch, thc, Xb, _Floats(arch.activation), values_only=True)
        else:
            m = arch.widths[-1]
            J = _jacobian(arch, thc, Xb, _Floats(arch.activation))
            from .parameterization import evaluate

            vals = evaluate(arch, thc, grid)
        N = grid.shape[0]
        stacked = np.concatenate([vals.reshape(B, N, m, 1), J.reshape(B, N, m, -1)], axis=-1)
        C = _values_to_coefficients(stacked.reshape(B, N, -1), n, D, arch.monomials())
        C = C.reshape(B, m, 1 + self.n_parameters, -1).real  # (B, m, 1 + P, M)
        c = C[:, :, 0, :].reshape(B, -1)
        Jc = np.moveaxis(C[:, :, 1:, :], -1, -2).reshape(B, -1, self.n_parameters)
        return c, Jc

    def coefficients(self, theta):
        """(B, ambient) coefficient vectors (complex parameters allowed)."""
        theta = np.asarray(theta)
        if self._kernel is not None:
            return self._kernel.coefficients(self._expand(theta))
        B = theta.shape[0]
        if isinstance(self.arch, CNNArchitecture):
            return cnn_coefficients(self.arch, theta).reshape(B, -1)
        return _mlp_coefficients(self.arch, theta).reshape(B, -1)

    def coefficients_and_jacobian(self, theta):
        """``(c, J)`` with shapes (B, ambient) and (B, ambient, P)."""
        theta = np.asarray(theta, dtype=float)
        if self._kernel is None:
            return self._generic(theta)
        c, J = self._kernel.coefficients_and_jacobian(self._expand(theta))
        if self._tie is not None:
            J = J @ self._tie
        return c, J

    def loss_gradient(self, theta, A, b):
        """``(L, grad L)`` for ``L = ||A c(theta) - b||^2``, batched."""
        theta = np.asarray(theta, dtype=float)
        if self._kernel is not None:
            L, g = self._kernel.loss_gradient(self._expand(theta), A, b)
            return L, (g if self._tie is None else g @ self._tie)
        c, J = self._generic(theta)
        r = c @ A.T - b
        return np.einsum("bm,bm->b", r, r), 2.0 * np.einsum("bmp,bm->bp", J, r @ A)

    def _expand(self, theta):
        return theta if self._tie is None else theta @ self._tie.T


class _ShallowKernel:
    """Exact coefficients of ``V sigma(W x)`` and their derivatives, from monomial powers.

    ``c[o, e] = sum_j V[o, j] K[e] prod_i W[j, i]^e_i`` with ``K[e] = a_|e| multinomial(e)``,
    and ``d/dW[j, i] prod_i' W[j, i']^e_i' = e_i * (the monomial e - unit_i)``.
    """

    def __init__(self, d0, d1, d2, act, monomials):
        from .architecture import monomial_exponents

        self.d0, self.d1, self.d2 = d0, d1, d2
        E = np.array(monomials, dtype=int)  # (M, d0)
        self.E = E
        deg = E.sum(axis=1)
        mult = np.array([math.factorial(int(s)) / math.prod(math.factorial(int(x)) for x in e)
                         for s, e in zip(deg, E)])
        self.K = act[deg] * mult  # (M,)
        self.max_exp = int(E.max()) if E.size else 0
        low = sorted({s - 1 for s in deg.tolist() if s >= 1})
        E_low = [e for s in low for e in monomial_exponents(d0, s)] or [(0,) * d0]
        index = {tuple(e): k for k, e in enumerate(E_low)}
        self.E_low = np.array(E_low, dtype=int)
        self.low = np.zeros(E.shape, dtype=int)  # low[e, i] = index of e - unit_i
        for m, e in enumerate(E):
            for i in range(d0):
                if e[i] > 0:
                    f = e.copy()
                    f[i] -= 1
                    self.low[m, i] = index[tuple(f)]
        self.EK = E * self.K[:, None]  # (M, d0)

    def _split(self, theta):
        B = theta.shape[0]
        W = theta[:, :self.d0 * self.d1].reshape(B, self.d1, self.d0)
        V = theta[:, self.d0 * self.d1:].reshape(B, self.d2, self.d1)
        return W, V

    def _powers(self, W):
        pw = np.ones(W.shape + (self.max_exp + 1,), dtype=W.dtype)
        for k in range(1, self.max_exp + 1):
            pw[..., k] = pw[..., k - 1] * W
        return pw

    @staticmethod
    def _monomials(pw, E):
        # out[b, j, e] = prod_i W[b, j, i]^E[e, i]
        out = pw[:, :, 0, E[:, 0]]
        for i in range(1, E.shape[1]):
            out = out * pw[:, :, i, E[:, i]]
        return out

    def coefficients(self, theta):
        W, V = self._split(theta)
        P = self._monomials(self._powers(W), self.E)
        return (V @ (P * self.K)).reshape(theta.shape[0], -1)

    def _dmonomials(self, pw):
        # dP[b, j, e, i] = K[e] * d/dW[j, i] of the monomial e
        return self._monomials(pw, self.E_low)[:, :, self.low] * self.EK

    def coefficients_and_jacobian(self, theta):
        B = theta.shape[0]
        W, V = self._split(theta)
        pw = self._powers(W)
        PK = self._monomials(pw, self.E) * self.K  # (B, d1, M)
        c = (V @ PK).reshape(B, -1)
        dP = self._dmonomials(pw)  # (B, d1, M, d0)
        M = self.E.shape[0]
        dW = np.einsum("boj,bjmi->bomji", V, dP).reshape(B, self.d2 * M, -1)
        dV = np.einsum("op,bjm->bomp j".replace(" ", ""), np.eye(self.d2), PK)
        J = np.concatenate([dW, dV.reshape(B, self.d2 * M, -1)], axis=-1)
        return c, J

    def loss_gradient(self, theta, A, b):
        """Loss ``||A c - b||^2`` and its gradient, without forming the Jacobian."""
        B = theta.shape[0]
        W, V = self._split(theta)
        pw = self._powers(W)
        PK = self._monomials(pw, self.E) * self.K
        c = (V @ PK).reshape(B, -1)
        r = c @ A.T - b
        s = (r @ A).reshape(B, self.d2, -1)  # A^T r
        gV = np.einsum("bom,bjm->boj", s, PK)
        u = np.einsum("boj,bom->bjm", V, s)
        gW = np.einsum("bjm,bjmi->bji", u, self._dmonomials(pw))
        g = 2.0 * np.concatenate([gW.reshape(B, -1), gV.reshape(B, -1)], axis=1)
        return np.einsum("bm,bm->b", r, r), g


@lru_cache(maxsize=64)
def _model(arch) -> _Model:
    return _Model(arch)
