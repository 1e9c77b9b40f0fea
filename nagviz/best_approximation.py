"""The best approximation of a target by a neuromanifold, by Levenberg–Marquardt restarts.

:func:`best_fit` returns the nearest point of the neuromanifold to a target in the
chosen inner product (:mod:`nagviz.inner_products`), as far as restarted
Levenberg–Marquardt finds it, optionally with some hidden units frozen at zero (the best
fit of a subnetwork). Fits whose parameters run off to infinity are flagged: the
neuromanifold is not closed, and the infimum may be approached only at infinity.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .model import as_model
from ._fitting import _best_fit, _fmt_ip, _problem
from ._models import _model
from .architecture import Architecture  # noqa: F401  (the Examples use it)

__all__ = [
    "best_fit",
    "BestFitResult",
]


@dataclass(frozen=True)
class BestFitResult:
    """The best fit found by Levenberg–Marquardt from many random starts, per target.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    restarts : int
    init_scale : float
    inner_product : str
    seed : int
    frozen_units : tuple of Unit
        Units held at zero (a subnetwork), if any.
    targets : numpy.ndarray, (n_targets, ambient)
    theta : numpy.ndarray, (n_targets, n_parameters)
    loss : numpy.ndarray, (n_targets,)
        The smallest loss over the restarts (an upper bound for the infimum).
    all_losses : numpy.ndarray, (n_targets, restarts)
    hits : numpy.ndarray of int, (n_targets,)
        Restarts within relative ``1e-6`` of the best: how reproducible the best fit is.
    escaped : numpy.ndarray of int, (n_targets,)
        Restarts whose parameters ended beyond ``ESCAPE_NORM`` (30) in norm: the infimum of the loss
        may be approached only at infinity (neuromanifolds need not be closed).
    """

    architecture: object
    restarts: int
    init_scale: float
    inner_product: str
    seed: int
    frozen_units: tuple
    targets: np.ndarray = field(repr=False)
    theta: np.ndarray = field(repr=False)
    loss: np.ndarray = field(repr=False)
    all_losses: np.ndarray = field(repr=False)
    hits: np.ndarray = field(repr=False)
    escaped: np.ndarray = field(repr=False)

    def __repr__(self) -> str:
        sub = f", units held at zero: {list(self.frozen_units)}" if self.frozen_units else ""
        return (f"BestFitResult: Levenberg-Marquardt, {self.restarts} restarts per target on "
                f"{self.architecture!r}{sub}\n  {len(self.loss)} target(s), best losses "
                f"{np.array2string(self.loss[:6], precision=4)}"
                f"{' ...' if len(self.loss) > 6 else ''}"
                f"\n  init scale {self.init_scale:g}, inner product {self.inner_product}, "
                f"seed {self.seed}")

    def _repr_html_(self) -> str:
        return "<pre class='nagviz-result'>" + repr(self) + "</pre>"


def best_fit(arch, targets, *, restarts: int = 30, init_scale: float = 1.0, frozen_units=(),
             inner_product="euclidean", input_scale: float = 1.0, iterations: int = 300,
             seed=0, progress=None) -> BestFitResult:
    """The best fit of each target over many Levenberg–Marquardt restarts.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    targets : array_like, shape (ambient,) or (n_targets, ambient)
    restarts : int
        Random starts per target (Gaussian, standard deviation ``init_scale``).
    frozen_units : sequence of Unit or int
        Units (or indices into :func:`hidden_units`) held at zero: the best fit of that
        subnetwork.
    inner_product, input_scale
        The inner product of the loss.
    iterations : int
        Levenberg–Marquardt iterations per start.
    seed : int
    progress : callable, optional
        ``progress(done, total)``.

    Returns
    -------
    BestFitResult

    Examples
    --------
    >>> a = Architecture((2, 1, 1), 2)                # the cone b^2 = 4ac
    >>> fit = best_fit(a, [1.0, 0.0, 1.0], restarts=5)  # x^2 + y^2: rank 2, not on the cone
    >>> round(float(fit.loss[0]), 6)                   # best rank-1 fit: x^2 (or y^2)
    1.0
    """
    arch = as_model(arch)
    model = _model(arch)
    A, b = _problem(arch, targets, inner_product, input_scale)
    units = tuple(model.units[u] if isinstance(u, (int, np.integer)) else u for u in frozen_units)
    frozen = sorted({i for u in units for i in u.parameters})
    fit = _best_fit(model, A, b, int(restarts), init_scale, seed, frozen, iters=iterations,
                    progress=progress)
    return BestFitResult(arch, int(restarts), float(init_scale),
                         _fmt_ip(inner_product, input_scale), seed, units,
                         np.atleast_2d(np.asarray(targets, dtype=float)), fit["theta"],
                         fit["loss"], fit["all_losses"], fit["hits"], fit["escaped"])
