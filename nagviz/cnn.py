"""One-dimensional polynomial convolutional networks (one channel, any strides).

A :class:`CNNArchitecture` with filter sizes ``(k_1, ..., k_L)`` and strides
``(s_1, ..., s_L)`` maps a signal ``x = (x_0, ..., x_{n-1})`` through ``L`` convolutions
(cross-correlations, no padding), with the polynomial activation ``sigma`` after every
layer but the last:

    ``h_1[j] = sum_m w_1[m] x[s_1 j + m]``,  ``h_i[j] = sum_m w_i[m] sigma(h_{i-1})[s_i j + m]``.

The default input length is the shortest that gives exactly one output; with stride one
everywhere it is ``n = k_1 + ... + k_L - (L - 1)``.

* **Linear** (``sigma(z) = z``): composing cross-correlations multiplies the filters as
  polynomials, so the end-to-end filter is the product ``w_1(t) w_2(t) ... w_L(t)``
  (:func:`end_to_end_filter`); with strides it is ``w_1(t) w_2(t^{s_1})
  w_3(t^{s_1 s_2}) ...`` (:func:`strided_end_to_end_filter`). The function space is the set of polynomials of degree
  ``n - 1`` that factor with factors of degrees ``k_i - 1``; it has dimension
  ``k_1 + ... + k_L - (L - 1)``: one scaling per factor is lost, except the last.
* **Polynomial**: each output is a polynomial in ``x_1..x_n``; the network is an MLP
  whose weights are shared along shifts.

:class:`CNNArchitecture` implements the model contract of :mod:`nagviz.model`: this
module writes only the counts and the forward pass, and :func:`nagviz.dimension`,
:func:`nagviz.evaluate`, :func:`nagviz.coefficients`, :func:`nagviz.jacobian_mod_p`
and training take a CNN as they take an MLP. The ``cnn_*`` functions below are the same
algorithms under their historical names.

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
from .jacobian_rank import (DEFAULT_PRIME, DimensionResult, check_prime, dimension,
                        jacobian_float, jacobian_mod_p, to_residues)
from .model import Model, Unit
from .parameterization import coefficients, evaluate

__all__ = [
    "CNNArchitecture",
    "cnn_evaluate",
    "cnn_coefficients",
    "cnn_jacobian_mod_p",
    "cnn_jacobian_float",
    "cnn_dimension",
    "end_to_end_filter",
    "strided_end_to_end_filter",
    "real_factorization",
    "lcn_fills_reals",
    "reachable_fraction",
    "lcn_jacobian_mod_p",
    "split_filters",
]


@dataclass(frozen=True, init=False)
class CNNArchitecture(Model):
    """A single-channel 1-D convolutional network with a polynomial activation.

    Parameters
    ----------
    filter_sizes : sequence of int
        ``(k_1, ..., k_L)``, each at least 1.
    activation : int, str or Activation, default 1
        ``1`` gives a linear convolutional network (LCN); ``2`` means ``z^2``; a string
        such as ``"z^3 + z^2"`` a general polynomial.
    input_length : int, optional
        Length ``n`` of the input signal; at least the shortest length that gives one
        output (the default; ``k_1 + ... + k_L - (L - 1)`` for stride one). Longer inputs
        give more outputs, shifted copies of each other.
    strides : sequence of int, optional
        ``(s_1, ..., s_L)``, each at least 1; default all ones. Layer ``i`` computes
        ``y[j] = sum_m w_i[m] x[s_i j + m]``.

    Examples
    --------
    >>> c = CNNArchitecture((3, 2, 4))
    >>> c
    CNNArchitecture(filter_sizes=(3, 2, 4), activation='z')
    >>> c.n_parameters, c.input_length, c.output_length, c.ambient_dimension
    (9, 7, 1, 7)
    >>> CNNArchitecture((3, 3), "z^3 + z^2").ambient_dimension   # quadrics + cubics in 5 variables
    50
    >>> s = CNNArchitecture((2, 2), strides=(2, 1))   # w_1(t) w_2(t^2): 4 taps, 4 inputs
    >>> s, s.input_length
    (CNNArchitecture(filter_sizes=(2, 2), activation='z', strides=(2, 1)), 4)
    """

    filter_sizes: tuple[int, ...]
    activation: Activation
    input_length: int
    strides: tuple[int, ...]

    def __init__(self, filter_sizes, activation=1, input_length=None, strides=None):
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
        if len(sizes) > 64 or sum(sizes) > 10_000:
            raise InvalidArchitectureError(
                f"{len(sizes)} filters of total size {sum(sizes):,} is too large; use at most "
                "64 filters and 10,000 parameters")
        try:
            act = Activation.coerce(activation)
        except InvalidActivationError as exc:
            raise InvalidArchitectureError(str(exc)) from None
        steps = _check_strides(strides, len(sizes))
        shortest = _shortest_input(sizes, steps)
        if input_length is not None and (isinstance(input_length, bool) or not isinstance(
                input_length, (Integral, np.integer))):
            raise InvalidArchitectureError(
                f"input_length must be a positive integer, got {input_length!r}")
        n = shortest if input_length is None else int(input_length)
        if n < shortest:
            raise InvalidArchitectureError(
                f"filters {sizes} need an input of length at least {shortest}, got {n}")
        object.__setattr__(self, "filter_sizes", sizes)
        object.__setattr__(self, "activation", act)
        object.__setattr__(self, "input_length", n)
        object.__setattr__(self, "strides", steps)

    def __repr__(self) -> str:
        extra = ""
        if self.input_length != self.shortest_input_length:
            extra = f", input_length={self.input_length}"
        if self.has_strides:
            extra += f", strides={self.strides}"
        return (f"CNNArchitecture(filter_sizes={self.filter_sizes}, "
                f"activation={str(self.activation)!r}{extra})")

    @property
    def shortest_input_length(self) -> int:
        """The shortest input that gives one output (the default input length)."""
        return _shortest_input(self.filter_sizes, self.strides)

    @property
    def has_strides(self) -> bool:
        """Whether some stride exceeds one."""
        return any(s > 1 for s in self.strides)

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
        """Signal lengths ``(n, (n - k_1) // s_1 + 1, ..., output_length)``.

        Examples
        --------
        >>> CNNArchitecture((3, 2), input_length=9, strides=(2, 1)).layer_lengths
        (9, 4, 3)
        """
        lengths = [self.input_length]
        for k, s in zip(self.filter_sizes, self.strides):
            lengths.append((lengths[-1] - k) // s + 1)
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

    @property
    def parameter_degree(self) -> int:
        """Degree of the output coefficients as polynomials in the parameters."""
        deg = 1
        for _ in range(self.depth - 1):
            deg = self.activation.degree * deg + 1
        return deg

    # -- the model contract (see nagviz.model) -------------------------------------------
    @property
    def input_dimension(self) -> int:
        """The input length ``n``: the outputs are polynomials in ``x_1..x_n``."""
        return self.input_length

    @property
    def output_dimension(self) -> int:
        return self.output_length

    @property
    def symmetry_dimension(self) -> int:
        """``L - 1`` for ``z^r`` (filter ``i`` times ``t``, filter ``i + 1`` times
        ``t^(-r)``), 0 otherwise."""
        return self.depth - 1 if self.activation.is_monomial else 0

    @property
    def parameter_shapes(self) -> tuple:
        """``(("w1", (k_1,)), ..., ("wL", (k_L,)))``."""
        return tuple((f"w{i}", (k,)) for i, k in enumerate(self.filter_sizes, start=1))

    @property
    def evaluation_cost(self) -> int:
        lengths = self.layer_lengths
        return sum(k * lengths[i + 1] for i, k in enumerate(self.filter_sizes))

    def describe(self) -> str:
        """``"filters (3, 2, 4), activation z"`` (and the input length when it is not the
        shortest)."""
        text = f"filters {self.filter_sizes}, activation {self.activation}"
        if self.has_strides:
            text += f", strides {self.strides}"
        if self.input_length != self.shortest_input_length:
            text += f", input length {self.input_length}"
        return text

    def identity(self) -> dict:
        return {"filter_sizes": list(self.filter_sizes), "strides": list(self.strides),
                "activation": str(self.activation), "input_length": self.input_length}

    def hidden_units(self) -> tuple:
        """One :class:`~nagviz.model.Unit` per filter entry (a "tap").

        Examples
        --------
        >>> len(CNNArchitecture((3, 2), 2).hidden_units())
        5
        """
        out, pos = [], 0
        for i, k in enumerate(self.filter_sizes):
            for m in range(k):
                out.append(Unit("tap", i + 1, m, (pos + m,), ()))
            pos += k
        return tuple(out)

    def coefficient_map(self):
        """A two-layer CNN is a shallow MLP whose weights are tied along shifts: it gets
        the exact shallow kernel composed with the tying matrix."""
        if self.depth != 2:
            return super().coefficient_map()
        from ._coefficient_map import ShallowKernel, TiedKernel

        k1, k2 = self.filter_sizes
        s1, s2 = self.strides
        n, m = self.input_length, self.output_length
        hidden = self.layer_lengths[1]
        tie = np.zeros((hidden * n + m * hidden, k1 + k2))
        for j in range(hidden):
            for a in range(k1):
                tie[j * n + s1 * j + a, a] = 1.0
        for o in range(m):
            for b in range(k2):
                tie[hidden * n + o * hidden + s2 * o + b, k1 + b] = 1.0
        kernel = ShallowKernel(n, hidden, m, self.activation, self.monomials())
        return TiedKernel(kernel, tie)

    def forward(self, theta, X, ops):
        """``h_i[j] = sum_m w_i[m] sigma(h_{i-1})[s_i j + m]`` in the arithmetic ``ops``.

        Examples
        --------
        >>> from nagviz._arithmetic import Floats
        >>> c = CNNArchitecture((2, 1))                   # u (a x_0 + b x_1)
        >>> c.forward(np.array([[2.0, 3.0, 5.0]]), np.array([[[1.0, 1.0]]]), Floats(c.activation))
        array([[[25.]]])
        """
        filters = self.split(theta)
        lengths = self.layer_lengths
        a = X
        for i in range(self.depth):
            w, out_len, s = filters[f"w{i + 1}"], lengths[i + 1], self.strides[i]
            acc = None
            for m in range(self.filter_sizes[i]):
                term = ops.mul(w[:, None, m, None], a[..., m:m + s * (out_len - 1) + 1:s])
                acc = term if acc is None else ops.add(acc, term)
            a = ops.activation(acc) if i < self.depth - 1 else acc
        return a

    def symmetry_directions(self, theta) -> np.ndarray:
        """For ``z^r``: filter ``i`` grows like ``t``, filter ``i + 1`` like ``t^(-r)``.

        Examples
        --------
        >>> CNNArchitecture((2, 1), 2).symmetry_directions([1.0, 2.0, 3.0]).tolist()
        [[1.0, 2.0, -6.0]]
        """
        theta = np.asarray(theta, dtype=float)
        if not self.activation.is_monomial:
            return np.zeros((0, self.n_parameters))
        r = self.activation.degree
        starts = np.cumsum((0,) + self.filter_sizes)
        out = []
        for i in range(self.depth - 1):
            v = np.zeros(self.n_parameters)
            v[starts[i]:starts[i + 1]] = theta[starts[i]:starts[i + 1]]
            v[starts[i + 1]:starts[i + 2]] = -r * theta[starts[i + 1]:starts[i + 2]]
            out.append(v)
        return np.array(out).reshape(-1, self.n_parameters)


def _check_strides(strides, depth: int) -> tuple[int, ...]:
    if strides is None:
        return (1,) * depth
    try:
        steps = tuple(strides)
    except TypeError:
        raise InvalidArchitectureError(
            f"strides must be a sequence of positive integers like (1, 2), got {strides!r}") from None
    if len(steps) != depth or any(isinstance(s, bool) or not isinstance(s, (Integral, np.integer))
                                  or s < 1 for s in steps):
        raise InvalidArchitectureError(
            f"strides must be {depth} positive integers (one per filter), got {steps!r}")
    if max(steps) > 64:
        raise InvalidArchitectureError(f"strides must be at most 64, got {max(steps)}")
    return tuple(int(s) for s in steps)


def _shortest_input(sizes, strides) -> int:
    # one output at the top; layer i needs s_i (n_i - 1) + k_i inputs for n_i outputs
    n = 1
    for k, s in zip(reversed(sizes), reversed(strides)):
        n = s * (n - 1) + k
    return n


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


def strided_end_to_end_filter(filters, strides) -> np.ndarray:
    """The filter of a strided linear network: ``w_1(t) w_2(t^{s_1}) w_3(t^{s_1 s_2}) ...``.

    Layer ``i`` reads every ``s_i``-th entry of its input, so the taps of filter ``i + 1``
    sit ``s_1 ... s_i`` input positions apart. The last stride plays no role.

    Examples
    --------
    >>> strided_end_to_end_filter([[1, 2], [3, 4]], (2, 1)).tolist()   # (1 + 2t)(3 + 4t^2)
    [3, 6, 4, 8]
    >>> strided_end_to_end_filter([[1, 1], [1, -1]], (1, 1)).tolist()
    [1, 0, -1]
    """
    strides = tuple(strides)
    if len(strides) != len(filters):
        raise ValueError(f"{len(filters)} filters need {len(filters)} strides, got {len(strides)}")
    out = np.array([1], dtype=np.asarray(filters[0]).dtype)
    spacing = 1
    for w, s in zip(filters, strides):
        w = np.asarray(w)
        spread = np.zeros(spacing * (len(w) - 1) + 1, dtype=w.dtype)
        spread[::spacing] = w
        out = np.convolve(out, spread)
        spacing *= int(s)
    return out


def lcn_fills_reals(filter_sizes) -> bool:
    """Whether a stride-one LCN reaches almost every real filter of its length.

    Over ``C`` every filter factors, so the function space always fills its space. Over
    ``R`` a factor of odd degree ``k_i - 1`` (an even filter size) must contain a real
    root; a filter whose real roots are too few to go round is out of reach, and those
    filters form an open set unless at most one filter size is even.

    Examples
    --------
    >>> lcn_fills_reals((3, 2, 3)), lcn_fills_reals((2, 2)), lcn_fills_reals((3, 2, 4))
    (True, False, False)
    """
    return sum(1 for k in filter_sizes if (int(k) - 1) % 2 == 1) <= 1


def real_factorization(target, filter_sizes, tol: float = 1e-7):
    """Real filters of the given sizes whose product is ``target``, or None if none exist.

    The roots of ``target`` (as a polynomial, ``target[m]`` the coefficient of ``t^m``)
    must be shared out so that factor ``i`` gets ``k_i - 1`` of them and every complex
    root goes with its conjugate: possible exactly when the number of complex-conjugate
    pairs is at most ``sum floor((k_i - 1) / 2)``.

    Parameters
    ----------
    target : 1-D array of length ``sum k_i - L + 1``, last entry nonzero
    filter_sizes : sequence of int
    tol : float
        Roots with ``|imaginary part|`` below ``tol`` count as real.

    Returns
    -------
    list of 1-D arrays or None
        The filters (leading coefficient of the target on the first), or None when the
        target is not reachable over the reals.

    Examples
    --------
    >>> [w.round(6).tolist() for w in real_factorization([-1.0, 0.0, 1.0], (2, 2))]   # t^2 - 1
    [[1.0, 1.0], [-1.0, 1.0]]
    >>> real_factorization([1.0, 0.0, 1.0], (2, 2)) is None     # t^2 + 1: no real root
    True
    """
    target = np.asarray(target, dtype=float)
    sizes = tuple(int(k) for k in filter_sizes)
    if target.ndim != 1 or len(target) != sum(sizes) - len(sizes) + 1:
        raise ValueError(f"filters {sizes} multiply to a filter of length "
                         f"{sum(sizes) - len(sizes) + 1}, got {target.shape}")
    if target[-1] == 0:
        raise ValueError("the target's last coefficient must be nonzero (its degree is fixed)")
    roots = np.roots(target[::-1])
    real = sorted(r.real for r in roots if abs(r.imag) < tol)
    pairs = sorted((r for r in roots if r.imag >= tol), key=lambda r: (r.real, r.imag))
    degrees = [k - 1 for k in sizes]
    if len(pairs) > sum(e // 2 for e in degrees):
        return None
    filters = []
    for e in degrees:
        take = min(e // 2, len(pairs))
        mine, pairs = pairs[:take], pairs[take:]
        coeffs = np.array([1.0])
        for r in mine:
            coeffs = np.convolve(coeffs, [abs(r) ** 2, -2 * r.real, 1.0])
        for r in real[:e - 2 * take]:
            coeffs = np.convolve(coeffs, [-r, 1.0])
        real = real[e - 2 * take:]
        filters.append(coeffs)
    filters[0] = filters[0] * target[-1]
    return filters


def reachable_fraction(filter_sizes, n_targets: int = 2000, seed=0) -> float:
    """The fraction of random real filters (i.i.d. Gaussian coefficients) that a real
    stride-one LCN with these filter sizes computes exactly (:func:`real_factorization`).

    Examples
    --------
    >>> reachable_fraction((3, 3, 3), 200), reachable_fraction((2, 2), 200) < 1
    (1.0, True)
    """
    sizes = tuple(int(k) for k in filter_sizes)
    n = int(n_targets)
    rng = np.random.default_rng(seed)
    length = sum(sizes) - len(sizes) + 1
    targets = rng.standard_normal((n, length))  # the stream of n draws of `length` each
    degree = length - 1
    if degree == 0:
        return 1.0
    # real_factorization's test for all targets at once: the roots are the eigenvalues of
    # the companion matrices np.roots builds, and a target is reachable when its pairs of
    # complex roots number at most sum floor((k_i - 1) / 2)
    highest_first = targets[:, ::-1]
    companion = np.zeros((n, degree, degree))
    companion[:, np.arange(1, degree), np.arange(degree - 1)] = 1.0
    companion[:, 0, :] = -highest_first[:, 1:] / highest_first[:, :1]
    pairs = (np.linalg.eigvals(companion).imag >= 1e-7).sum(axis=1)
    return int((pairs <= sum((k - 1) // 2 for k in sizes)).sum()) / n


def cnn_evaluate(cnn, theta, X) -> np.ndarray:
    """Evaluate the CNN on a batch of input signals (:func:`nagviz.evaluate`).

    Parameters
    ----------
    cnn : CNNArchitecture or filter sizes
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
    return evaluate(_as_cnn(cnn), theta, X)


def cnn_coefficients(cnn, theta) -> np.ndarray:
    """Coefficients of the output polynomials (:func:`nagviz.coefficients`).

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
    return coefficients(_as_cnn(cnn), theta)


def cnn_jacobian_mod_p(cnn, theta, X, p: int = DEFAULT_PRIME) -> np.ndarray:
    """The Jacobian of ``w -> (f_w(x_1), ..., f_w(x_N))`` modulo ``p`` (:func:`nagviz.jacobian_mod_p`).

    Examples
    --------
    ``f = u (a x_0 + b x_1)`` (filters ``(a, b)``, ``(u,)``) at ``a=2, b=3, u=5``, ``x = (1, 1)``:

    >>> cnn_jacobian_mod_p(CNNArchitecture((2, 1)), [2, 3, 5], [[1, 1]], p=101).tolist()
    [[5, 5, 5]]
    """
    return jacobian_mod_p(_as_cnn(cnn), theta, X, p)


def cnn_jacobian_float(cnn, theta, X) -> np.ndarray:
    """The same Jacobian in floating point (:func:`nagviz.jacobian_float`).

    Examples
    --------
    >>> cnn_jacobian_float(CNNArchitecture((2, 1)), [2.0, 3.0, 5.0], [[1.0, 1.0]]).tolist()
    [[5.0, 5.0, 5.0]]
    """
    return jacobian_float(_as_cnn(cnn), theta, X)


def cnn_dimension(cnn, activation=None, **kwargs) -> DimensionResult:
    """The dimension of a CNN's neurovariety (:func:`nagviz.dimension`).

    Filter sizes alone mean a linear network (activation ``z``).

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
    return dimension(cnn, **kwargs)


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
    p = check_prime(p)
    sizes = tuple(int(k) for k in filter_sizes)
    theta = [int(t) for t in to_residues(theta, p)]
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


