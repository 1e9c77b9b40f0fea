"""The coefficient map ``theta -> c(theta)`` with its Jacobian, batched (shared internals).

Training, tangent ranks and critical points all need the point ``c(theta)`` of the
neuromanifold in the ambient space and the Jacobian ``dc/dtheta``, for a batch of
parameter vectors. :class:`CoefficientMap` computes them for any
:class:`nagviz.model.Model` from its forward pass (forward pass and forward-mode
Jacobian at complex roots of unity, then an FFT); families may hand out something
faster through :meth:`nagviz.model.Model.coefficient_map`, as the shallow MLP does
(:class:`ShallowKernel`: exact closed-form coefficients from monomial powers) and the
two-layer CNN (the same kernel with weights tied along shifts, :class:`TiedKernel`) and
the deep linear network (:class:`LinearKernel`: the matrix product and its derivatives).
"""

from __future__ import annotations

import math

import numpy as np

from ._arithmetic import Floats

__all__ = ["CoefficientMap", "LinearKernel", "ShallowKernel", "TiedKernel"]


class CoefficientMap:
    """``theta -> (c(theta), dc/dtheta)`` for a batch of parameter vectors, for any model."""

    def __init__(self, model):
        self.model = model
        self.n_parameters = model.n_parameters
        self.ambient_dimension = model.ambient_dimension

    def coefficients(self, theta) -> np.ndarray:
        """(B, ambient) coefficient vectors (complex parameters allowed; a diverged run's
        non-finite parameters give non-finite coefficients, not an error)."""
        from .parameterization import interpolation_grid, values_to_coefficients

        model = self.model
        theta = np.asarray(theta)
        grid = interpolation_grid(model)
        thc = theta.astype(complex)
        values = model.forward(thc, np.broadcast_to(grid, (theta.shape[0],) + grid.shape),
                               Floats(model.activation))
        out = values_to_coefficients(model, values).reshape(theta.shape[0], -1)
        return out if np.iscomplexobj(theta) else out.real

    def coefficients_and_jacobian(self, theta):
        """``(c, J)`` with shapes (B, ambient) and (B, ambient, P)."""
        from .parameterization import interpolation_grid, values_to_coefficients

        model = self.model
        theta = np.asarray(theta, dtype=float)
        B, P, m = theta.shape[0], self.n_parameters, model.output_dimension
        grid = interpolation_grid(model)
        N = grid.shape[0]
        thc = theta.astype(complex)
        Xb = np.broadcast_to(grid, (B,) + grid.shape)
        ops = Floats(model.activation)
        vals = model.forward(thc, Xb, ops).reshape(B, N, m, 1)
        J = model.jacobian(thc, Xb, ops).reshape(B, N, m, P)
        stacked = np.concatenate([vals, J], axis=-1).reshape(B, N, -1)
        C = values_to_coefficients(model, stacked).reshape(B, m, 1 + P, -1).real
        c = C[:, :, 0, :].reshape(B, -1)
        Jc = np.moveaxis(C[:, :, 1:, :], -1, -2).reshape(B, -1, P)
        return c, Jc

    def loss_gradient(self, theta, A, b):
        """``(L, grad L)`` for ``L = ||A c(theta) - b||^2``, batched."""
        c, J = self.coefficients_and_jacobian(theta)
        r = c @ A.T - b
        return np.einsum("bm,bm->b", r, r), 2.0 * np.einsum("bmp,bm->bp", J, r @ A)


class ShallowKernel:
    """Exact coefficients of ``V sigma(W x)`` and their derivatives, from monomial powers.

    ``c[o, e] = sum_j V[o, j] K[e] prod_i W[j, i]^e_i`` with ``K[e] = a_|e| multinomial(e)``,
    and ``d/dW[j, i] prod_i' W[j, i']^e_i' = e_i * (the monomial e - unit_i)``.
    """

    def __init__(self, d0, d1, d2, activation, monomials):
        from .architecture import monomial_exponents

        act = np.array([float(c) for c in activation.coefficients])
        self.d0, self.d1, self.d2 = d0, d1, d2
        self.n_parameters = d0 * d1 + d1 * d2
        E = np.array(monomials, dtype=int)  # (M, d0)
        self.E = E
        self.ambient_dimension = d2 * E.shape[0]
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
        theta = np.asarray(theta)
        W, V = self._split(theta)
        P = self._monomials(self._powers(W), self.E)
        return (V @ (P * self.K)).reshape(theta.shape[0], -1)

    def _dmonomials(self, pw):
        # dP[b, j, e, i] = K[e] * d/dW[j, i] of the monomial e
        return self._monomials(pw, self.E_low)[:, :, self.low] * self.EK

    def coefficients_and_jacobian(self, theta):
        theta = np.asarray(theta, dtype=float)
        B = theta.shape[0]
        W, V = self._split(theta)
        pw = self._powers(W)
        PK = self._monomials(pw, self.E) * self.K  # (B, d1, M)
        c = (V @ PK).reshape(B, -1)
        dP = self._dmonomials(pw)  # (B, d1, M, d0)
        M = self.E.shape[0]
        dW = np.einsum("boj,bjmi->bomji", V, dP).reshape(B, self.d2 * M, -1)
        dV = np.einsum("op,bjm->bompj", np.eye(self.d2), PK)
        J = np.concatenate([dW, dV.reshape(B, self.d2 * M, -1)], axis=-1)
        return c, J

    def loss_gradient(self, theta, A, b):
        """Loss ``||A c - b||^2`` and its gradient, without forming the Jacobian."""
        theta = np.asarray(theta, dtype=float)
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


class TiedKernel:
    """A :class:`ShallowKernel` whose weights are linear in fewer parameters: ``theta_full = E theta``.

    A two-layer CNN is a shallow MLP whose weights are shared along shifts.
    """

    def __init__(self, kernel: ShallowKernel, tie: np.ndarray):
        self.kernel, self.tie = kernel, tie
        self.n_parameters = tie.shape[1]
        self.ambient_dimension = kernel.ambient_dimension

    def _expand(self, theta):
        return np.asarray(theta) @ self.tie.T

    def coefficients(self, theta):
        return self.kernel.coefficients(self._expand(theta))

    def coefficients_and_jacobian(self, theta):
        c, J = self.kernel.coefficients_and_jacobian(self._expand(np.asarray(theta, dtype=float)))
        return c, J @ self.tie

    def loss_gradient(self, theta, A, b):
        L, g = self.kernel.loss_gradient(self._expand(np.asarray(theta, dtype=float)), A, b)
        return L, g @ self.tie


class LinearKernel:
    """Exact coefficients of a linear network without biases, ``sigma(z) = a z``: the matrix
    ``a^(L-1) W_L ... W_1`` (entry ``[o, i]`` is the coefficient of ``x_i`` in output ``o``).

    Derivatives by the product rule: ``dL/dW_l = (W_L ... W_{l+1})^T S (W_{l-1} ... W_1)^T``
    for ``S = dL/d(W_L ... W_1)``.
    """

    def __init__(self, shapes, scale: float = 1.0):
        self.shapes = tuple((int(r), int(c)) for r, c in shapes)
        self.scale = float(scale)
        self.n_parameters = sum(r * c for r, c in self.shapes)
        self.d_out, self.d_in = self.shapes[-1][0], self.shapes[0][1]
        self.ambient_dimension = self.d_out * self.d_in

    def _split(self, theta):
        B, pos, Ws = theta.shape[0], 0, []
        for r, c in self.shapes:
            Ws.append(theta[:, pos:pos + r * c].reshape(B, r, c))
            pos += r * c
        return Ws

    def _product(self, Ws):
        M = Ws[0]
        for W in Ws[1:]:
            M = W @ M
        return self.scale * M

    def coefficients(self, theta):
        theta = np.asarray(theta)
        return self._product(self._split(theta)).reshape(theta.shape[0], -1)

    def _pullback(self, Ws, S):
        """``(B, P)``: the gradient in the weights of ``<S, W_L ... W_1>`` (``S`` batched)."""
        L, B = len(Ws), S.shape[0]
        right, R = [], None                       # right[l] = W_{l-1} ... W_1
        for W in Ws:
            right.append(R)
            R = W if R is None else W @ R
        left, Lm = [None] * L, None               # left[l] = W_L ... W_{l+1}
        for l in reversed(range(L)):
            left[l] = Lm
            Lm = Ws[l] if Lm is None else Lm @ Ws[l]
        parts = []
        for l in range(L):
            G = S if left[l] is None else np.swapaxes(left[l], -1, -2) @ S
            G = G if right[l] is None else G @ np.swapaxes(right[l], -1, -2)
            parts.append(G.reshape(B, -1))
        return np.concatenate(parts, axis=1)

    def coefficients_and_jacobian(self, theta):
        theta = np.asarray(theta, dtype=float)
        B = theta.shape[0]
        Ws = self._split(theta)
        c = self._product(Ws).reshape(B, -1)
        J = np.empty((B, self.ambient_dimension, self.n_parameters))
        for k in range(self.ambient_dimension):
            S = np.zeros((B, self.d_out, self.d_in))
            S[:, k // self.d_in, k % self.d_in] = self.scale
            J[:, k, :] = self._pullback(Ws, S)
        return c, J

    def loss_gradient(self, theta, A, b):
        """Loss ``||A c - b||^2`` and its gradient, without forming the Jacobian."""
        theta = np.asarray(theta, dtype=float)
        B = theta.shape[0]
        Ws = self._split(theta)
        c = self._product(Ws).reshape(B, -1)
        r = c @ A.T - b
        S = (2.0 * self.scale) * (r @ A).reshape(B, self.d_out, self.d_in)
        return np.einsum("bm,bm->b", r, r), self._pullback(Ws, S)
