"""One-dimensional polynomial convolutional networks (stride one, one channel).

A :class:`CNNArchitecture` with filter sizes ``(k_1, ..., k_L)`` maps a signal
``x = (x_1, ..., x_n)`` through ``L`` convolutions (cross-correlations, stride one, no
padding), with the polynomial activation ``sigma`` after every layer but the last:

    ``h_1[j] = sum_m w_1[m] x[j + m]``,  ``h_i[j] = sum_m w_i[m] sigma(h_{i-1})[j + m]``.

With the shortest input, ``n = k_1 + ... + k_L - (L - 1)``, there is exactly one output.

* **Linear** (``sigma(z) = z``): composing cross-correlations multiplies the filters as
  polynomials, so the end-to-end filter is the product ``w_1(t) w_2(t) ... w_L(t)``
  (:func:`end_to_end_filter`). The function space is the set of polynomials of degree
  ``n - 1`` that factor with factors of degrees ``k_i - 1``; it has dimension
  ``k_1 + ... + k_L - (L - 1)``: one scaling per factor is lost, except the last.
* **Polynomial**: each output is a polynomial in ``x_1..x_n``; the network is an MLP
  whose weights are shared along shifts. Its coefficients, Jacobian and exact rank
  mirror :mod:`nagviz.parameterization` and :mod:`nagviz.dimension`.

Parameters are flat vectors ``(w_1, ..., w_L)``, filter after filter; a leading batch
axis is allowed in :func:`cnn_evaluate` and :func:`cnn_coefficients`.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .activation import Activation, InvalidActivationError
from .architecture import Architecture, InvalidArchitectureError
from .dimension import DEFAULT_PRIME, _Floats, _Residues, _check_prime, rank_mod_p

__all__ = [
    "CNNArchitecture",
    "CNNDimensionResult",
    "cnn_evaluate",
    "cnn_coefficients",
    "cnn_jacobian_mod_p",
    "cnn_jacobian_float",
    "cnn_dimension",
    "end_to_end_filter",
    "lcn_jacobian_mod_p",
    "split_filters",
]


@dataclass(frozen=True, init=False)
class CNNArchitecture:
    """A stride-one, single-channel 1-D convolutional network with a polynomial activation.

    Parameters
    ----------
    filter_sizes : sequence of int
        ``(k_1, ..., k_L)``, each at least 1.
    activation : int, str or Activation, default 1
        ``1`` gives a linear convolutional network (LCN); ``2`` means ``z^2``; a string
        such as ``"z^3 + z^2"`` a general polynomial.
    input_length : int, optional
        Length ``n`` of the input signal; at least ``k_1 + ... + k_L - (L - 1)`` (the
        default), which gives one output. Longer inputs give ``n - sum(k_i - 1)``
        outputs, shifted copies of each other.

    Examples
    --------
    >>> c = CNNArchitecture((3, 2, 4))
    >>> c
    CNNArchitecture(filter_sizes=(3, 2, 4), activation='z')
    >>> c.n_parameters, c.input_length, c.output_length, c.ambient_dimension
    (9, 7, 1, 7)
    >>> CNNArchitecture((3, 3), "z^3 + z^2").ambient_dimension   # quadrics + cubics in 5 variables
    50
    """

    filter_sizes: tuple[int, ...]
    activation: Activation
    input_length: int

    def __init__(self, filter_sizes, activation=1, input_length=None):
        try:
            sizes = tuple(filter_sizes)
        except TypeError:
            raise InvalidArchitectureError(
                f"filter sizes must be a sequence of positive integers like (3, 2), got "
                f"{filter_sizes!r}") from None
        if not sizes or any(isinstance(k, bool) or not isinstance(k, (Integral, np.integer))
                            or k < 1 for k in sizes):
            raise InvalidArchitectureError(
                f"filter sizes must be positive integers like (3, 2), got {sizes!r}")
        sizes = tuple(int(k) for k in sizes)
        try:
            act = Activation.coerce(activation)
        except InvalidActivationError as exc:
            raise InvalidArchitectureError(str(exc)) from None
        shortest = sum(sizes) - (len(sizes) - 1)
        n = shortest if input_length is None else int(input_length)
        if n < shortest:
            raise InvalidArchitectureError(
                f"filters {sizes} need an input of length at least {shortest}, got {n}")
        object.__setattr__(self, "filter_sizes", sizes)
        object.__setattr__(self, "activation", act)
        object.__setattr__(self, "input_length", n)

    def __repr__(self) -> str:
        extra = ""
        if self.input_length != sum(self.filter_sizes) - self.depth + 1:
            extra = f", input_length={self.input_length}"
        return (f"CNNArchitecture(filter_sizes={self.filter_sizes}, "
                f"activation={str(self.activation)!r}{extra})")

    @property
    def depth(self) -> int:
        """The number ``L`` of convolutions."""
        return len(self.filter_sizes)

    @property
    def n_parameters(self) -> int:
        """``k_1 + ... + k_L``."""
        return sum(self.filter_sizes)

    @property
    def is_linear(self) -> bool:
        return self.activation.degree == 1

    @property
    def layer_lengths(self) -> tuple[int, ...]:
        """Signal lengths ``(n, n - k_1 + 1, ..., output_length)``."""
        lengths = [self.input_length]
        for k in self.filter_sizes:
            lengths.append(lengths[-1] - k + 1)
        return tuple(lengths)

    @property
    def output_length(self) -> int:
        return self.layer_lengths[-1]

    @property
    def _mlp_shape(self) -> Architecture:
        # an MLP with the same depth and activation has the same output degrees
        return Architecture((self.input_length,) + (1,) * self.depth, self.activation)

    @property
    def output_degrees(self) -> tuple[int, ...]:
        return self._mlp_shape.output_degrees

    @property
    def output_degree(self) -> int:
        return max(self.output_degrees)

    def monomials(self) -> list[tuple[int, ...]]:
        """Exponent vectors of one output's monomials, in nagviz's coordinate order."""
        return self._mlp_shape.monomials()

    @property
    def monomials_per_output(self) -> int:
        return len(self.monomials())

    @property
    def ambient_dimension(self) -> int:
        return self.output_length * self.monomials_per_output

    @property
    def parameter_degree(self) -> int:
        """Degree of the output coefficients as polynomials in the parameters."""
        deg = 1
        for _ in range(self.depth - 1):
            deg = self.activation.degree * deg + 1
        return deg

    @property
    def expected_dimension(self) -> int:
        """``sum k_i - (L - 1)`` for a monomial activation (one scaling per inner filter),
        ``sum k_i`` otherwise; capped by the ambient dimension."""
        lost = self.depth - 1 if self.activation.is_monomial else 0
        return min(self.n_parameters - lost, self.ambient_dimension)

    def random_parameters(self, seed=None, scale: float = 1.0) -> np.ndarray:
        """I.i.d. ``N(0, scale^2)`` filters, concatenated.

        Examples
        --------
        >>> CNNArchitecture((2, 3)).random_parameters(seed=0).shape
        (5,)
        """
        return scale * np.random.default_rng(seed).standard_normal(self.n_parameters)


def _as_cnn(cnn) -> CNNArchitecture:
    return cnn if isinstance(cnn, CNNArchitecture) else CNNArchitecture(cnn)


def split_filters(cnn: CNNArchitecture, theta) -> list[np.ndarray]:
    """Split a flat parameter vector (or a batch) into the filters ``w_1, ..., w_L``.

    Examples
    --------
    >>> [w.tolist() for w in split_filters(CNNArchitecture((2, 1)), [1.0, 2.0, 3.0])]
    [[1.0, 2.0], [3.0]]
    """
    cnn = _as_cnn(cnn)
    theta = np.asarray(theta)
    if theta.ndim == 0 or theta.shape[-1] != cnn.n_parameters:
        raise ValueError(f"{cnn!r} has {cnn.n_parameters} parameters; got shape {theta.shape}")
    out, pos = [], 0
    for k in cnn.filter_sizes:
        out.append(theta[..., pos:pos + k])
        pos += k
    return out


def end_to_end_filter(filters) -> np.ndarray:
    """The product of the filters as polynomials: the filter of the composed linear network.

    Parameters
    ----------
    filters : sequence of 1-D arrays
        ``w_i[m]`` is the coefficient of ``t^m`` of the ``i``-th factor.

    Examples
    --------
    >>> end_to_end_filter([[1, 1], [1, -1]]).tolist()      # (1 + t)(1 - t) = 1 - t^2
    [1, 0, -1]
    """
    out = np.array([1], dtype=np.asarray(filters[0]).dtype)
    for w in filters:
        out = np.convolve(out, np.asarray(w))
    return out


def _correlate(ops, w, a, out_len):
    """``out[..., j] = sum_m w[..., m] a[..., j + m]`` with the arithmetic of ``ops``.

    ``w`` has shape (T, k) and ``a`` shape (T, N, length).
    """
    acc = None
    for m in range(w.shape[-1]):
        term = ops.mul(w[:, None, m, None], a[..., m:m + out_len])
        acc = term if acc is None else ops.add(acc, term)
    return acc


def _cnn_jacobian(cnn: CNNArchitecture, theta: np.ndarray, X: np.ndarray, ops,
                  values_only: bool = False):
    """Backpropagation through the convolutions, batched over trials.

    ``theta`` (T, P), ``X`` (T, N, n). Returns the outputs (T, N, m) and, unless
    ``values_only``, the Jacobian (T, N * m, P) (row ``n * m + o``: output ``o`` at ``x_n``).
    """
    T, N = X.shape[0], X.shape[1]
    lengths = cnn.layer_lengths
    filters, pos = [], 0
    for k in cnn.filter_sizes:
        filters.append(theta[:, pos:pos + k])
        pos += k
    inputs, pre = [], []
    a = X
    for i, w in enumerate(filters):
        inputs.append(a)
        h = _correlate(ops, w, a, lengths[i + 1])
        pre.append(h)
        a = ops.poly(ops.sigma, h) if i < cnn.depth - 1 else h
    if values_only:
        return a
    m = cnn.output_length
    # G[t, n, o, j] = d output_o / d h_i[j]
    G = np.broadcast_to(np.eye(m, dtype=ops.dtype), (T, N, m, m))
    blocks = []
    for i in reversed(range(cnn.depth)):
        w, a_in, k = filters[i], inputs[i], cnn.filter_sizes[i]
        L_out = lengths[i + 1]
        grads = []
        for mm in range(k):
            prod = ops.mul(G, a_in[:, :, None, mm:mm + L_out])
            acc = prod[..., 0]
            for j in range(1, L_out):
                acc = ops.add(acc, prod[..., j])
            grads.append(acc)
        blocks.insert(0, np.stack(grads, axis=-1))
        if i > 0:
            L_in = lengths[i]
            newG = np.zeros(G.shape[:-1] + (L_in,), dtype=np.result_type(G, w))
            for mm in range(k):
                newG[..., mm:mm + L_out] = ops.add(newG[..., mm:mm + L_out],
                                                   ops.mul(G, w[:, None, None, mm, None]))
            G = ops.mul(newG, ops.poly(ops.dsigma, pre[i - 1])[:, :, None, :])
    J = np.concatenate(blocks, axis=-1)
    return J.reshape(T, N * m, cnn.n_parameters)


def cnn_evaluate(cnn: CNNArchitecture, theta, X) -> np.ndarray:
    """Evaluate the CNN on a batch of input signals.

    Parameters
    ----------
    cnn : CNNArchitecture
    theta : array_like, shape (..., n_parameters)
    X : array_like, shape (N, input_length)

    Returns
    -------
    numpy.ndarray, shape (..., N, output_length)

    Examples
    --------
    >>> cnn = CNNArchitecture((2, 2), 2)           # u0 (a x0 + b x1)^2 + u1 (a x1 + b x2)^2
    >>> cnn_evaluate(cnn, [1.0, 1.0, 1.0, 2.0], [[1.0, 0.0, 0.0]]).tolist()
    [[1.0]]
    """
    cnn = _as_cnn(cnn)
    theta = np.asarray(theta)
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != cnn.input_length:
        raise ValueError(f"inputs must have shape (N, {cnn.input_length}), got {X.shape}")
    batch = theta.shape[:-1]
    th = theta.reshape((-1, cnn.n_parameters))
    dtype = np.result_type(th, X, float)
    ops = _Floats(cnn.activation)
    Xb = np.broadcast_to(X.astype(dtype), (th.shape[0],) + X.shape)
    out = _cnn_jacobian(cnn, th.astype(dtype), Xb, ops, values_only=True)
    return out.reshape(batch + out.shape[1:])


def _grid(n: int, D: int) -> np.ndarray:
    roots = np.exp(2j * np.pi * np.arange(D + 1) / (D + 1))
    return np.stack(np.meshgrid(*([roots] * n), indexing="ij"), axis=-1).reshape(-1, n)


def _values_to_coefficients(values, n, D, monomials):
    """FFT interpolation: values on the grid of roots of unity -> monomial coefficients.

    ``values`` has shape (..., grid, k); returns (..., k, len(monomials)).
    """
    batch, k = values.shape[:-2], values.shape[-1]
    vals = np.moveaxis(values, -1, -2).reshape(batch + (k,) + (D + 1,) * n)
    coeff = np.fft.fftn(vals, axes=tuple(range(-n, 0))) / (D + 1) ** n
    idx = tuple(np.array(e) for e in zip(*monomials))
    return coeff[(Ellipsis,) + idx]


def cnn_coefficients(cnn: CNNArchitecture, theta) -> np.ndarray:
    """Coefficients of the output polynomials in the basis :meth:`CNNArchitecture.monomials`.

    Exact FFT interpolation on a grid of roots of unity, as in
    :func:`nagviz.parameterization.coefficients`.

    Returns
    -------
    numpy.ndarray, shape (..., output_length, monomials_per_output)

    Examples
    --------
    For a linear network the coefficients are the end-to-end filter:

    >>> cnn = CNNArchitecture((2, 2))
    >>> cnn_coefficients(cnn, [1.0, 1.0, 1.0, -1.0]).round(12).tolist()
    [[1.0, 0.0, -1.0]]
    """
    cnn = _as_cnn(cnn)
    theta = np.asarray(theta)
    n, D = cnn.input_length, cnn.output_degree
    if (D + 1) ** n > 400_000:
        raise ValueError(f"{cnn!r}: the interpolation grid would have {(D + 1) ** n:,} points")
    values = cnn_evaluate(cnn, theta.astype(complex), _grid(n, D))
    out = _values_to_coefficients(values, n, D, cnn.monomials())
    return out if np.iscomplexobj(theta) else out.real


def _coefficient_jacobian(cnn: CNNArchitecture, theta: np.ndarray) -> np.ndarray:
    """Jacobian of the coefficient map, (B, ambient, P), exact up to rounding (FFT)."""
    n, D = cnn.input_length, cnn.output_degree
    grid = _grid(n, D)
    B = theta.shape[0]
    J = _cnn_jacobian(cnn, theta.astype(complex), np.broadcast_to(grid, (B,) + grid.shape),
                      _Floats(cnn.activation))
    J = J.reshape(B, grid.shape[0], cnn.output_length * cnn.n_parameters)
    C = _values_to_coefficients(J, n, D, cnn.monomials())  # (B, m * P, monomials)
    C = C.reshape(B, cnn.output_length, cnn.n_parameters, -1)
    return np.moveaxis(C, -1, -2).reshape(B, -1, cnn.n_parameters).real


def _to_residues(values, p: int) -> np.ndarray:
    """Integers or fractions (or float integers) reduced modulo ``p``."""
    from fractions import Fraction

    out = []
    for v in np.ravel(np.asarray(values, dtype=object)):
        f = Fraction(v) if not isinstance(v, float) else Fraction(v).limit_denominator(10**12)
        if f.denominator % p == 0:
            raise ValueError(f"{v} is not defined modulo {p}")
        out.append(f.numerator * pow(f.denominator, -1, p) % p)
    return np.array(out, dtype=np.int64).reshape(np.shape(values))


def cnn_jacobian_mod_p(cnn: CNNArchitecture, theta, X, p: int = DEFAULT_PRIME) -> np.ndarray:
    """The Jacobian of ``w -> (f_w(x_1), ..., f_w(x_N))`` modulo the prime ``p``.

    Parameters
    ----------
    cnn : CNNArchitecture
    theta : array_like of int or fractions, shape (n_parameters,)
    X : array_like of int, shape (N, input_length)
    p : int

    Returns
    -------
    numpy.ndarray of int64, shape (N * output_length, n_parameters)

    Examples
    --------
    ``f = u (a x_0 + b x_1)`` (filters ``(a, b)``, ``(u,)``) at ``a=2, b=3, u=5``, ``x = (1, 1)``:

    >>> cnn_jacobian_mod_p(CNNArchitecture((2, 1)), [2, 3, 5], [[1, 1]], p=101).tolist()
    [[5, 5, 5]]
    """
    cnn = _as_cnn(cnn)
    p = _check_prime(p)
    theta = _to_residues(theta, p)
    X = _to_residues(X, p)
    if theta.shape != (cnn.n_parameters,) or X.ndim != 2 or X.shape[1] != cnn.input_length:
        raise ValueError("theta or X has the wrong shape")
    return _cnn_jacobian(cnn, theta[None], X[None], _Residues(cnn.activation, p))[0]


def cnn_jacobian_float(cnn: CNNArchitecture, theta, X) -> np.ndarray:
    """The same Jacobian in floating point.

    Examples
    --------
    >>> cnn_jacobian_float(CNNArchitecture((2, 1)), [2.0, 3.0, 5.0], [[1.0, 1.0]]).tolist()
    [[5.0, 5.0, 5.0]]
    """
    cnn = _as_cnn(cnn)
    theta = np.asarray(theta, dtype=float)
    X = np.asarray(X, dtype=float)
    return _cnn_jacobian(cnn, theta[None], X[None], _Floats(cnn.activation))[0]


def lcn_jacobian_mod_p(filter_sizes, theta, p: int = DEFAULT_PRIME) -> np.ndarray:
    """Exact Jacobian of the linear map ``(w_1, ..., w_L) -> w_1 w_2 ... w_L`` (polynomial product).

    The derivative in the direction of ``w_i`` is multiplication by the product of the
    other filters, so column ``m`` of block ``i`` is that product shifted by ``m``.
    Computed with Python integers, reduced modulo ``p``.

    Returns
    -------
    numpy.ndarray of int64, shape (sum k_i - L + 1, sum k_i)

    Examples
    --------
    >>> lcn_jacobian_mod_p((2, 2), [1, 2, 3, 4], p=101).tolist()     # d/d(w1, w2) of w1 * w2
    [[3, 0, 1, 0], [4, 3, 2, 1], [0, 4, 0, 2]]
    """
    p = _check_prime(p)
    sizes = tuple(int(k) for k in filter_sizes)
    theta = [int(t) % p for t in _to_residues(theta, p)]
    filters, pos = [], 0
    for k in sizes:
        filters.append(theta[pos:pos + k])
        pos += k
    length = sum(sizes) - len(sizes) + 1
    J = np.zeros((length, sum(sizes)), dtype=np.int64)
    col = 0
    for i, k in enumerate(sizes):
        others = [1]
        for j, w in enumerate(filters):
            if j != i:
                others = [int(v) % p for v in np.convolve(np.array(others, dtype=object),
                                                          np.array(w, dtype=object))]
        for m in range(k):
            J[m:m + len(others), col] = others
            col += 1
    return J


@dataclass(frozen=True)
class CNNDimensionResult:
    """The dimension of a CNN's neurovariety: the generic rank of its Jacobian.

    Attributes
    ----------
    architecture : CNNArchitecture
    parameters, ambient_dimension, expected_dimension, dimension : int
    method : str
    prime, seed, trials, sample_points : int
    ranks : tuple of int
        The rank found in each trial (each a lower bound; the largest is reported).
    """

    architecture: CNNArchitecture
    parameters: int
    ambient_dimension: int
    expected_dimension: int
    dimension: int
    method: str
    prime: int
    seed: int
    trials: int
    sample_points: int
    ranks: tuple

    def __repr__(self) -> str:
        a = self.architecture
        return "\n".join([
            f"CNNDimensionResult for filters {a.filter_sizes}, activation {a.activation}",
            f"  parameters          {self.parameters}",
            f"  ambient dimension   {self.ambient_dimension}",
            f"  expected dimension  {self.expected_dimension}",
            f"  dimension           {self.dimension}",
            f"  method              {self.method}, p = {self.prime}, seed = {self.seed}, "
            f"{self.trials} trial(s) of {self.sample_points} points, ranks {list(self.ranks)}",
        ])

    def _repr_html_(self) -> str:
        a = self.architecture
        return (f"<div class='nagviz-result'><b>CNN with filters {a.filter_sizes}, "
                f"&sigma;(z) = {a.activation}</b>: dimension <b>{self.dimension}</b> "
                f"(parameters {self.parameters}, ambient {self.ambient_dimension}, expected "
                f"{self.expected_dimension})<br><small>{self.method}, p = {self.prime}, "
                f"seed = {self.seed}, ranks {list(self.ranks)}</small></div>")


def cnn_dimension(cnn, activation=None, *, seed: int = 0, trials: int = 2,
                  prime: int = DEFAULT_PRIME) -> CNNDimensionResult:
    """The dimension of a CNN's neurovariety: exact Jacobian rank modulo a prime.

    Random integer filters and ``monomials_per_output + 3`` random integer input
    signals; the largest rank over ``trials`` independent trials. For a linear network
    the Jacobian of the polynomial product (:func:`lcn_jacobian_mod_p`) is used.

    Examples
    --------
    >>> cnn_dimension((3, 2, 4)).dimension       # stride-one LCN: sum k_i - (L - 1)
    7
    >>> cnn_dimension((3, 3), 2).dimension       # z^2: one rescaling lost
    5
    >>> cnn_dimension((3, 3), "z^3 + z^2").dimension
    6
    """
    if not isinstance(cnn, CNNArchitecture):
        cnn = CNNArchitecture(cnn, 1 if activation is None else activation)
    elif activation is not None:
        raise TypeError("give the activation inside the CNNArchitecture, not twice")
    prime = _check_prime(prime)
    rng = np.random.default_rng(seed)
    ranks = []
    use_lcn = cnn.is_linear and cnn.activation.coefficients[1] == 1 and \
        cnn.input_length == sum(cnn.filter_sizes) - cnn.depth + 1
    n_points = cnn.monomials_per_output + 3
    for _ in range(int(trials)):
        theta = rng.integers(1, prime, size=cnn.n_parameters)
        if use_lcn:
            J = lcn_jacobian_mod_p(cnn.filter_sizes, theta, prime)
        else:
            X = rng.integers(1, prime, size=(n_points, cnn.input_length))
            J = cnn_jacobian_mod_p(cnn, theta, X, prime)
        ranks.append(rank_mod_p(J, prime))
        if ranks[-1] == cnn.expected_dimension:
            break
    method = ("exact rank of the polynomial-product Jacobian modulo a prime" if use_lcn
              else "exact Jacobian rank modulo a prime")
    return CNNDimensionResult(cnn, cnn.n_parameters, cnn.ambient_dimension,
                              cnn.expected_dimension, max(ranks), method, prime, int(seed),
                              len(ranks), 0 if use_lcn else n_points, tuple(ranks))
