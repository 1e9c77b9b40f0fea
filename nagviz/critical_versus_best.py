"""Critical is not best: how often the best fit of a subnetwork is the best fit of all.

At a switched-off neuron the gradient of the full loss vanishes in the neuron's own
coordinates for every target (:mod:`nagviz.loss_landscape`); the subnetwork is critical
for the full loss where it is also critical for itself, and it is rarely (for a generic
target never) the global best fit.
:func:`best_fit_is_subnetwork_fraction` samples targets, fits the full network and
each subnetwork with one unit removed (Levenberg–Marquardt restarts), and counts how
often the best subnetwork fit is critical for the full loss, a second-order local
minimum (a trap), or the best fit of all. Results are kept in a small in-memory cache.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from .cache import memoize
from .model import as_model
from ._fitting import _best_fit, _fmt_ip, _Loss, _problem
from ._models import _model
from ._results import LinesRepr
from .architecture import Architecture  # noqa: F401  (the Examples use it)
from .inner_products import sample_targets

__all__ = [
    "SubnetworkFitResult",
    "best_fit_is_subnetwork_fraction",
]


@dataclass(frozen=True, repr=False)
class SubnetworkFitResult(LinesRepr):
    """Subnetworks as critical points, local minima and best fits of Gaussian targets.

    For each target ``t``, the best fit of the full network (``restarts`` LM restarts)
    and the best fit of each subnetwork (one unit held at zero) are computed. The best
    subnetwork fit, seen as a point of the full parameter space, is then classified:

    * **critical**: the gradient of the full loss vanishes there: in the subnetwork's
      coordinates and in the removed unit's, each measured as the cosine between the
      residual and those tangent directions (below ``critical_tolerance``); not counted
      when the best subnetwork fit runs off to infinity (the infimum is not attained);
    * **trap** (MLP neurons): at some local minimum of the subnetwork (any restart, not
      only the best; possibly one approached only at infinity), with the unit's incoming
      weights zero and its outgoing weights ``+1`` or ``-1``, the Hessian restricted to
      the incoming weights is positive definite. The mixed second derivatives vanish
      there, so switching the neuron back on raises the loss to second order: a
      spurious local minimum (up to the flat outgoing direction) where gradient descent
      drives the incoming weights to zero exponentially fast;
    * **best fit**: its loss is within ``loss_tolerance`` (relative) of the best fit of
      the full network.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    n_targets, restarts, seed : int
    inner_product : str
    loss_tolerance, critical_tolerance : float
    fraction_best_fit, fraction_critical, fraction_second_order_minimum : float
    full_loss, subnetwork_loss : numpy.ndarray, (n_targets,)
    best_unit : numpy.ndarray of int, (n_targets,)
        Index (into :func:`nagviz.training.hidden_units`) of the best subnetwork.
    relative_gap : numpy.ndarray, (n_targets,)
        ``(subnetwork_loss - full_loss) / full_loss``.
    critical, second_order_minimum, best_is_subnetwork : numpy.ndarray of bool
    subnetwork_at_infinity, full_at_infinity : numpy.ndarray of bool
        Whether the best fit found has parameters beyond ``ESCAPE_NORM`` (30): the neuromanifold is
        not closed, and the infimum is then only approached.
    targets : numpy.ndarray
    full_theta, subnetwork_theta : numpy.ndarray, (n_targets, n_parameters)
        The best fits found (the subnetwork's as a point of the full parameter space).
    """

    architecture: object
    n_targets: int
    restarts: int
    seed: int
    inner_product: str
    loss_tolerance: float
    critical_tolerance: float
    fraction_best_fit: float
    fraction_critical: float
    fraction_second_order_minimum: float
    full_loss: np.ndarray = field(repr=False)
    subnetwork_loss: np.ndarray = field(repr=False)
    best_unit: np.ndarray = field(repr=False)
    relative_gap: np.ndarray = field(repr=False)
    critical: np.ndarray = field(repr=False)
    second_order_minimum: np.ndarray = field(repr=False)
    best_is_subnetwork: np.ndarray = field(repr=False)
    subnetwork_at_infinity: np.ndarray = field(repr=False)
    full_at_infinity: np.ndarray = field(repr=False)
    targets: np.ndarray = field(repr=False)
    full_theta: np.ndarray = field(repr=False)
    subnetwork_theta: np.ndarray = field(repr=False)

    def _lines(self):
        n = self.n_targets
        return [
            f"SubnetworkFitResult for {self.architecture!r}: {n} Gaussian targets "
            f"({self.inner_product} inner product)",
            f"  best subnetwork fit is critical for the full loss:   "
            f"{int(self.critical.sum())} of {n} ({self.fraction_critical:.3f})",
            f"  a subnetwork local minimum traps the dead neuron (second order): "
            f"{int(self.second_order_minimum.sum())} of {n} "
            f"({self.fraction_second_order_minimum:.3f})",
            f"  best subnetwork fit is the best fit of the full network: "
            f"{int(self.best_is_subnetwork.sum())} of {n} ({self.fraction_best_fit:.3f})",
            f"  median relative gap (subnetwork - full) / full: {np.median(self.relative_gap):.3g}"
            f", smallest {self.relative_gap.min():.3g}",
            f"  best fits running off to infinity: subnetwork "
            f"{int(self.subnetwork_at_infinity.sum())}, full network "
            f"{int(self.full_at_infinity.sum())}",
            f"  Levenberg-Marquardt, {self.restarts} restarts per fit; seed {self.seed}; loss "
            f"tolerance {self.loss_tolerance:g}, gradient tolerance {self.critical_tolerance:g}",
        ]


def _distinct_units(arch, units):
    """One representative per class of units exchanged by permuting neurons (the neurons
    of one layer); units that no permutation exchanges (filter entries) stand for
    themselves."""
    seen, out = set(), []
    for k, u in enumerate(units):
        if u.kind != "neuron":
            out.append(k)
        elif u.layer not in seen:
            seen.add(u.layer)
            out.append(k)
    return out


def best_fit_is_subnetwork_fraction(arch, n_targets: int = 60, restarts: int = 20, *,
                                    inner_product="euclidean", input_scale: float = 1.0,
                                    seed: int = 0, loss_tolerance: float = 1e-8,
                                    critical_tolerance: float = 1e-4,
                                    progress=None) -> SubnetworkFitResult:
    """How often is a subnetwork critical, a local minimum, or the best fit of a target?

    Targets are Gaussian in the ambient space, standard for the inner product
    (:func:`nagviz.training.sample_targets`); changing ``inner_product`` and
    ``input_scale`` changes both the loss and the target distribution. See
    :class:`SubnetworkFitResult` for the three classifications. Cached.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    n_targets, restarts, seed
    inner_product, input_scale
    loss_tolerance, critical_tolerance : float
    progress : callable, optional
        ``progress(done, total)`` over the fits.

    Returns
    -------
    SubnetworkFitResult

    Examples
    --------
    >>> r = best_fit_is_subnetwork_fraction(Architecture((2, 2, 1), "z^3 + z^2"),
    ...                                     n_targets=5, restarts=5)
    >>> r.fraction_best_fit, r.fraction_critical > 0.5
    (0.0, True)
    """
    arch = as_model(arch)
    ip = inner_product if isinstance(inner_product, str) else \
        tuple(map(tuple, np.asarray(inner_product, dtype=float)))
    return _fit_fraction(arch, int(n_targets), int(restarts), ip, float(input_scale), int(seed),
                         float(loss_tolerance), float(critical_tolerance), progress)


@memoize(maxsize=32, ignore=("progress",))
def _fit_fraction(arch, n_targets, restarts, ip, input_scale, seed, loss_tolerance,
                  critical_tolerance, progress):
    record = _fit_fraction_record(arch, n_targets, restarts, ip, input_scale, seed,
                                  loss_tolerance, critical_tolerance, progress)
    return SubnetworkFitResult(architecture=arch, **{
        k: np.asarray(v) if isinstance(v, list) else v for k, v in record.items()})


@memoize("critical_versus_best.fit_fraction", disk=True, maxsize=32, ignore=("progress",))
def _fit_fraction_record(arch, n_targets, restarts, ip, input_scale, seed, loss_tolerance,
                         critical_tolerance, progress):
    """Every field but the architecture, as JSON data: on disk, a notebook's second run
    reads the fits (1-2 s of Levenberg–Marquardt) instead of redoing them."""
    result = _compute_fit_fraction(arch, n_targets, restarts, ip, input_scale, seed,
                                   loss_tolerance, critical_tolerance, progress)
    return {f.name: getattr(result, f.name).tolist()
            if isinstance(getattr(result, f.name), np.ndarray) else getattr(result, f.name)
            for f in fields(result) if f.name != "architecture"}


def _compute_fit_fraction(arch, n_targets, restarts, ip, input_scale, seed, loss_tolerance,
                          critical_tolerance, progress):
    ipm = ip if isinstance(ip, str) else np.array(ip)
    model = _model(arch)
    targets = sample_targets(arch, n_targets, ipm, input_scale, seed=seed)
    A, b = _problem(arch, targets, ipm, input_scale)
    units = model.units
    reps = _distinct_units(arch, units)
    total = 1 + len(reps)
    done = 0
    full = _best_fit(model, A, b, restarts, 1.0, seed + 1, None)
    full_loss = full["loss"]
    done += 1
    if progress is not None:
        progress(done, total)
    sub_loss = np.full(n_targets, np.inf)
    sub_theta = np.zeros((n_targets, arch.n_parameters))
    sub_unit = np.zeros(n_targets, dtype=int)
    sub_far = np.zeros(n_targets, dtype=bool)
    candidates = [[] for _ in range(n_targets)]  # (unit, theta) of distinct local minima
    for k in reps:
        fit = _best_fit(model, A, b, restarts, 1.0, seed + 2 + k, sorted(units[k].parameters))
        better = fit["loss"] < sub_loss
        sub_loss = np.where(better, fit["loss"], sub_loss)
        sub_theta = np.where(better[:, None], fit["theta"], sub_theta)
        sub_unit = np.where(better, k, sub_unit)
        sub_far = np.where(better, fit["best_far"], sub_far)
        for i in range(n_targets):
            seen = []
            for L, th in zip(fit["all_losses"][i], fit["all_theta"][i]):
                if np.isfinite(L) and not any(abs(L - x) <= 1e-7 * (1 + x) for x in seen):
                    seen.append(L)
                    candidates[i].append((k, th))
        done += 1
        if progress is not None:
            progress(done, total)
    full_loss = np.minimum(full_loss, sub_loss)  # the subnetwork is part of the network

    def is_critical(th, i, unit):
        """Both the subnetwork's own gradient and the gradient in the unit's coordinates
        vanish, each measured as the cosine between the residual and the corresponding
        tangent directions (so that fits drifting to infinity are not judged by size)."""
        c, J = model.coefficients_and_jacobian(th[None])
        r = c[0] @ A.T - b[i]
        AJ = A @ J[0]
        rn = max(np.linalg.norm(r), 1e-300)
        inside = [p for p in range(arch.n_parameters) if p not in unit.parameters]
        for cols in (inside, list(unit.parameters)):
            block = AJ[:, cols]
            size = np.linalg.norm(block)
            if size > 0 and np.linalg.norm(block.T @ r) > critical_tolerance * size * rn:
                return False
        return True

    critical = np.array([not sub_far[i] and is_critical(sub_theta[i], i, units[sub_unit[i]])
                         for i in range(n_targets)])
    # a trap at a subnetwork: at a local minimum of the subnetwork (found by some restart;
    # possibly one approached at infinity), the unit's incoming weights zero and outgoing
    # weights +-1, the Hessian restricted to the incoming weights is positive definite, so
    # switching the neuron back on raises the loss to second order (cross terms vanish)
    second = np.zeros(n_targets, dtype=bool)
    for i in range(n_targets):
        loss = None
        for k, th0 in candidates[i]:
            unit = units[k]
            if unit.kind != "neuron":
                continue
            loss = loss or _Loss(arch, target=targets[i], inner_product=ipm,
                                 input_scale=input_scale)
            inc = list(unit.incoming)
            for sign in (1.0, -1.0):
                th = th0.copy()
                th[list(unit.outgoing)] = sign
                H = loss.hessian(th)
                ev = np.linalg.eigvalsh(H[np.ix_(inc, inc)])
                # the block is 4 v <r, d^2 q>: its scale is that of the residual, O(||t||)
                if ev.min() > 1e-9 * (1.0 + float(b[i] @ b[i])):
                    second[i] = True
                    break
            if second[i]:
                break
    best = sub_loss <= full_loss * (1 + loss_tolerance) + 1e-12
    gap = (sub_loss - full_loss) / np.maximum(full_loss, 1e-300)
    result = SubnetworkFitResult(
        arch, int(n_targets), int(restarts), int(seed), _fmt_ip(ipm, input_scale),
        float(loss_tolerance), float(critical_tolerance), float(best.mean()),
        float(critical.mean()), float(second.mean()), full_loss, sub_loss, sub_unit, gap,
        critical, second, best, sub_far, full["best_far"], targets, full["theta"], sub_theta)
    return result
