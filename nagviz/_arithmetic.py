"""The arithmetics a model's forward pass is written in (shared internals).

Every network family writes its forward pass once, against the small vocabulary of an
*arithmetic* object ``ops``:

``ops.add(a, b)``, ``ops.mul(a, b)``
    elementwise, with numpy broadcasting;
``ops.sum(a, axis)``
    a sum over one axis;
``ops.linear(H, W)``
    ``out[..., n, o] = sum_i H[..., n, i] W[..., o, i]`` (a batch of ``H @ W.T``);
``ops.activation(Z)``
    ``sigma(Z)``, elementwise;

plus ordinary numpy indexing, ``reshape`` and ``None`` axes on the arrays it is given.
Four arithmetics implement the vocabulary:

* :class:`Floats` -- real or complex floating point (evaluation, coefficients by FFT);
* :class:`Symbolic` -- exact arithmetic on numpy arrays of sympy objects (symbols or
  rationals: the output polynomials as expressions in the parameters);
* :class:`Residues` -- exact arithmetic in ``F_p`` with int64 residues reduced after
  every product (``p < 2^31.5``, so a product of two residues fits in int64);
* :class:`Duals` -- forward-mode differentiation over any base arithmetic: a value
  carries its derivative with respect to every parameter in a trailing axis, so the
  Jacobian of the forward pass comes out of the forward pass itself, exactly in
  ``F_p`` or in floating point.

This module is private: families and algorithms import it; readers use
:mod:`nagviz.model`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Floats", "Symbolic", "Residues", "Duals", "Dual"]


class Floats:
    """Ordinary floating-point (real or complex) arithmetic."""

    exact = False

    def __init__(self, activation):
        coeffs = [float(c) for c in activation.coefficients]
        self.sigma = coeffs
        self.dsigma = [k * c for k, c in enumerate(coeffs)][1:]

    dtype = float

    @staticmethod
    def add(a, b):
        return a + b

    @staticmethod
    def mul(a, b):
        return a * b

    @staticmethod
    def sum(a, axis):
        return a.sum(axis=axis)

    @staticmethod
    def linear(H, W):
        return H @ np.swapaxes(W, -1, -2)

    @staticmethod
    def poly(coeffs, Z):
        return np.polynomial.polynomial.polyval(Z, coeffs)

    def activation(self, Z):
        return self.poly(self.sigma, Z)

    def activation_derivative(self, Z):
        return self.poly(self.dsigma, Z)

    def constant(self, x):
        return np.asarray(x)


class Symbolic(Floats):
    """Exact arithmetic on numpy object arrays of sympy expressions (sympy is imported lazily)."""

    exact = True
    dtype = object

    def __init__(self, activation):
        import sympy

        self.sigma = [sympy.Rational(c.numerator, c.denominator) for c in activation.coefficients]
        self.dsigma = [k * c for k, c in enumerate(self.sigma)][1:]

    @staticmethod
    def poly(coeffs, Z):
        out = np.zeros_like(Z)
        power = np.ones_like(Z)
        for c in coeffs:
            if c != 0:
                out = out + c * power
            power = power * Z
        return out

    def constant(self, x):
        return np.asarray(x, dtype=object)


class Residues:
    """Arithmetic in ``F_p`` with int64 residues in ``[0, p)``, reduced after every product."""

    exact = True
    dtype = np.int64

    def __init__(self, activation, p: int):
        self.p = int(p)
        self.sigma = activation.integer_coefficients_mod(self.p)
        self.dsigma = tuple(k * c % self.p for k, c in enumerate(self.sigma))[1:]

    def add(self, a, b):
        return (a + b) % self.p

    def mul(self, a, b):
        return a * b % self.p

    def sum(self, a, axis):
        # residues are below 2^31.5, so up to 2^31 of them add up without overflow
        if a.shape[axis] < (1 << 31):
            return a.sum(axis=axis) % self.p
        raise ValueError("too many terms for an exact sum in int64")  # pragma: no cover

    def linear(self, H, W):
        # one column at a time: each product is below p^2 < 2^63, so nothing overflows
        shape = np.broadcast_shapes(H.shape[:-1], W.shape[:-2] + (1,)) + W.shape[-2:-1]
        out = np.zeros(shape, dtype=np.int64)
        for k in range(W.shape[-1]):
            out += H[..., k, None] * W[..., None, :, k]
            out %= self.p
        return out

    def poly(self, coeffs, Z):
        acc = np.full(Z.shape, coeffs[-1] if coeffs else 0, dtype=np.int64)
        for c in reversed(coeffs[:-1]):
            acc = (acc * Z + c) % self.p
        return acc

    def activation(self, Z):
        return self.poly(self.sigma, Z)

    def activation_derivative(self, Z):
        return self.poly(self.dsigma, Z)

    def constant(self, x):
        return np.asarray(x, dtype=np.int64) % self.p


class Dual:
    """A value with its derivatives: ``value`` of shape ``S``, ``tangent`` of shape ``S + (P,)``.

    ``tangent is None`` means a constant (all derivatives zero). Indexing, ``reshape``,
    ``shape`` and ``ndim`` act on the value and carry the tangent along.
    """

    __slots__ = ("value", "tangent")

    def __init__(self, value, tangent=None):
        self.value = value
        self.tangent = tangent

    @property
    def shape(self):
        return self.value.shape

    @property
    def ndim(self):
        return self.value.ndim

    def __getitem__(self, index):
        if self.tangent is None:
            return Dual(self.value[index])
        idx = index if isinstance(index, tuple) else (index,)
        # the derivative axis is last: an Ellipsis must not swallow it
        tidx = idx + (slice(None),) if any(i is Ellipsis for i in idx) else idx
        return Dual(self.value[index], self.tangent[tidx])

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], tuple):
            shape = shape[0]
        value = self.value.reshape(shape)
        if self.tangent is None:
            return Dual(value)
        return Dual(value, self.tangent.reshape(value.shape + self.tangent.shape[-1:]))


def _moveaxis_last_to(t, position):
    return np.moveaxis(t, -1, position)


class Duals:
    """Forward-mode differentiation on top of a base arithmetic (:class:`Floats` or :class:`Residues`).

    Values are :class:`Dual`; the derivative with respect to every parameter rides in
    a trailing axis. Each primitive applies the product rule with the base arithmetic,
    so the derivatives are exact whenever the base is.
    """

    def __init__(self, base):
        self.base = base
        self.exact = base.exact
        self.dtype = base.dtype

    @staticmethod
    def lift(x):
        return x if isinstance(x, Dual) else Dual(np.asarray(x))

    def _plus(self, s, t):
        if s is None:
            return t
        if t is None:
            return s
        return self.base.add(s, t)

    def add(self, a, b):
        a, b = self.lift(a), self.lift(b)
        value = self.base.add(a.value, b.value)
        tangent = None
        if a.tangent is not None or b.tangent is not None:
            full = value.shape + (a.tangent if a.tangent is not None else b.tangent).shape[-1:]
            ta = None if a.tangent is None else np.broadcast_to(a.tangent, full)
            tb = None if b.tangent is None else np.broadcast_to(b.tangent, full)
            tangent = self._plus(ta, tb)
            if tangent is ta or tangent is tb:
                tangent = np.array(tangent)
        return Dual(value, tangent)

    def mul(self, a, b):
        a, b = self.lift(a), self.lift(b)
        mul = self.base.mul
        value = mul(a.value, b.value)
        ta = None if a.tangent is None else mul(b.value[..., None], a.tangent)
        tb = None if b.tangent is None else mul(a.value[..., None], b.tangent)
        tangent = self._plus(ta, tb)
        if tangent is not None:
            tangent = np.broadcast_to(tangent, value.shape + tangent.shape[-1:])
        return Dual(value, tangent)

    def sum(self, a, axis):
        a = self.lift(a)
        axis = axis if axis >= 0 else a.value.ndim + axis
        value = self.base.sum(a.value, axis)
        tangent = None if a.tangent is None else self.base.sum(a.tangent, axis)
        return Dual(value, tangent)

    def linear(self, H, W):
        H, W = self.lift(H), self.lift(W)
        lin = self.base.linear
        value = lin(H.value, W.value)
        parts = []
        if H.tangent is not None:  # sum_i dH[..., n, i, :] W[..., o, i]
            dH = _moveaxis_last_to(H.tangent, -3)                      # (..., P, n, i)
            parts.append(np.moveaxis(lin(dH, W.value[..., None, :, :]), -3, -1))
        if W.tangent is not None:  # sum_i H[..., n, i] dW[..., o, i, :]
            dW = _moveaxis_last_to(W.tangent, -3)                      # (..., P, o, i)
            parts.append(np.moveaxis(lin(H.value[..., None, :, :], dW), -3, -1))
        tangent = None
        for part in parts:
            tangent = self._plus(tangent, part)
        if tangent is not None:
            tangent = np.broadcast_to(tangent, value.shape + tangent.shape[-1:])
        return Dual(value, tangent)

    def activation(self, Z):
        Z = self.lift(Z)
        value = self.base.activation(Z.value)
        if Z.tangent is None:
            return Dual(value)
        slope = self.base.activation_derivative(Z.value)
        return Dual(value, self.base.mul(slope[..., None], Z.tangent))

    def constant(self, x):
        return Dual(self.base.constant(x))

    def seed(self, theta):
        """``theta`` of shape (T, P) as a :class:`Dual` whose tangent is the identity."""
        theta = np.asarray(theta)
        P = theta.shape[-1]
        eye = np.eye(P, dtype=self.base.dtype if self.base.exact else theta.dtype)
        return Dual(theta, np.broadcast_to(eye, theta.shape + (P,)).copy())
