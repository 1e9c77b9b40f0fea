"""The dimension of a neurovariety, computed exactly.

``dim V`` is the generic rank of the Jacobian of the parameterization ``phi: w -> f_w``.
Floating-point ranks of that Jacobian are unreliable for deep or high-degree networks
(its singular values spread over many orders of magnitude), so nagviz computes the rank
**modulo a large prime**:

1. pick a random parameter point ``w`` and ``N`` random input points ``x_1..x_N`` in
   the field ``F_p`` (``p = 2^31 - 1`` by default);
2. compute the Jacobian of ``w -> (f_w(x_1), ..., f_w(x_N))`` exactly in ``F_p`` by
   backpropagation (int64 arithmetic, reduced after every product, so nothing
   overflows), for all trials in one batch;
3. where a side of it is much longer than the rank can be, multiply it by a random
   matrix down to a small sketch (exactly, with float64 BLAS on 16-bit halves), and take
   the rank over ``F_p`` with FLINT (``python-flint``).

Why this is right. The rank at any point, modulo any prime, is at most the rank over
the rationals, which is at most the generic rank: every trial gives a **lower bound**.
``N = min(#params, monomials per output) + 3`` generic points make evaluation injective
on the column space of the Jacobian, so sampling does not cap the rank. The
:attr:`Architecture.expected_dimension` is a proven **upper bound**. When a trial meets
it the answer is certain (``certified=True``) and further trials are skipped;
otherwise nagviz runs all trials, with independent points, and keeps the largest
rank, which fails to be the generic rank only with a probability of the order of
``deg/p`` per trial, where ``deg`` is the degree of the Jacobian's minors (tiny for
``p ~ 2^31``).

A floating-point SVD of the same Jacobian is available as a cross-check
(:func:`float_rank`); its disagreement is reported, never hidden.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from .architecture import Architecture
from .parameterization import _as_architecture

__all__ = [
    "dimension",
    "float_rank",
    "jacobian_mod_p",
    "jacobian_float",
    "rank_mod_p",
    "DimensionResult",
    "FloatRankResult",
    "ArchitectureTooLargeError",
    "DEFAULT_PRIME",
    "max_work",
]

#: The Mersenne prime ``2^31 - 1``: products of two residues fit in int64.
DEFAULT_PRIME = 2_147_483_647
_MAX_PRIME = 3_037_000_493  # sqrt(2^63): beyond this a*b + c overflows int64
_EXTRA_POINTS = 3
_SKETCH_RATIO = 1.5  # compress a side of the Jacobian only when it is this much longer
_DEFAULT_MAX_WORK = 10**9


def max_work() -> int:
    """The largest workload :func:`dimension` accepts (see :attr:`DimensionResult.work`).

    The default, ``1e9`` elementary operations, is about five seconds per trial on a
    2-core machine (``(15, 15, 15, 15)`` with ``z^2`` is just below it). Set the
    environment variable ``NAGVIZ_MAX_WORK`` or pass ``max_work=`` to change it.

    Examples
    --------
    >>> max_work() > 0
    True
    """
    value = os.environ.get("NAGVIZ_MAX_WORK")
    if value:
        try:
            return int(float(value))
        except ValueError:
            raise ValueError(f"NAGVIZ_MAX_WORK must be a number, got {value!r}") from None
    return _DEFAULT_MAX_WORK


class ArchitectureTooLargeError(ValueError):
    """The architecture is too large to compute within the configured limit."""


def _n_points(arch: Architecture) -> int:
    return min(arch.n_parameters, arch.monomials_per_output) + _EXTRA_POINTS


def estimated_work(arch: Architecture, trials: int = 2) -> int:
    """Elementary operations of :func:`dimension`: backpropagation plus the rank, per trial.

    Examples
    --------
    >>> estimated_work(Architecture((3, 5, 1), 4))
    6160
    """
    arch = _as_architecture(arch)
    P, N, dl = arch.n_parameters, _n_points(arch), arch.widths[-1]
    weights = sum(a * b for a, b in arch.layer_shapes)
    per_trial = N * dl * (P + weights) + N * weights + P ** 3 // 4
    return trials * per_trial


def _check_size(arch: Architecture, limit: int | None, trials: int = 2) -> int:
    limit = max_work() if limit is None else int(limit)
    work = estimated_work(arch, trials)
    if work > limit:
        raise ArchitectureTooLargeError(
            f"{arch!r} is too large to compute here: {arch.n_parameters:,} parameters, a "
            f"{_n_points(arch) * arch.widths[-1]:,} x {arch.n_parameters:,} Jacobian, about "
            f"{work:.2e} operations against a limit of {limit:.2e}. Use a smaller network, or "
            "raise the limit with max_work= (or the NAGVIZ_MAX_WORK environment variable)."
        )
    return work


# ----------------------------------------------------------------------------------
# the Jacobian, by backpropagation, in two arithmetics
# ----------------------------------------------------------------------------------
class _Floats:
    """Ordinary floating-point arithmetic."""

    dtype = float

    def __init__(self, activation):
        coeffs = [float(c) for c in activation.coefficients]
        self.sigma, self.dsigma = coeffs, [k * c for k, c in enumerate(coeffs)][1:]

    def mul(self, a, b):
        return a * b

    def add(self, a, b):
        return a + b

    def linear(self, H, W):
        """``H @ W.T`` for ``H`` of shape (..., n, in) and ``W`` of shape (..., out, in)."""
        return H @ np.swapaxes(W, -1, -2)

    def poly(self, coeffs, Z):
        return np.polynomial.polynomial.polyval(Z, coeffs)


class _Residues:
    """Arithmetic in ``F_p`` with int64 residues, reduced after every product."""

    dtype = np.int64

    def __init__(self, activation, p):
        self.p = p
        self.sigma = activation.integer_coefficients_mod(p)
        self.dsigma = tuple(k * c % p for k, c in enumerate(self.sigma))[1:]

    def mul(self, a, b):
        return a * b % self.p

    def add(self, a, b):
        return (a + b) % self.p

    def linear(self, H, W):
        # one column at a time: each product is below p^2 < 2^63, so nothing overflows
        out = np.zeros(np.broadcast_shapes(H.shape[:-1], W.shape[:-2] + (1,)) + W.shape[-2:-1],
                       dtype=np.int64)
        for k in range(W.shape[-1]):
            out += H[..., k, None] * W[..., None, :, k]
            out %= self.p
        return out

    def poly(self, coeffs, Z):
        acc = np.full(Z.shape, coeffs[-1], dtype=np.int64)
        for c in reversed(coeffs[:-1]):
            acc = (acc * Z + c) % self.p
        return acc


def _jacobian(arch: Architecture, theta: np.ndarray, X: np.ndarray, ops) -> np.ndarray:
    """Backpropagation of every output at every input point, batched over trials.

    ``theta`` has shape (T, P), ``X`` shape (T, N, d_0); the result has shape
    (T, N * d_L, P) with row ``n * d_L + j`` the gradient of output ``j`` at ``x_n``.
    """
    T, N = X.shape[0], X.shape[1]
    layers, pos = [], 0
    for rows, cols in arch.layer_shapes:
        W = theta[:, pos:pos + rows * cols].reshape(T, rows, cols)
        pos += rows * cols
        b = None
        if arch.bias:
            b, pos = theta[:, pos:pos + rows], pos + rows
        layers.append((W, b))
    # forward pass, keeping the input and the pre-activation of every layer
    inputs, pre = [], []
    h = X
    for i, (W, b) in enumerate(layers):
        inputs.append(h)
        z = ops.linear(h, W)
        if b is not None:
            z = ops.add(z, b[:, None, :])
        pre.append(z)
        h = ops.poly(ops.sigma, z) if i < arch.depth - 1 else z
    # backward pass: G[t, n, j, a] = d output_j / d z_a at the current layer
    dl = arch.widths[-1]
    G = np.broadcast_to(np.eye(dl, dtype=ops.dtype), (T, N, dl, dl))
    blocks = []
    for i in reversed(range(arch.depth)):
        W, b = layers[i]
        grad_W = ops.mul(G[..., :, None], inputs[i][:, :, None, None, :])
        blocks = [grad_W.reshape(T, N, dl, -1)] + ([G] if b is not None else []) + blocks
        if i > 0:
            G = ops.linear(G, np.swapaxes(W, -1, -2)[:, None])
            G = ops.mul(G, ops.poly(ops.dsigma, pre[i - 1])[:, :, None, :])
    return np.concatenate(blocks, axis=-1).reshape(T, N * dl, arch.n_parameters)


def _prepare(arch, theta, X, dtype):
    arch = _as_architecture(arch)
    theta, X = np.asarray(theta, dtype=dtype), np.asarray(X, dtype=dtype)
    if theta.shape != (arch.n_parameters,):
        raise ValueError(f"theta must have shape ({arch.n_parameters},), got {theta.shape}")
    if X.ndim != 2 or X.shape[1] != arch.widths[0]:
        raise ValueError(f"X must have shape (N, {arch.widths[0]}), got {X.shape}")
    return arch, theta[None], X[None]


def _check_prime(p) -> int:
    """A prime that int64 arithmetic can handle, or a clear error (FLINT aborts on others)."""
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)) or not 2 <= p < _MAX_PRIME:
        raise ValueError(f"the prime must be an integer between 2 and {_MAX_PRIME:,}, got {p!r}")
    import flint

    if not flint.fmpz(int(p)).is_prime():
        raise ValueError(f"{p} is not a prime; use a prime such as {DEFAULT_PRIME} (2^31 - 1)")
    return int(p)


def jacobian_mod_p(arch: Architecture, theta, X, p: int = DEFAULT_PRIME) -> np.ndarray:
    """The Jacobian of ``w -> (f_w(x_1), ..., f_w(x_N))`` at ``w = theta``, modulo ``p``.

    Computed by backpropagation with int64 residues reduced after every product.

    Parameters
    ----------
    arch : Architecture
    theta : array_like of int, shape (n_parameters,)
        A parameter point (reduced modulo ``p``).
    X : array_like of int, shape (N, d_0)
        Input points (reduced modulo ``p``).
    p : int
        A prime below ``3.03e9`` (so that products of residues fit in int64).

    Returns
    -------
    numpy.ndarray of int64, shape (N * d_L, n_parameters)
        Row ``n * d_L + j`` is the gradient of output ``j`` at input ``x_n``.

    Examples
    --------
    ``f = v (a x)^2`` at ``(a, v) = (2, 3)`` and ``x = 1``: the gradient is
    ``(2 v a x^2, a^2 x^2) = (12, 4)``.

    >>> jacobian_mod_p(Architecture((1, 1, 1)), [2, 3], [[1]], p=101).tolist()
    [[12, 4]]
    """
    p = _check_prime(p)
    arch, theta, X = _prepare(arch, theta, X, np.int64)
    return _jacobian(arch, theta % p, X % p, _Residues(arch.activation, p))[0]


def jacobian_float(arch: Architecture, theta, X) -> np.ndarray:
    """The same Jacobian as :func:`jacobian_mod_p`, in floating point.

    Examples
    --------
    >>> jacobian_float(Architecture((1, 1, 1)), [2.0, 3.0], [[1.0]]).tolist()
    [[12.0, 4.0]]
    """
    arch, theta, X = _prepare(arch, theta, X, float)
    return _jacobian(arch, theta, X, _Floats(arch.activation))[0]


def _matmul_mod(A: np.ndarray, B: np.ndarray, p: int) -> np.ndarray:
    """``A @ B mod p`` for residues below ``2^31``, exactly, with float64 BLAS.

    Both factors are split into 16-bit halves: every partial product is below
    ``2^32`` and a sum of up to ``2^21`` of them stays below ``2^53``, where float64
    is exact.
    """
    A1, A0 = np.divmod(A, 1 << 16)
    B1, B0 = np.divmod(B, 1 << 16)
    a1, a0, b1, b0 = (x.astype(float) for x in (A1, A0, B1, B0))

    def mm(x, y):
        return (x @ y).astype(np.int64) % p

    high, mid, low = mm(a1, b1), (mm(a1, b0) + mm(a0, b1)) % p, mm(a0, b0)
    return (high * pow(2, 32, p) % p + mid * (1 << 16) % p + low) % p


def _compressed_rank_mod_p(J: np.ndarray, p: int, size: int, rng) -> int:
    """Rank over ``F_p`` of ``J``, known to be at most ``size - 2``, via a random sketch.

    The rank of ``R J S`` for random ``R`` (``size x rows``) and ``S`` (``cols x size``)
    never exceeds ``rank(J)``, so a trial stays a lower bound, and equals it except with
    probability below ``2 size / p``. The sketch is a few float64 BLAS products (see
    :func:`_matmul_mod`) and leaves FLINT a small square matrix.
    """
    rows, cols = J.shape
    if p < (1 << 31) and max(rows, cols) < (1 << 21):
        # A side is compressed only when that pays: handing FLINT an entry costs about as
        # much as the sketch's products spend on a row of ``size`` entries.
        if rows > _SKETCH_RATIO * size:
            J = _matmul_mod(rng.integers(0, p, size=(size, rows), dtype=np.int64), J, p)
        if cols > _SKETCH_RATIO * size:
            J = _matmul_mod(J, rng.integers(0, p, size=(cols, size), dtype=np.int64), p)
    return _rank_residues(J, p)


def rank_mod_p(M, p: int = DEFAULT_PRIME) -> int:
    """The rank of an integer matrix over the field ``F_p`` (exact; uses FLINT).

    Examples
    --------
    >>> rank_mod_p([[1, 2], [2, 4]], p=101)
    1
    >>> rank_mod_p([[1, 2], [3, 4]], p=2)     # the determinant -2 vanishes mod 2
    1
    """
    p = _check_prime(p)
    M = np.asarray(M, dtype=np.int64)
    if M.ndim != 2:
        raise ValueError(f"expected a matrix, got an array of shape {M.shape}")
    return _rank_residues(M % p, p)


def _rank_residues(M: np.ndarray, p: int) -> int:
    """Rank over ``F_p`` of a 2-d int64 array of residues ``0 <= m < p``, ``p`` prime."""
    if M.size == 0:
        return 0
    import flint

    # python-flint builds an fmpz_mat from a flat list about twice as fast as an
    # nmod_mat from nested lists; the reduction fmpz_mat -> nmod_mat is in C.
    Z = flint.fmpz_mat(M.shape[0], M.shape[1], M.ravel().tolist())
    return int(flint.nmod_mat(Z, p).rank())


# ----------------------------------------------------------------------------------
# floating-point cross-check
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FloatRankResult:
    """A floating-point rank of the Jacobian, from its singular values.

    Attributes
    ----------
    rank : int
        Number of singular values above ``tolerance``.
    tolerance : float
        numpy's default: ``s_max * max(shape) * eps``.
    gap : float
        ``log10(s_rank / s_{rank+1})``: how many orders of magnitude separate the
        last "nonzero" singular value from the first "zero" one. A small gap means the
        float rank is not trustworthy.
    condition : float
        ``s_max / s_rank``, the condition number of the retained part.
    singular_values : tuple of float
    seed : int or None
    """

    rank: int
    tolerance: float
    gap: float
    condition: float
    singular_values: tuple = field(repr=False)
    seed: int | None = None

    @property
    def largest_gap_rank(self) -> int:
        """The rank suggested by the largest drop between consecutive singular values."""
        s = np.asarray(self.singular_values)
        s = s[s > 0]
        if s.size < 2:
            return int(s.size)
        return int(np.argmax(np.log10(s[:-1]) - np.log10(s[1:])) + 1)


def float_rank(arch: Architecture, seed=0, scale: float = 1.0) -> FloatRankResult:
    """Rank of the Jacobian at a random real point by a floating-point SVD.

    Gaussian parameters and Gaussian inputs, with the same number of sample points
    as :func:`dimension`. Use it as a cross-check only: for deep or high-degree networks
    the float rank is wrong.

    Examples
    --------
    >>> float_rank(Architecture((3, 2, 1), 2)).rank      # well conditioned: agrees with dim 5
    5
    """
    arch = _as_architecture(arch)
    _check_size(arch, None, trials=1)
    rng = np.random.default_rng(seed)
    theta = scale * rng.standard_normal(arch.n_parameters)
    X = rng.standard_normal((_n_points(arch), arch.widths[0]))
    J = jacobian_float(arch, theta, X)
    with np.errstate(all="ignore"):
        s = np.linalg.svd(J, compute_uv=False) if np.all(np.isfinite(J)) else np.zeros(1)
    tol = s.max() * max(J.shape) * np.finfo(float).eps if s.size else 0.0
    rank = int(np.sum(s > tol))
    with np.errstate(divide="ignore", invalid="ignore"):
        if 0 < rank < s.size:
            gap = float(np.log10(s[rank - 1] / s[rank])) if s[rank] > 0 else float("inf")
        else:
            gap = float("inf")
        condition = float(s[0] / s[rank - 1]) if rank else float("inf")
    return FloatRankResult(rank, float(tol), gap, condition, tuple(map(float, s)), seed)


# ----------------------------------------------------------------------------------
# the exact dimension
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DimensionResult:
    """The dimension of a neurovariety and the numbers around it.

    Attributes
    ----------
    architecture : Architecture
    parameters : int
        Number of parameters (weights and biases).
    ambient_dimension : int
        Dimension of the space of polynomial maps the network's functions live in.
    expected_dimension : int
        The upper bound from counting parameters and obvious symmetries.
    dimension : int
        The dimension of the neurovariety (generic rank of the Jacobian).
    defect : int
        ``expected_dimension - dimension``.
    filling : bool
        Whether ``dimension == ambient_dimension``.
    fiber_dimension : int
        ``parameters - dimension``: the dimension of a generic fiber of the
        parameterization (all parameters giving the same function).
    certified : bool
        True when a trial reached the proven upper bound, so the dimension is certain.
        Otherwise it is correct with high probability (see :mod:`nagviz.dimension`).
    method : str
    prime : int
    seed : int
    trials : int
        Trials run, each with independent random parameters and inputs: all of them
        when the dimension is below the expected dimension, fewer when a trial
        certified the answer.
    sample_points : int
        Input points per trial.
    ranks : tuple of int
        The rank found in each trial.
    float_check : FloatRankResult or None
        The floating-point cross-check, when requested.
    """

    architecture: Architecture
    parameters: int
    ambient_dimension: int
    expected_dimension: int
    dimension: int
    defect: int
    filling: bool
    fiber_dimension: int
    certified: bool
    method: str
    prime: int
    seed: int
    trials: int
    sample_points: int
    ranks: tuple
    float_check: FloatRankResult | None = None

    @property
    def is_defective(self) -> bool:
        """Whether the dimension is below the expected dimension."""
        return self.defect > 0

    @property
    def float_agrees(self) -> bool | None:
        """Whether the float cross-check found the same rank (None if not run)."""
        return None if self.float_check is None else self.float_check.rank == self.dimension

    def to_dict(self) -> dict:
        """The numbers of the command line's JSON output.

        Examples
        --------
        >>> sorted(dimension((2, 1, 1)).to_dict())   # doctest: +NORMALIZE_WHITESPACE
        ['activation', 'ambient_dimension', 'defect', 'dimension', 'expected_dimension',
         'fiber_dimension', 'filling', 'parameters', 'widths']
        """
        return {
            "widths": list(self.architecture.widths),
            "activation": str(self.architecture.activation)
            + (" (with biases)" if self.architecture.bias else ""),
            "parameters": self.parameters,
            "ambient_dimension": self.ambient_dimension,
            "expected_dimension": self.expected_dimension,
            "dimension": self.dimension,
            "defect": self.defect,
            "filling": self.filling,
            "fiber_dimension": self.fiber_dimension,
        }

    def _status(self) -> str:
        if self.certified:
            return "certain (a trial reached the proven upper bound)"
        return (f"probabilistic: the largest rank in {self.trials} trials; "
                f"wrong with probability < 1e-6")

    def _float_line(self) -> str | None:
        fc = self.float_check
        if fc is None:
            return None
        verdict = "agrees" if fc.rank == self.dimension else "DISAGREES with the exact rank"
        return (f"float SVD rank {fc.rank} ({verdict}); gap {fc.gap:.1f} decades, "
                f"condition {fc.condition:.1e}")

    def __repr__(self) -> str:
        a = self.architecture
        lines = [
            f"DimensionResult for widths {a.widths}, activation {a.activation}"
            + (", with biases" if a.bias else ""),
            f"  parameters          {self.parameters}",
            f"  ambient dimension   {self.ambient_dimension}",
            f"  expected dimension  {self.expected_dimension}",
            f"  dimension           {self.dimension}"
            + ("  (filling)" if self.filling else "")
            + (f"  (defect {self.defect})" if self.defect else ""),
            f"  fiber dimension     {self.fiber_dimension}",
            f"  method              {self.method}, p = {self.prime}, seed = {self.seed}, "
            f"{self.trials} trial(s) of {self.sample_points} points, ranks {list(self.ranks)}",
            f"  status              {self._status()}",
        ]
        if self._float_line():
            lines.append(f"  cross-check         {self._float_line()}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        a = self.architecture
        rows = [
            ("parameters", self.parameters),
            ("ambient dimension", self.ambient_dimension),
            ("expected dimension", self.expected_dimension),
            ("<b>dimension</b>", f"<b>{self.dimension}</b>"),
            ("defect", self.defect),
            ("filling", "yes" if self.filling else "no"),
            ("fiber dimension", self.fiber_dimension),
        ]
        body = "".join(f"<tr><td style='text-align:left'>{k}</td>"
                       f"<td style='text-align:right'>{v}</td></tr>" for k, v in rows)
        foot = (f"{self.method}, p = {self.prime}, seed = {self.seed}, {self.trials} trial(s) "
                f"of {self.sample_points} points; {self._status()}")
        if self._float_line():
            foot += "<br>" + self._float_line()
        bias = ", with biases" if a.bias else ""
        return (f"<div class='nagviz-result'><b>Neurovariety of widths {a.widths}, "
                f"&sigma;(z) = {a.activation}{bias}</b><table>{body}</table>"
                f"<small>{foot}</small></div>")


def dimension(arch, activation=None, *, seed: int = 0, trials: int = 2,
              prime: int = DEFAULT_PRIME, cross_check: bool = False,
              max_work: int | None = None) -> DimensionResult:
    """The dimension of the neurovariety of an architecture, computed exactly.

    Parameters
    ----------
    arch : Architecture or sequence of int
        The architecture, or just its widths (then ``activation`` applies).
    activation : int or str, optional
        Only with widths: ``r`` for ``z^r`` or a polynomial string. Default ``2``.
    seed : int, default 0
        Seed of the random parameter and input points.
    trials : int, default 2
        Independent random points to try; the dimension is the largest rank found.
        A trial that reaches the proven upper bound (the expected dimension) makes the
        answer certain, and the remaining trials are skipped.
    prime : int, default ``2^31 - 1``
        The prime to compute modulo.
    cross_check : bool, default False
        Also compute a floating-point SVD rank (see :func:`float_rank`) and report it.
    max_work : int, optional
        Refuse architectures whose estimated work exceeds this (default
        :func:`max_work`), instead of running for minutes.

    Returns
    -------
    DimensionResult

    Examples
    --------
    >>> dimension((3, 2, 1)).dimension          # defective: expected 6
    5
    >>> r = dimension((2, 3, 3, 3, 1), 3)
    >>> r.dimension, r.expected_dimension, r.certified
    (18, 18, True)
    >>> dimension(Architecture((2, 2, 1), "z^3 + z^2")).fiber_dimension
    0
    """
    if isinstance(arch, Architecture):
        if activation is not None:
            raise TypeError("give the activation inside the Architecture, not twice")
    else:
        arch = Architecture(arch, 2 if activation is None else activation)
    if isinstance(trials, bool) or not isinstance(trials, (int, np.integer)) or trials < 1:
        raise ValueError(f"trials must be a positive integer, got {trials!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    prime = _check_prime(prime)
    _check_size(arch, max_work, trials)
    rng = np.random.default_rng(seed)
    n_points = _n_points(arch)
    upper = arch.expected_dimension
    T = int(trials)
    theta = rng.integers(1, prime, size=(T, arch.n_parameters), dtype=np.int64)
    X = rng.integers(1, prime, size=(T, n_points, arch.widths[0]), dtype=np.int64)
    jacobians = _jacobian(arch, theta, X, _Residues(arch.activation, prime))  # one batch
    sketch = min(upper, arch.n_parameters) + 2
    ranks = []
    for J in jacobians:
        ranks.append(_compressed_rank_mod_p(J, prime, sketch, rng))
        if ranks[-1] == upper:  # reached the proven upper bound: more trials cannot raise it
            break
    dim = max(ranks)
    if dim > upper:  # pragma: no cover - would mean a bug in expected_dimension
        raise AssertionError(f"rank {dim} exceeds the proven upper bound {upper} for {arch!r}")
    return DimensionResult(
        architecture=arch,
        parameters=arch.n_parameters,
        ambient_dimension=arch.ambient_dimension,
        expected_dimension=upper,
        dimension=dim,
        defect=upper - dim,
        filling=dim == arch.ambient_dimension,
        fiber_dimension=arch.n_parameters - dim,
        certified=dim == upper,
        method="exact Jacobian rank modulo a prime",
        prime=int(prime),
        seed=int(seed),
        trials=len(ranks),
        sample_points=n_points,
        ranks=tuple(ranks),
        float_check=float_rank(arch, seed=seed) if cross_check else None,
    )
