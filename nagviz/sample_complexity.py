"""Sample complexity, measured: how many samples pin down a network's function?

The experiment of :func:`recovery_experiment`:

1. draw a *teacher* network of an architecture with random weights;
2. give a *student* of the same architecture ``N`` generic samples ``(x_i, f(x_i))`` and
   fit them by least squares (Levenberg–Marquardt with the exact Jacobian, from several
   random starting points);
3. measure how far the learnt function is from the teacher on fresh inputs.

The geometry predicts the outcome for one output. The functions of the neurovariety
``V`` that agree with the teacher at ``N`` generic points form ``V`` cut by an affine
space of codimension ``N``. For ``N < dim V`` that is a positive-dimensional family, so
a student can interpolate the data without being the teacher; at ``N = dim V`` only
finitely many functions remain; from ``N = dim V + 1`` on, only the teacher. So the
number of samples needed is the **dimension** of the neurovariety, not the number of
parameters (larger, for wide networks) and not the ambient dimension that plain
polynomial regression needs (much larger, for narrow or deep ones).

The linear-algebra shadow of this is exact: at a generic parameter point the Jacobian
of ``w -> (f_w(x_1), ..., f_w(x_N))`` has rank ``min(N, dim V)`` for one output
(:func:`local_rank`, computed modulo a prime).

Fitting is numerical optimization, so it can fail: a restart can stall at a spurious
critical point. The result therefore keeps every restart's training loss, and counts a
restart as interpolating only when its relative training loss is below
``interpolation_tol``. A failure to recover with no interpolating restart is an
optimization failure, not evidence about identifiability; shallow networks are
reliable, deep or high-degree ones need more restarts.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .activation import Activation
from .architecture import Architecture
from .cache import memoize
from .jacobian_rank import DEFAULT_PRIME, jacobian_float, jacobian_mod_p, rank_mod_p
from .parameterization import evaluate
from .shipped_recovery import decode_recovery, encode_recovery
from .sweeps import cached_dimension

__all__ = [
    "RecoveryResult",
    "recovery_experiment",
    "local_rank",
    "teacher_parameters",
    "fit_student",
    "regression_error",
    "monomial_features",
    "sample_inputs",
    "InterpolantsAtDimension",
    "interpolants_at_dimension",
]

_METHODS = ("lm", "trf")
_INPUTS = ("sphere", "gaussian")


def _as_arch(arch, activation=None) -> Architecture:
    if isinstance(arch, Architecture):
        if activation is not None:
            raise TypeError("give the activation inside the Architecture, not twice")
        return arch
    return Architecture(arch, 2 if activation is None else activation)


# ----------------------------------------------------------------------------------
# building blocks
# ----------------------------------------------------------------------------------
def sample_inputs(arch, n: int, *, seed=0, inputs: str = "sphere") -> np.ndarray:
    """``n`` generic input points: Gaussian, or Gaussian directions scaled to length one.

    For networks without biases and a monomial activation the function is homogeneous,
    so a point and its rescaling carry the same information; points on the sphere keep
    the samples on one scale, which makes least squares better conditioned.

    Examples
    --------
    >>> X = sample_inputs(Architecture((3, 2, 1)), 4, seed=0)
    >>> X.shape, bool(np.allclose(np.linalg.norm(X, axis=1), 1))
    ((4, 3), True)
    """
    arch = _as_arch(arch)
    if inputs not in _INPUTS:
        raise ValueError(f"inputs must be one of {_INPUTS}, got {inputs!r}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((int(n), arch.widths[0]))
    if inputs == "sphere":
        X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X


def _random_weights(arch: Architecture, rng) -> np.ndarray:
    """Gaussian weights with variance ``1 / fan-in`` (biases likewise), in the flat layout."""
    parts = []
    for rows, cols in arch.layer_shapes:
        parts.append(rng.standard_normal(rows * cols) / np.sqrt(cols))
        if arch.bias:
            parts.append(rng.standard_normal(rows) / np.sqrt(cols))
    return np.concatenate(parts)


def teacher_parameters(arch, *, seed=0, n_reference: int = 2000) -> np.ndarray:
    """Random teacher weights of moderate scale, normalized to unit RMS output.

    Weights are Gaussian with variance ``1 / fan-in``; the last layer is then rescaled
    so that the outputs have root-mean-square one on standard Gaussian inputs.

    Examples
    --------
    >>> arch = Architecture((3, 2, 1), 2)
    >>> w = teacher_parameters(arch, seed=0)
    >>> X = np.random.default_rng(1).standard_normal((4000, 3))
    >>> 0.8 < float(np.sqrt(np.mean(evaluate(arch, w, X) ** 2))) < 1.2
    True
    """
    arch = _as_arch(arch)
    rng = np.random.default_rng([int(seed), 0])
    w = _random_weights(arch, rng)
    X = rng.standard_normal((n_reference, arch.widths[0]))
    rms = float(np.sqrt(np.mean(evaluate(arch, w, X) ** 2)))
    if rms > 0 and np.isfinite(rms):
        rows, cols = arch.layer_shapes[-1]
        last = rows * cols + (rows if arch.bias else 0)
        w[-last:] /= rms
    return w


def _relative_error(arch, w, w_ref, X) -> float:
    f, g = evaluate(arch, w, X), evaluate(arch, w_ref, X)
    with np.errstate(all="ignore"):
        err = float(np.linalg.norm(f - g) / np.linalg.norm(g))
    return err if np.isfinite(err) else float("inf")


def fit_student(arch, X, y, *, seed=0, method: str = "lm", max_nfev: int = 300,
                w0=None) -> tuple[np.ndarray, float]:
    """Fit a network to samples by nonlinear least squares from one random start.

    ``scipy.optimize.least_squares`` with the exact Jacobian of
    :func:`nagviz.jacobian_rank.jacobian_float`. Levenberg–Marquardt (``"lm"``, MINPACK)
    needs at least as many residuals as parameters, so when there are fewer samples the
    residual vector is padded with zeros (which changes neither the loss nor the steps'
    solution set). ``"trf"`` (trust region reflective) is the alternative.

    Parameters
    ----------
    arch : Architecture
    X : array_like, shape (N, d_0)
    y : array_like, shape (N, d_L) or (N * d_L,)
    seed : int
        Seed of the random starting point (variance ``1 / fan-in``), unless ``w0`` is given.
    method : {"lm", "trf"}
    max_nfev : int
        Budget of residual evaluations.
    w0 : array_like, optional
        Starting point.

    Returns
    -------
    (numpy.ndarray, float)
        The fitted parameters and the relative training loss
        ``||f_w(X) - y||^2 / ||y||^2``.

    Examples
    --------
    >>> arch = Architecture((2, 1, 1), 2)
    >>> X = sample_inputs(arch, 5, seed=1)
    >>> y = evaluate(arch, [1.0, 2.0, 0.5], X)
    >>> w, loss = fit_student(arch, X, y, seed=0)
    >>> loss < 1e-20
    True
    """
    from scipy.optimize import least_squares

    arch = _as_arch(arch)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    P = arch.n_parameters
    if y.size != X.shape[0] * arch.widths[-1]:
        raise ValueError(f"y has {y.size} values; expected {X.shape[0]} x {arch.widths[-1]}")
    if w0 is None:
        w0 = _random_weights(arch, np.random.default_rng(seed))
    pad = max(0, P - y.size) if method == "lm" else 0
    scale = float(np.dot(y, y)) or 1.0

    def residual(w):
        r = evaluate(arch, w, X).ravel() - y
        return np.concatenate([r, np.zeros(pad)]) if pad else r

    def jacobian(w):
        J = jacobian_float(arch, w, X)
        return np.vstack([J, np.zeros((pad, P))]) if pad else J

    with np.errstate(all="ignore"):
        try:
            sol = least_squares(residual, np.asarray(w0, dtype=float), jac=jacobian,
                                method=method, xtol=1e-14, ftol=1e-14, gtol=1e-15,
                                x_scale="jac", max_nfev=int(max_nfev))
            w = sol.x
            r = evaluate(arch, w, X).ravel() - y
            loss = float(np.dot(r, r) / scale)
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            w, loss = np.asarray(w0, dtype=float), float("inf")
    return w, (loss if np.isfinite(loss) else float("inf"))


def local_rank(arch, n_samples: int, *, seed: int = 0, prime: int = DEFAULT_PRIME) -> int:
    """Rank of the Jacobian of ``w -> (f_w(x_1), ..., f_w(x_N))`` at a random point, exactly.

    Computed modulo ``prime`` at random parameters and ``N`` random input points. For
    one output it equals ``min(N, dim V)``: each generic sample removes one dimension
    of the tangent space until none is left (a nonzero polynomial does not vanish at a
    generic point). With ``d_L`` outputs it is at most ``min(N d_L, dim V)``.

    Examples
    --------
    >>> [local_rank((3, 2, 1), n) for n in (3, 5, 7)]    # dim = 5
    [3, 5, 5]
    """
    arch = _as_arch(arch)
    n = int(n_samples)
    if n < 0:
        raise ValueError(f"the number of samples must be >= 0, got {n}")
    if n == 0:
        return 0
    rng = np.random.default_rng([int(seed), 3, n])
    theta = rng.integers(1, prime, size=arch.n_parameters, dtype=np.int64)
    X = rng.integers(1, prime, size=(n, arch.widths[0]), dtype=np.int64)
    return rank_mod_p(jacobian_mod_p(arch, theta, X, prime), prime)


def monomial_features(arch, X) -> np.ndarray:
    """The design matrix of polynomial regression: every ambient monomial at every point.

    Columns follow :meth:`Architecture.monomials`.

    Examples
    --------
    >>> monomial_features(Architecture((2, 1, 1)), [[1.0, 2.0]]).tolist()   # x^2, xy, y^2
    [[1.0, 2.0, 4.0]]
    """
    arch = _as_arch(arch)
    X = np.asarray(X, dtype=float)
    E = np.array(arch.monomials())  # (M, d_0)
    return np.prod(X[:, None, :] ** E[None, :, :], axis=-1)


def regression_error(arch, w_teacher, X, X_test) -> float:
    """Relative test error of polynomial regression on all ambient monomials.

    Least squares with the minimum-norm solution when the system is underdetermined. It
    recovers every polynomial of the ambient space once ``N >=`` the number of
    monomials per output, and generally not before.

    Examples
    --------
    >>> arch = Architecture((3, 2, 1), 2)                # 6 monomials
    >>> w = teacher_parameters(arch, seed=0)
    >>> Xt = sample_inputs(arch, 200, seed=9, inputs="gaussian")
    >>> [regression_error(arch, w, sample_inputs(arch, n, seed=1), Xt) < 1e-8 for n in (5, 6)]
    [False, True]
    """
    arch = _as_arch(arch)
    Phi = monomial_features(arch, X)
    Y = evaluate(arch, w_teacher, np.asarray(X, dtype=float))
    coef, *_ = np.linalg.lstsq(Phi, Y, rcond=None)
    pred = monomial_features(arch, X_test) @ coef
    truth = evaluate(arch, w_teacher, np.asarray(X_test, dtype=float))
    return float(np.linalg.norm(pred - truth) / np.linalg.norm(truth))


# ----------------------------------------------------------------------------------
# the experiment
# ----------------------------------------------------------------------------------
def _ro(a):
    a = np.asarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class RecoveryResult:
    """Recovery of a teacher network from ``N`` samples, for several ``N``.

    All arrays have one entry per sample size.

    Attributes
    ----------
    architecture : Architecture
    dimension, parameters, ambient_dimension : int
        Of the neurovariety (exact), for comparison.
    sample_sizes : tuple of int
    best_error : numpy.ndarray
        Relative L2 error, on fresh Gaussian inputs, of the restart with the smallest
        training loss (the student one would keep).
    median_error : numpy.ndarray
        Median error over the restarts that interpolate (NaN if none did).
    train_loss : numpy.ndarray
        The smallest relative training loss ``||f(X) - y||^2 / ||y||^2``.
    interpolating : numpy.ndarray of int
        How many restarts reached ``train_loss < interpolation_tol``.
    restarts_run : numpy.ndarray of int
        Restarts run (fewer than ``restarts`` when ``stop_after`` interpolants were found).
    local_rank : numpy.ndarray of int
        Exact rank of the Jacobian of parameters -> the ``N`` sample values.
    regression_error : numpy.ndarray
        Relative error of polynomial regression on all ambient monomials, same samples.
    restart_losses, restart_errors : tuple of tuple of float
        Every restart's training loss and recovery error, per sample size.
    method, inputs : str
    seed, restarts, stop_after, max_nfev, n_test : int
    interpolation_tol, recovery_tol : float
    seconds : float
        Wall time of the computation (of the original run when read from the cache).
    """

    architecture: Architecture
    dimension: int
    parameters: int
    ambient_dimension: int
    sample_sizes: tuple
    best_error: np.ndarray
    median_error: np.ndarray
    train_loss: np.ndarray
    interpolating: np.ndarray
    restarts_run: np.ndarray
    local_rank: np.ndarray
    regression_error: np.ndarray
    restart_losses: tuple
    restart_errors: tuple
    method: str
    inputs: str
    seed: int
    restarts: int
    stop_after: int
    max_nfev: int
    n_test: int
    interpolation_tol: float
    recovery_tol: float
    seconds: float

    @property
    def recovered(self) -> np.ndarray:
        """Whether the kept student interpolates and matches the teacher within tolerance."""
        return (self.train_loss < self.interpolation_tol) & (self.best_error < self.recovery_tol)

    @property
    def optimization_failed(self) -> np.ndarray:
        """Sample sizes at which no restart interpolated the data."""
        return self.interpolating == 0

    @property
    def transition(self) -> int | None:
        """The smallest ``N`` from which every larger sample size tried was recovered."""
        out = None
        for n, ok in zip(reversed(self.sample_sizes), reversed(self.recovered)):
            if not ok:
                break
            out = n
        return out

    @property
    def regression_samples(self) -> int:
        """Samples plain polynomial regression needs: the monomials per output."""
        return self.architecture.monomials_per_output

    def to_dict(self) -> dict:
        """The numbers as plain Python lists (JSON-ready).

        Examples
        --------
        >>> r = recovery_experiment((2, 1, 1), [1, 3], restarts=2, cache=False)
        >>> r.to_dict()["sample_sizes"], r.to_dict()["local_rank"]
        ([1, 3], [1, 2])
        """
        out = {"widths": list(self.architecture.widths),
               "activation": str(self.architecture.activation),
               "bias": self.architecture.bias}
        for k in ("dimension", "parameters", "ambient_dimension", "method", "inputs", "seed",
                  "restarts", "stop_after", "max_nfev", "n_test", "interpolation_tol",
                  "recovery_tol", "seconds"):
            out[k] = getattr(self, k)
        out["sample_sizes"] = list(self.sample_sizes)
        for k in ("best_error", "median_error", "train_loss", "interpolating", "restarts_run",
                  "local_rank", "regression_error"):
            out[k] = np.asarray(getattr(self, k)).tolist()
        out["restart_losses"] = [list(x) for x in self.restart_losses]
        out["restart_errors"] = [list(x) for x in self.restart_errors]
        return out

    def _footer(self) -> str:
        return (f"{self.method.upper()} least squares, {self.restarts} restarts max (stop after "
                f"{self.stop_after} interpolating), inputs on the "
                f"{'unit sphere' if self.inputs == 'sphere' else 'Gaussian'}, error on "
                f"{self.n_test} fresh Gaussian inputs; interpolating: loss < "
                f"{self.interpolation_tol:.0e}, recovered: error < {self.recovery_tol:.0e}; "
                f"seed = {self.seed}; ranks exact modulo {DEFAULT_PRIME}")

    def __repr__(self) -> str:
        a = self.architecture
        lines = [f"RecoveryResult for widths {a.widths}, activation {a.activation}"
                 + (", with biases" if a.bias else ""),
                 f"  dimension {self.dimension}, parameters {self.parameters}, ambient "
                 f"{self.ambient_dimension} (regression needs {self.regression_samples} samples)",
                 "      N  rank  best error  median error  train loss  interp  regression"]
        for i, n in enumerate(self.sample_sizes):
            lines.append(
                f"  {n:>5}  {int(self.local_rank[i]):>4}  {self.best_error[i]:>10.1e}  "
                f"{self.median_error[i]:>12.1e}  {self.train_loss[i]:>10.1e}  "
                f"{int(self.interpolating[i]):>3}/{int(self.restarts_run[i]):<3} "
                f"{self.regression_error[i]:>10.1e}")
        t = self.transition
        lines.append(f"  recovered from N = {t}" if t is not None else
                     "  not recovered at the largest N tried")
        lines.append("  " + self._footer())
        return "\n".join(lines)

    def plot(self, ax=None, **kwargs):
        """Distance to the teacher against the number of samples, with matplotlib (:func:`nagviz.plotting.plot_recovery`); returns the axes."""
        from .plotting import plot_recovery

        return plot_recovery(self, ax=ax, **kwargs)

    def _repr_html_(self) -> str:
        head = ("<tr><th>N</th><th>Jacobian rank</th><th>best error</th><th>median error</th>"
                "<th>train loss</th><th>interpolating</th><th>regression error</th></tr>")
        body = ""
        for i, n in enumerate(self.sample_sizes):
            style = " style='background:#e3f1e3'" if self.recovered[i] else ""
            body += (f"<tr{style}><td>{n}</td><td>{int(self.local_rank[i])}</td>"
                     f"<td>{self.best_error[i]:.1e}</td><td>{self.median_error[i]:.1e}</td>"
                     f"<td>{self.train_loss[i]:.1e}</td><td>{int(self.interpolating[i])}/"
                     f"{int(self.restarts_run[i])}</td>"
                     f"<td>{self.regression_error[i]:.1e}</td></tr>")
        a = self.architecture
        t = self.transition
        summary = (f"dimension {self.dimension}, parameters {self.parameters}, ambient "
                   f"{self.ambient_dimension}; recovered from N = {t}" if t is not None else
                   f"dimension {self.dimension}; not recovered at the largest N tried")
        return (f"<div class='nagviz-result'><b>Recovering a teacher of widths {a.widths}, "
                f"&sigma;(z) = {html.escape(str(a.activation))}</b><br>{summary}"
                f"<table>{head}{body}</table><small>{html.escape(self._footer())}</small></div>")


def _is_consistent(r: RecoveryResult, arch, sizes, restarts, stop_after, seed, method, inputs,
                   n_test, interpolation_tol, recovery_tol, max_nfev, dim, *rest,
                   **kwargs) -> bool:
    """Whether a result read back from disk is the one asked for and hangs together."""
    n = len(sizes)
    asked = (r.architecture == arch and r.sample_sizes == tuple(sizes)
             and (r.restarts, r.stop_after, r.seed, r.method, r.inputs, r.n_test, r.max_nfev)
             == (restarts, stop_after, seed, method, inputs, n_test, max_nfev)
             and (r.interpolation_tol, r.recovery_tol) == (interpolation_tol, recovery_tol)
             and r.dimension == dim and r.parameters == arch.n_parameters
             and r.ambient_dimension == arch.ambient_dimension)
    if not asked or len(r.restart_losses) != n or len(r.restart_errors) != n:
        return False
    for k in ("best_error", "median_error", "train_loss", "interpolating", "restarts_run",
              "local_rank", "regression_error"):
        if np.shape(getattr(r, k)) != (n,):
            return False
    outputs = arch.widths[-1]
    for i, size in enumerate(sizes):
        runs = int(r.restarts_run[i])
        if not (1 <= runs <= restarts and len(r.restart_losses[i]) == runs
                and len(r.restart_errors[i]) == runs
                and 0 <= r.interpolating[i] <= runs
                and 0 <= r.local_rank[i] <= min(size * outputs, dim)):
            return False
    return True


def recovery_experiment(arch, sample_sizes=None, activation=None, *, restarts: int = 12,
                        stop_after: int = 3, seed: int = 0, method: str = "lm",
                        inputs: str = "sphere", n_test: int = 1000, max_nfev: int = 300,
                        interpolation_tol: float = 1e-20, recovery_tol: float = 1e-6,
                        progress=None, cache: bool = True,
                        cache_dir=None) -> RecoveryResult:
    """Fit a student to ``N`` samples of a teacher of the same architecture, for each ``N``.

    Parameters
    ----------
    arch : Architecture or sequence of int
    sample_sizes : sequence of int, optional
        Default: ``1, 2, ..., dim + 3``. The samples are nested: the first ``N`` points
        of one stream, so larger ``N`` only adds points.
    activation : int or str, optional
        Only with bare widths (default ``2``).
    restarts : int, default 12
        Most random starting points per sample size.
    stop_after : int, default 3
        Stop once this many restarts interpolate the data (they are then the teacher if
        ``N > dim``, and a sample of the interpolating family otherwise).
    seed : int, default 0
        Seeds the teacher, the samples, the test inputs and every restart.
    method : {"lm", "trf"}, default "lm"
        ``scipy.optimize.least_squares`` method; ``"lm"`` is Levenberg–Marquardt.
    inputs : {"sphere", "gaussian"}, default "sphere"
        Training inputs (see :func:`sample_inputs`). Test inputs are always Gaussian.
    n_test : int, default 1000
        Fresh inputs on which the recovery error is measured.
    max_nfev : int, default 300
        Budget of residual evaluations per restart.
    interpolation_tol : float, default 1e-20
        A restart interpolates when its relative training loss is below this.
    recovery_tol : float, default 1e-6
        The teacher counts as recovered when the kept student's error is below this.
    progress : callable, optional
        Called as ``progress(done, total)`` over the sample sizes.
    cache : bool, default True
        Remember the result in memory and on disk (see :mod:`nagviz.cache`), and answer
        notebook 02's four presets from the results the package ships
        (:mod:`nagviz.shipped_recovery`; ``NAGVIZ_NO_SHIPPED=1`` computes them).
    cache_dir : str, Path, bool or None
        See :func:`nagviz.cache.cache_directory`; ``False``: memory only.

    Returns
    -------
    RecoveryResult

    Notes
    -----
    The same arguments give the same experiment up to floating-point round-off, not bit
    for bit: compiled solver code may round differently from one process to the next
    (it depends on memory alignment), which moves errors of a recovered teacher around
    ``1e-15`` and can decide whether a slowly converging restart reaches the
    interpolation tolerance within ``max_nfev``. The exact quantities (``dimension``,
    ``local_rank``) never change; the cache returns a stored result unchanged.

    Examples
    --------
    ``(3, 2, 1)`` with ``z^2``: quadrics of rank two, a hypersurface of dimension 5 in
    the 6-dimensional space of ternary quadrics, parameterized by 8 weights.

    >>> r = recovery_experiment((3, 2, 1), [4, 6, 7], cache=False)
    >>> r.dimension, r.transition
    (5, 6)
    >>> r.local_rank.tolist()
    [4, 5, 5]
    """
    arch = _as_arch(arch, activation)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if inputs not in _INPUTS:
        raise ValueError(f"inputs must be one of {_INPUTS}, got {inputs!r}")
    for name, v in (("restarts", restarts), ("stop_after", stop_after), ("n_test", n_test),
                    ("max_nfev", max_nfev)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    dim = cached_dimension(arch, cache_dir=cache_dir if cache else False).dimension
    if sample_sizes is None:
        sample_sizes = range(1, dim + 4)
    sizes = tuple(int(n) for n in sample_sizes)
    if not sizes or min(sizes) < 1:
        raise ValueError(f"sample sizes must be positive integers, got {sizes}")
    seed = int(seed)
    args = (arch, sizes, int(restarts), int(stop_after), seed, method, inputs, int(n_test),
            float(interpolation_tol), float(recovery_tol), int(max_nfev), dim)
    if not cache:
        return _recovery.uncached(*args, progress=progress)
    from .shipped_recovery import lookup  # notebook 02's presets, computed once

    shipped = lookup(args)
    if shipped is not None:
        if progress is not None:
            progress(len(sizes), len(sizes))
        return shipped
    reported = []

    def relay(done, total):
        reported.append(done)
        progress(done, total)

    result = _recovery(*args, progress=None if progress is None else relay, cache_dir=cache_dir)
    if progress is not None and not reported:  # from the cache
        progress(len(sizes), len(sizes))
    return result


@memoize("recovery", disk=True, maxsize=64, encode=encode_recovery, decode=decode_recovery,
         validate=_is_consistent, ignore=("progress",))
def _recovery(arch, sizes, restarts, stop_after, seed, method, inputs, n_test,
              interpolation_tol, recovery_tol, max_nfev, dim, progress=None, cache_dir=None):
    start = time.perf_counter()
    teacher = teacher_parameters(arch, seed=seed)
    X_all = sample_inputs(arch, max(sizes), seed=[seed, 1], inputs=inputs)
    X_test = sample_inputs(arch, n_test, seed=[seed, 2], inputs="gaussian")
    rows = {k: [] for k in ("best_error", "median_error", "train_loss", "interpolating",
                            "restarts_run", "local_rank", "regression_error")}
    all_losses, all_errors = [], []
    if progress is not None:
        progress(0, len(sizes))
    for i, n in enumerate(sizes, start=1):
        X = X_all[:n]
        y = evaluate(arch, teacher, X)
        losses, errors = [], []
        for k in range(int(restarts)):
            w, loss = fit_student(arch, X, y, seed=[seed, 4, n, k], method=method,
                                  max_nfev=max_nfev)
            losses.append(loss)
            errors.append(_relative_error(arch, w, teacher, X_test))
            if sum(v < interpolation_tol for v in losses) >= stop_after:
                break
        losses_a, errors_a = np.array(losses), np.array(errors)
        ok = losses_a < interpolation_tol
        best = int(np.argmin(losses_a))
        rows["best_error"].append(errors_a[best])
        rows["median_error"].append(float(np.median(errors_a[ok])) if ok.any() else np.nan)
        rows["train_loss"].append(losses_a[best])
        rows["interpolating"].append(int(ok.sum()))
        rows["restarts_run"].append(len(losses))
        rows["local_rank"].append(local_rank(arch, n, seed=seed))
        rows["regression_error"].append(regression_error(arch, teacher, X, X_test))
        all_losses.append(tuple(float(v) for v in losses))
        all_errors.append(tuple(float(v) for v in errors))
        if progress is not None:
            progress(i, len(sizes))
    return RecoveryResult(
        architecture=arch, dimension=dim, parameters=arch.n_parameters,
        ambient_dimension=arch.ambient_dimension, sample_sizes=sizes,
        **{k: _ro(np.array(v, dtype=int if k in ("interpolating", "restarts_run", "local_rank")
                           else float)) for k, v in rows.items()},
        restart_losses=tuple(all_losses), restart_errors=tuple(all_errors), method=method,
        inputs=inputs, seed=seed, restarts=int(restarts), stop_after=int(stop_after),
        max_nfev=int(max_nfev), n_test=int(n_test),
        interpolation_tol=interpolation_tol, recovery_tol=recovery_tol,
        seconds=time.perf_counter() - start)


# ----------------------------------------------------------------------------------
# N = dim: finitely many interpolants, counted by the degree
# ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class InterpolantsAtDimension:
    """Every function of a hypersurface neurovariety that fits ``N = dim`` teacher samples.

    The polynomials of the ambient space that take the teacher's values at ``N = dim``
    generic points form an affine line; it meets the neurovariety ``V`` (a hypersurface)
    in exactly ``deg V`` complex points, the teacher among them.

    Attributes
    ----------
    architecture : Architecture
    n_samples : int
        ``N = dim V = ambient - 1``.
    degree : int
        The degree of ``V``: the number of complex interpolants.
    parameters : numpy.ndarray of complex
        Where the line ``c_0 + t v`` of interpolating polynomials meets ``V``.
    coefficients : numpy.ndarray of complex, shape (degree, ambient)
        The interpolants, in the coordinates of :meth:`Architecture.monomials`.
    is_real : numpy.ndarray of bool
    errors : numpy.ndarray of float
        Relative L2 distance of each real interpolant to the teacher on the fresh test
        inputs of :func:`recovery_experiment` with the same seed (NaN for complex ones).
    teacher_index : int
        The interpolant that is the teacher.
    seed : int
    method : str
    """

    architecture: Architecture
    n_samples: int
    degree: int
    parameters: np.ndarray
    coefficients: np.ndarray
    is_real: np.ndarray
    errors: np.ndarray
    teacher_index: int
    seed: int
    method: str = ("the line of interpolating polynomials cut with the equation of V "
                   "(found by interpolation); roots by numpy.roots")

    @property
    def n_real(self) -> int:
        """How many interpolants are real (the others come in conjugate pairs)."""
        return int(np.sum(self.is_real))

    @property
    def real_errors(self) -> np.ndarray:
        """The errors of the real interpolants, sorted (the teacher's is ~0)."""
        return np.sort(self.errors[self.is_real])

    def __repr__(self) -> str:
        errs = ", ".join(f"{e:.3g}" for e in self.real_errors)
        a = self.architecture
        return (f"InterpolantsAtDimension for widths {a.widths}, activation {a.activation}: "
                f"N = {self.n_samples} samples are fitted by {self.degree} functions of V over "
                f"C ({self.n_real} real; errors against the teacher {errs}); seed = "
                f"{self.seed}; {self.method}")


def interpolants_at_dimension(arch, activation=None, *, seed: int = 0, inputs: str = "sphere",
                              n_test: int = 1000) -> InterpolantsAtDimension:
    """All functions of ``V`` through ``N = dim V`` samples of the teacher, exactly.

    Uses the teacher, the samples and the test inputs of :func:`recovery_experiment`
    with the same ``seed`` (its first ``N`` samples), so the students fitted there at
    ``N = dim`` can be compared with this list. Needs one output, no biases, and a
    neurovariety that is a hypersurface (``dim = ambient - 1``): then the polynomials
    taking the sampled values form a line, and :func:`nagviz.degree.line_slice` finds
    where it meets the equation of ``V`` from :func:`nagviz.degree.implicit_equation`.
    A real interpolant can be reached by a real student only if it lies on the real
    neuromanifold (true for shallow networks with ``z^2``: every real quadric of rank
    ``<= k`` is a signed sum of ``k`` squares).

    Examples
    --------
    ``(3, 2, 1)`` with ``z^2``: ternary quadrics of rank two, the cubic hypersurface
    ``det = 0``. Five samples leave three candidate functions, the teacher among them.

    >>> r = interpolants_at_dimension((3, 2, 1), 2, seed=0)
    >>> r.n_samples, r.degree, r.n_real
    (5, 3, 3)
    >>> float(r.errors[r.teacher_index]) < 1e-8
    True
    """
    from .degree import implicit_equation, line_slice
    from .parameterization import coefficients

    arch = _as_arch(arch, activation)
    if arch.widths[-1] != 1 or arch.bias:
        raise ValueError(f"{arch!r}: needs one output and no biases")
    if inputs not in _INPUTS:
        raise ValueError(f"inputs must be one of {_INPUTS}, got {inputs!r}")
    eq = implicit_equation(arch, seed=int(seed))  # refuses a non-hypersurface
    n = arch.ambient_dimension - 1
    teacher = teacher_parameters(arch, seed=seed)
    X = sample_inputs(arch, n, seed=[int(seed), 1], inputs=inputs)
    y = evaluate(arch, teacher, X).ravel()
    Phi = monomial_features(arch, X)
    c0 = np.linalg.lstsq(Phi, y, rcond=None)[0]
    v = np.linalg.svd(Phi)[2][-1]  # the kernel of the N x (N + 1) interpolation matrix
    t = line_slice(eq, c0, v, eq.degree)
    real = np.abs(t.imag) <= 1e-8 * np.maximum(1.0, np.abs(t))
    order = np.lexsort((t.real, ~real))  # real ones first, then by position on the line
    t, real = t[order], real[order]
    C = c0[None, :] + t[:, None] * v[None, :]
    X_test = sample_inputs(arch, n_test, seed=[int(seed), 2], inputs="gaussian")
    P = monomial_features(arch, X_test)
    truth = evaluate(arch, teacher, X_test).ravel()
    errors = np.array([np.linalg.norm(P @ c.real - truth) / np.linalg.norm(truth) if ok
                       else np.nan for c, ok in zip(C, real)])
    c_teacher = coefficients(arch, teacher).ravel()
    teacher_index = int(np.argmin(np.linalg.norm(C - c_teacher[None, :], axis=1)))
    return InterpolantsAtDimension(
        architecture=arch, n_samples=n, degree=eq.degree, parameters=_ro(t),
        coefficients=_ro(C), is_real=_ro(real), errors=_ro(errors),
        teacher_index=teacher_index, seed=int(seed))
