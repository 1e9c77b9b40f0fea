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

from ._arithmetic import Floats, Residues
from .architecture import Architecture
from .model import Model, as_model

__all__ = [
    "check_prime",
    "default_prime",
    "dimension",
    "estimated_work",
    "failure_bound",
    "prime_problem",
    "sample_points",
    "to_residues",
    "FALLBACK_PRIMES",
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


def sample_points(model: Model) -> int:
    """Input points per trial: ``min(#params, monomials per output) + 3``.

    Examples
    --------
    >>> sample_points(Architecture((3, 2, 1)))
    9
    """
    model = as_model(model)
    return min(model.n_parameters, model.monomials_per_output) + _EXTRA_POINTS


def estimated_work(model: Model, trials: int = 2) -> int:
    """Elementary operations of :func:`dimension`: the Jacobian plus its rank, per trial.

    Examples
    --------
    >>> estimated_work(Architecture((3, 5, 1), 4))
    6160
    """
    model = as_model(model)
    P = model.n_parameters
    return trials * (model.jacobian_work(sample_points(model)) + P ** 3 // 4)


def _check_size(model: Model, limit: int | None, trials: int = 2) -> int:
    limit = max_work() if limit is None else _check_limit(limit)
    work = estimated_work(model, trials)
    if work > limit:
        rows = sample_points(model) * model.output_dimension
        raise ArchitectureTooLargeError(
            f"{model!r} is too large to compute here: {model.n_parameters:,} parameters, a "
            f"{rows:,} x {model.n_parameters:,} Jacobian, about "
            f"{work:.2e} operations against a limit of {limit:.2e}. Use a smaller network, or "
            "raise the limit with max_work= (or the NAGVIZ_MAX_WORK environment variable)."
        )
    return work


def _check_limit(limit) -> int:
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer, float)) \
            or not np.isfinite(limit) or limit < 1:
        raise ValueError(f"max_work must be a positive finite number, got {limit!r}")
    return int(limit)


# ----------------------------------------------------------------------------------
# the Jacobian, exactly modulo a prime or in floating point
# ----------------------------------------------------------------------------------
def check_prime(p) -> int:
    """A prime that int64 arithmetic can handle, or a clear error (FLINT aborts on others).

    Examples
    --------
    >>> check_prime(101)
    101
    >>> check_prime(100)
    Traceback (most recent call last):
    ...
    ValueError: 100 is not a prime; use a prime such as 2147483647 (2^31 - 1)
    """
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)) or not 2 <= p < _MAX_PRIME:
        raise ValueError(f"the prime must be an integer between 2 and {_MAX_PRIME:,}, got {p!r}")
    import flint

    if not flint.fmpz(int(p)).is_prime():
        raise ValueError(f"{p} is not a prime; use a prime such as {DEFAULT_PRIME} (2^31 - 1)")
    return int(p)


#: primes tried, in order, when the default prime does not suit a model's activation
FALLBACK_PRIMES = (DEFAULT_PRIME, 2_147_483_629, 2_147_483_587, 2_147_483_579, 2_147_483_563)


def prime_problem(model: Model, p: int) -> str | None:
    """Why reducing ``model`` modulo ``p`` could change its dimension, or None if it cannot.

    The modular computation is the network's own computation only when the reduction
    keeps the activation (its degree and every nonzero coefficient, numerators and
    denominators) and ``p`` exceeds the degrees involved, so that no exponent or
    multinomial coefficient of the forward pass and its derivative vanishes mod ``p``.

    Examples
    --------
    >>> prime_problem(Architecture((3, 5, 1), 4), 2)
    'p = 2 does not exceed the degrees of the computation (5); use a larger prime'
    >>> prime_problem(Architecture((3, 2, 1), "2147483647*z^2"), DEFAULT_PRIME) is None
    False
    >>> prime_problem(Architecture((3, 2, 1), 2), DEFAULT_PRIME) is None
    True
    """
    model = as_model(model)
    act = model.activation
    degree = max(act.degree, model.output_degree, _parameter_degree(model))
    if p <= degree:
        return (f"p = {p} does not exceed the degrees of the computation ({degree}); "
                "use a larger prime")
    for k, c in enumerate(act.coefficients):
        if c != 0 and (c.numerator % p == 0 or c.denominator % p == 0):
            return (f"the coefficient {c} of z^{k} in the activation {act} is divisible by "
                    f"p = {p}, so the activation changes modulo p; use another prime")
    return None


def _parameter_degree(model) -> int:
    return int(getattr(model, "parameter_degree", model.output_degree + 1))


def default_prime(model: Model) -> int:
    """The prime :func:`dimension` computes modulo when none is given.

    ``2^31 - 1``, unless reducing the model's activation modulo it would change it (see
    :func:`prime_problem`); then the first suitable prime of :data:`FALLBACK_PRIMES`.

    Examples
    --------
    >>> default_prime(Architecture((3, 2, 1), 2))
    2147483647
    >>> default_prime(Architecture((3, 2, 1), "2147483647*z^2"))
    2147483629
    """
    return _choose_prime(as_model(model), None)


def _choose_prime(model: Model, prime) -> int:
    if prime is None:
        for p in FALLBACK_PRIMES:
            if prime_problem(model, p) is None:
                return p
        raise ValueError(f"no default prime suits {model!r}; pass prime= explicitly")
    prime = check_prime(prime)
    problem = prime_problem(model, prime)
    if problem:
        raise ValueError(f"cannot compute {model.describe()} modulo {prime}: {problem}")
    return prime


def failure_bound(model: Model, rank: int, prime: int, trials: int) -> float:
    """An upper bound for the probability that ``trials`` trials all undercount ``rank``.

    A trial undercounts only when its random point (parameters, inputs and the sketch
    matrices, uniform in ``{1, ..., p - 1}``) is a zero of a maximal minor that does not
    vanish identically modulo ``p``. That minor has degree at most
    ``delta = rank * (parameter degree - 1 + output degree + 2)`` (the Jacobian's entries,
    plus one degree for each sketch matrix), so by the Schwartz-Zippel lemma a trial
    fails with probability at most ``delta / (p - 1)``, and independent trials all fail
    with probability at most ``(delta / (p - 1))^trials``.

    Examples
    --------
    >>> failure_bound(Architecture((3, 2, 1)), 5, DEFAULT_PRIME, 2) < 1e-15
    True
    >>> failure_bound(Architecture((3, 5, 1), 4), 14, 101, 1)
    1.0
    """
    model = as_model(model)
    delta = max(rank, 1) * (_parameter_degree(model) - 1 + model.output_degree + 2)
    return float(min(1.0, delta / (prime - 1)) ** trials)


def to_residues(values, p: int) -> np.ndarray:
    """Integers or fractions (or floats holding integers) reduced modulo ``p``, exactly.

    A float that is not an integer is refused (its value is not exact): pass a
    ``fractions.Fraction`` instead.

    Examples
    --------
    >>> from fractions import Fraction
    >>> to_residues([3, -1, Fraction(1, 2)], 7).tolist()
    [3, 6, 4]
    >>> to_residues([0.5], 7)
    Traceback (most recent call last):
    ...
    ValueError: 0.5 is not an integer: give exact numbers (int or fractions.Fraction) for computations modulo a prime
    """
    from fractions import Fraction

    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return (arr.astype(object) % p).astype(np.int64) if arr.dtype.kind == "u" \
            else arr.astype(np.int64) % p
    out = []
    for v in np.ravel(np.asarray(values, dtype=object)):
        if isinstance(v, (bool, np.bool_)):
            raise ValueError(f"{v!r} is not a number")
        if isinstance(v, (float, np.floating)):
            if not np.isfinite(v) or not float(v).is_integer():
                raise ValueError(f"{v} is not an integer: give exact numbers (int or "
                                 "fractions.Fraction) for computations modulo a prime")
            v = int(v)
        try:
            f = Fraction(v)
        except (TypeError, ValueError):
            raise ValueError(f"{v!r} is not an exact number (int or fractions.Fraction)") from None
        if f.denominator % p == 0:
            raise ValueError(f"{v} is not defined modulo {p}")
        out.append(f.numerator * pow(f.denominator, -1, p) % p)
    return np.array(out, dtype=np.int64).reshape(arr.shape)


def _prepare(model, theta, X, convert):
    model = as_model(model)
    theta, X = convert(theta), convert(X)
    if theta.shape != (model.n_parameters,):
        raise ValueError(f"theta must have shape ({model.n_parameters},), got {theta.shape}")
    n = model.input_dimension
    if X.ndim != 2 or X.shape[1] != n:
        raise ValueError(f"X must have shape (N, {n}), got {X.shape}")
    return model, theta[None], X[None]


def jacobian_mod_p(model, theta, X, p: int = DEFAULT_PRIME) -> np.ndarray:
    """The Jacobian of ``w -> (f_w(x_1), ..., f_w(x_N))`` at ``w = theta``, modulo ``p``.

    Computed with int64 residues reduced after every product, by the model's
    :meth:`~nagviz.model.Model.jacobian` (backpropagation for MLPs, forward-mode dual
    numbers for other families).

    Parameters
    ----------
    model : Model (Architecture, CNNArchitecture, ...) or widths
    theta : array_like of int or Fraction, shape (n_parameters,)
        A parameter point (reduced modulo ``p``; floats only if they hold integers).
    X : array_like of int or Fraction, shape (N, d_0)
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
    p = check_prime(p)
    model, theta, X = _prepare(model, theta, X, lambda v: to_residues(v, p))
    return model.jacobian(theta, X, Residues(model.activation, p))[0]


def jacobian_float(model, theta, X) -> np.ndarray:
    """The same Jacobian as :func:`jacobian_mod_p`, in floating point.

    Examples
    --------
    >>> jacobian_float(Architecture((1, 1, 1)), [2.0, 3.0], [[1.0]]).tolist()
    [[12.0, 4.0]]
    """
    model, theta, X = _prepare(model, theta, X, lambda v: np.asarray(v, dtype=float))
    if not (np.all(np.isfinite(theta)) and np.all(np.isfinite(X))):
        raise ValueError("the parameters or inputs are not all finite: give finite numbers")
    return model.jacobian(theta, X, Floats(model.activation))[0]


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
    p = check_prime(p)
    M = to_residues(M, p)
    if M.ndim != 2:
        raise ValueError(f"expected a matrix, got an array of shape {M.shape}")
    return _rank_residues(M, p)


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


def float_rank(model, seed=0, scale: float = 1.0) -> FloatRankResult:
    """Rank of the Jacobian at a random real point by a floating-point SVD.

    Gaussian parameters and Gaussian inputs, with the same number of sample points
    as :func:`dimension`. Use it as a cross-check only: for deep or high-degree networks
    the float rank is wrong.

    Examples
    --------
    >>> float_rank(Architecture((3, 2, 1), 2)).rank      # well conditioned: agrees with dim 5
    5
    """
    model = as_model(model)
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.number)) \
            or not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive finite number, got {scale!r}")
    _check_size(model, None, trials=1)
    rng = np.random.default_rng(seed)
    theta = scale * rng.standard_normal(model.n_parameters)
    X = rng.standard_normal((sample_points(model), model.input_dimension))
    J = jacobian_float(model, theta, X)
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
    architecture : Model
        The network family member (an :class:`Architecture`, a CNN, ...).
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
        Otherwise it is correct with high probability (see :mod:`nagviz.jacobian_rank`).
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
    failure_probability: float = 0.0

    @property
    def model(self) -> Model:
        """The model whose neurovariety this is (same as :attr:`architecture`)."""
        return self.architecture

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
            **self.architecture.identity(),
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
        return (f"probabilistic: the largest rank in {self.trials} trials; too low with "
                f"probability <= {self.failure_probability:.1e} (Schwartz-Zippel)")

    def _float_line(self) -> str | None:
        fc = self.float_check
        if fc is None:
            return None
        verdict = "agrees" if fc.rank == self.dimension else "DISAGREES with the exact rank"
        return (f"float SVD rank {fc.rank} ({verdict}); gap {fc.gap:.1f} decades, "
                f"condition {fc.condition:.1e}")

    def __repr__(self) -> str:
        lines = [
            f"DimensionResult for {self.architecture.describe()}",
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

    def plot(self, ax=None, **kwargs):
        """Bars of the counts and the dimension, with matplotlib (:func:`nagviz.plotting.plot_dimension`); returns the axes."""
        from .plotting import plot_dimension

        return plot_dimension(self, ax=ax, **kwargs)

    def _repr_html_(self) -> str:
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
        import html

        head = html.escape(self.architecture.describe()).replace("activation ", "&sigma;(z) = ")
        return (f"<div class='nagviz-result'><b>Neurovariety of {head}</b>"
                f"<table>{body}</table><small>{foot}</small></div>")


def dimension(model, activation=None, *, seed: int = 0, trials: int = 2,
              prime: int | None = None, cross_check: bool = False,
              max_work: int | None = None) -> DimensionResult:
    """The dimension of the neurovariety of a model, computed exactly.

    Parameters
    ----------
    model : Model or sequence of int
        Any network family (:class:`Architecture`, :class:`nagviz.cnn.CNNArchitecture`,
        ...), or just MLP widths (then ``activation`` applies).
    activation : int or str, optional
        Only with widths: ``r`` for ``z^r`` or a polynomial string. Default ``2``.
    seed : int, default 0
        Seed of the random parameter and input points.
    trials : int, default 2
        Independent random points to try; the dimension is the largest rank found.
        A trial that reaches the proven upper bound (the expected dimension) makes the
        answer certain, and the remaining trials are skipped.
    prime : int, optional
        The prime to compute modulo. By default ``2^31 - 1``, or the next prime of
        :data:`FALLBACK_PRIMES` when reduction modulo ``2^31 - 1`` would change the
        activation (see :func:`prime_problem`). A prime given explicitly that does not
        suit the model is refused, with the reason.
    cross_check : bool, default False
        Also compute a floating-point SVD rank (see :func:`float_rank`) and report it.
    max_work : int, optional
        Refuse models whose estimated work exceeds this (default :func:`max_work`),
        instead of running for minutes.

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
    >>> dimension((3, 2, 1), "2147483647*z^2").dimension   # computed modulo another prime
    5
    """
    if isinstance(model, Model):
        if activation is not None:
            raise TypeError("give the activation inside the model, not twice")
    else:
        model = Architecture(model, 2 if activation is None else activation)
    if isinstance(trials, bool) or not isinstance(trials, (int, np.integer)) or trials < 1:
        raise ValueError(f"trials must be a positive integer, got {trials!r}")
    if trials > 1000:
        raise ValueError(f"trials must be at most 1000, got {trials}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    prime = _choose_prime(model, prime)
    _check_size(model, max_work, trials)
    rng = np.random.default_rng(seed)
    n_points = sample_points(model)
    upper = model.expected_dimension
    T = int(trials)
    theta = rng.integers(1, prime, size=(T, model.n_parameters), dtype=np.int64)
    X = rng.integers(1, prime, size=(T, n_points, model.input_dimension), dtype=np.int64)
    jacobians = model.jacobian(theta, X, Residues(model.activation, prime))  # one batch
    sketch = min(upper, model.n_parameters) + 2
    ranks = []
    for J in jacobians:
        ranks.append(_compressed_rank_mod_p(J, prime, sketch, rng))
        if ranks[-1] == upper:  # reached the proven upper bound: more trials cannot raise it
            break
    dim = max(ranks)
    if dim > upper:  # pragma: no cover - would mean a bug in expected_dimension
        raise AssertionError(f"rank {dim} exceeds the proven upper bound {upper} for {model!r}")
    return DimensionResult(
        architecture=model,
        parameters=model.n_parameters,
        ambient_dimension=model.ambient_dimension,
        expected_dimension=upper,
        dimension=dim,
        defect=upper - dim,
        filling=dim == model.ambient_dimension,
        fiber_dimension=model.n_parameters - dim,
        certified=dim == upper,
        method="exact Jacobian rank modulo a prime",
        prime=int(prime),
        seed=int(seed),
        trials=len(ranks),
        sample_points=n_points,
        ranks=tuple(ranks),
        float_check=float_rank(model, seed=seed) if cross_check else None,
        failure_probability=0.0 if dim == upper else failure_bound(model, upper, prime, len(ranks)),
    )
