"""The experiments of notebook 05 and their presets: what its explorers show, computed here.

Each explorer of :mod:`nagviz.explorers.singularities` and :mod:`nagviz.explorers.training`
is a view of one function below, with the presets (paths, curves, data distributions,
initializations, learning rates) defined once here:

* :data:`PATH_CASES`, :func:`path_case`, :func:`rank_path_case` -- the exact tangent rank
  along paths to subnetworks, with a floating-point cross-check;
* :func:`slice_section` -- a cross-section of the slice of the (2,2,1), ``z^3 + z^2``
  neurovariety, its real lines and the tangent rank on the line of one-neuron networks;
* :data:`VORONOI_CURVES`, :func:`voronoi_cell` -- the Voronoi cell of a singular point;
* :data:`DISTRIBUTIONS`, :func:`critical_versus_best`, :func:`critical_versus_best_view`
  -- is a subnetwork critical, a trap, or the best fit;
* :func:`trap_targets`, :func:`trap_runs`, :func:`trap_state`, :func:`trap_states` --
  gradient descent on the quadratic network, every slider state of the training explorer
  computed in batches; :func:`trap_fractions` -- its trapped fraction over three seeds;
* :func:`dead_neuron_data` -- gradient, Hessian and escape direction at a dead neuron;
* :data:`EXPERIMENTS`, :func:`training_experiments`, :func:`training_contrast` -- MLP
  against CNN, gradient descent against Levenberg–Marquardt (one seed with trajectories;
  400 runs for each of three seeds, with intervals).

:func:`prewarm` computes everything the notebook shows, so that its explorers answer at
once. Results are cached in memory, and the experiments' summaries also on disk (JSON).

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from . import shipped
from .cache import memoize
from .architecture import Architecture
from .best_approximation import best_fit
from .cnn import CNNArchitecture
from .critical_versus_best import SubnetworkFitResult, best_fit_is_subnetwork_fraction
from .inner_products import sample_targets
from .loss_landscape import dead_neuron_point, escape_direction, loss_gradient, loss_hessian
from .neurovariety_221 import (CUBIC_221, is_real_network_221, singular_slice_221,
                               slice_cross_section_221)
from .rank_one_trap import (QUADRATIC_221, rank_one_trap_batch, rank_one_trap_experiment,
                            trap_statistics, trap_statistics_settings)
from .subnetwork_experiment import gd_subnetwork_experiment, subnetwork_rate
from .tangent_space import (ParameterPath, merge_path, rank_along_path,
                            singular_values_along_path, switch_off_path, tangent_rank)
from .units import hidden_units
from .voronoi import CORNER, CROSSING_LINES, CUSP, NODE, VoronoiGrid, singular_voronoi_grid

__all__ = [
    "PATH_CASES",
    "path_case",
    "rank_path_case",
    "SLICE_ALPHAS",
    "slice_section",
    "VORONOI_CURVES",
    "VORONOI_WINDOW",
    "voronoi_cell",
    "DISTRIBUTIONS",
    "CRITICAL_DISTRIBUTIONS_SHOWN",
    "critical_versus_best",
    "TRAP_INIT_SCALES",
    "TRAP_LEARNING_RATES",
    "TRAP_DEFAULTS",
    "TRAP_INIT_SCALES_SHOWN",
    "TRAP_RUNS",
    "TRAP_STEPS",
    "TRAP_POPULATION",
    "trap_targets",
    "trap_runs",
    "trap_state",
    "trap_state_compact",
    "trap_states",
    "critical_versus_best_view",
    "critical_view_computed",
    "trap_fractions",
    "CONTRAST_RUNS",
    "CONTRAST_SEEDS",
    "training_contrast",
    "dead_neuron_data",
    "EXPERIMENTS",
    "training_experiments",
    "prewarm",
]


# --------------------------------------------------------------------------- ranks along paths

#: Paths of the rank explorer: ``key -> (label, architecture, note)``.
PATH_CASES = {
    "(3,2,1) off": ("(3,2,1), z²: switch neuron 2 off", Architecture((3, 2, 1), 2),
                    "one-neuron network: a singular point of the hypersurface of rank ≤ 2 "
                    "quadrics"),
    "(3,2,1) merge": ("(3,2,1), z²: merge the two neurons", Architecture((3, 2, 1), 2),
                      "both neurons compute the same square: again a one-neuron network"),
    "(3,2,1) out-weight": ("(3,2,1), z²: only neuron 2's out-weight → 0",
                           Architecture((3, 2, 1), 2),
                           "the same function as switching the neuron off, reached with its "
                           "in-weights still on: a smaller drop"),
    "cone: v → 0": ("(2,1,1), z²: out-weight → 0 (the cone's vertex)",
                    Architecture((2, 1, 1), 2),
                    "the zero function, the vertex of the cone b² = 4ac"),
    "cone: w → 0": ("(2,1,1), z²: in-weights → 0 (the cone's vertex)",
                    Architecture((2, 1, 1), 2),
                    "the zero function again, now with nothing left to move"),
    "linear merge": ("linear (3,2,3): merge the two neurons", Architecture((3, 2, 3), 1),
                     "W₁ drops to rank 1: a 3×3 matrix of rank 1, singular on rank ≤ 2"),
    "linear off": ("linear (3,2,3): switch neuron 1 off", Architecture((3, 2, 3), 1),
                   "both factors drop to rank 1"),
    "CNN entry": ("CNN (2,2), z³+z²: one filter entry → 0",
                  CNNArchitecture((2, 2), "z^3 + z^2"),
                  "a sparse filter: for this CNN it is NOT a rank drop"),
}


def _start_point(arch, seed):
    """A start point with small nonzero integer entries and the generic rank."""
    for k in range(20):
        rng = np.random.default_rng(1000 * seed + k)
        theta = rng.integers(1, 4, arch.n_parameters) * rng.choice([-1, 1], arch.n_parameters)
        if tangent_rank(arch, theta.tolist()).drop == 0:
            return [int(x) for x in theta]
    raise RuntimeError(f"no generic start point found for {arch!r}")  # pragma: no cover


def path_case(case: str, seed: int = 0):
    """The path of :data:`PATH_CASES` ``case`` from a random generic integer point.

    Returns
    -------
    tuple
        ``(architecture, ParameterPath, label, note)``.

    Examples
    --------
    >>> arch, path, label, note = path_case("cone: w → 0", seed=0)
    >>> [int(x) for x in path(1)][:2]                  # both in-weights end at zero
    [0, 0]
    """
    if case not in PATH_CASES:
        raise ValueError(f"unknown path {case!r}; choose one of {list(PATH_CASES)}")
    label, arch, note = PATH_CASES[case]
    theta = _start_point(arch, int(seed))
    if case in ("(3,2,1) off", "linear off"):
        path = switch_off_path(arch, theta, 1, 1 if case == "(3,2,1) off" else 0)
    elif case in ("(3,2,1) merge", "linear merge"):
        path = merge_path(arch, theta, 1, 0, 1)
    else:
        end = list(theta)
        if case == "(3,2,1) out-weight":
            end[hidden_units(arch)[1].outgoing[0]] = 0
        elif case == "cone: v → 0":
            end[2] = 0
        elif case == "cone: w → 0":
            end[0] = end[1] = 0
        elif case == "CNN entry":
            end[0] = 0
        path = ParameterPath(tuple(theta), tuple(end), label)
    return arch, path, label, note


@memoize(maxsize=64)
def rank_path_case(case: str, seed: int = 0, n: int = 21) -> dict:
    """Exact tangent ranks at ``n`` points of a path, and float singular values near its end.

    The exact ranks come from :func:`nagviz.tangent_space.rank_along_path` at
    ``t = 0, 1/(n-1), ..., 1``; the singular values of the float coefficient Jacobian
    (:func:`nagviz.tangent_space.singular_values_along_path`) at ``1 - t = 1, ..., 1e-8``
    (33 points, geometric) show the directions that are lost.

    Returns
    -------
    dict
        Plain data: ``ts``, ``ranks``, ``generic``, ``gaps``, ``singular_values``,
        ``float_rank_at_end``, the start and end points as strings, ...

    Examples
    --------
    >>> d = rank_path_case("(3,2,1) off", 0)
    >>> d["ranks"][0], d["ranks"][-1], d["generic"], d["singular_values"].shape
    (5, 3, 5, (33, 6))
    """
    arch, path, label, note = path_case(case, seed)
    ts = np.linspace(0.0, 1.0, n)
    exact = rank_along_path(arch, path, ts=ts)
    gaps = np.logspace(0, -8, 33)
    S = singular_values_along_path(arch, path, 1.0 - gaps)
    at_end = tangent_rank(arch, np.array([float(x) for x in path(1)]), exact=False)
    return dict(case=case, label=label, note=note, arch=repr(arch), ts=ts,
                ranks=list(exact.ranks), generic=exact.generic_rank, gaps=gaps,
                singular_values=S, float_rank_at_end=at_end.rank,
                start=[str(x) for x in path(0)], end=[str(x) for x in path(1)],
                parameters=arch.n_parameters)


# --------------------------------------------------------------------------- the 3-D slice

#: Cross-sections ``alpha`` the static view of the slice steps through.
SLICE_ALPHAS = (-0.8, -0.3, 0.1, 0.25, 0.5, 1.0)


@memoize(maxsize=64)
def _axis_rank(alpha: float):
    a = Fraction(alpha).limit_denominator(1000)
    if a == 0:  # two opposite neurons: sigma(x) + sigma(-x) = 2 x^2
        theta = [1, 0, -1, 0, Fraction(1, 2), Fraction(1, 2)]
        network = "σ(x)/2 + σ(−x)/2 (two opposite neurons)"
    else:
        theta = [a, 0, 0, 0, 1 / a ** 2, 0]
        network = f"{float(1 / a ** 2):.3g}·σ({float(a):.3g}·x) (one neuron)"
    r = tangent_rank(CUBIC_221, theta)
    return r.rank, r.generic_rank, network


def slice_section(alpha: float, n_points: int = 41) -> dict:
    """The cross-section ``alpha`` of :func:`nagviz.neurovariety_221.singular_slice_221`.

    Its kind (node, isolated point, ...), its lines through the point
    ``x^2 + alpha x^3`` of the singular line with ``n_points`` points each and, for every
    point, whether real weights compute it; and the exact tangent rank at the network on
    the singular line (a one-neuron network, or two opposite neurons at ``alpha = 0``).

    Examples
    --------
    >>> d = slice_section(-0.5)
    >>> d["kind"], d["rank"], d["generic"], len(d["lines"])
    ('node', 3, 6, 2)
    """
    alpha = round(float(alpha), 6)
    s = singular_slice_221()
    sec = slice_cross_section_221(alpha)
    rho = np.linspace(-s.radius, s.radius, int(n_points))
    base, dirs = np.array(s.base), np.array(s.directions)
    lines = []
    for d in sec["directions"]:
        pts = np.outer(rho, d)
        coeffs = base + np.column_stack([np.full(len(rho), alpha), pts]) @ dirs
        lines.append((pts, is_real_network_221(coeffs, 1e-7)))
    rank, generic, network = _axis_rank(alpha)
    return dict(alpha=alpha, slice=s, kind=sec["kind"], lines=lines, rank=rank,
                generic=generic, network=network)


# --------------------------------------------------------------------------- Voronoi cells

#: Curves of the Voronoi explorer: ``key -> (curve, label)``.
VORONOI_CURVES = {
    "cusp": (CUSP, "cusp  y² = x³"),
    "node": (NODE, "node  y² = x²(x + 1)"),
    "crossing lines": (CROSSING_LINES, "two crossing lines  y² = x²"),
    "corner": (CORNER, "corner: one nappe of the cone, slice b = 0"),
}
#: The window ``[-w, w]^2`` of targets.
VORONOI_WINDOW = 2.0


@memoize(maxsize=8)
def voronoi_cell(curve: str, resolution: int = 161) -> VoronoiGrid:
    """The Voronoi cell of the singular point of a :data:`VORONOI_CURVES` curve, on a grid.

    Examples
    --------
    >>> voronoi_cell("cusp", 41).fraction > 0.3, voronoi_cell("node", 41).fraction < 1e-3
    (True, True)
    """
    if curve not in VORONOI_CURVES:
        raise ValueError(f"unknown curve {curve!r}; choose one of {list(VORONOI_CURVES)}")
    w = VORONOI_WINDOW
    return singular_voronoi_grid(VORONOI_CURVES[curve][0], (-w, w), (-w, w),
                                 resolution=int(resolution))


# --------------------------------------------------------------------------- critical vs best

#: Data distributions of the critical-versus-best experiment: label -> (inner product,
#: input scale).
DISTRIBUTIONS = {
    "Euclidean": ("euclidean", 1.0),
    "Bombieri–Weyl": ("bombieri", 1.0),
    "Gaussian, σ = 0.5": ("gaussian", 0.5),
    "Gaussian, σ = 1": ("gaussian", 1.0),
    "Gaussian, σ = 2": ("gaussian", 2.0),
}
#: The distributions of the static view (and of :func:`prewarm`).
CRITICAL_DISTRIBUTIONS_SHOWN = ("Euclidean", "Bombieri–Weyl", "Gaussian, σ = 1")
_N_TARGETS, _RESTARTS = 40, 12


def critical_versus_best(distribution: str, progress=None) -> SubnetworkFitResult:
    """Critical, trap or best: (2, 2, 1), ``z^3 + z^2``, 40 targets, 12 restarts, seed 0.

    :func:`nagviz.critical_versus_best.best_fit_is_subnetwork_fraction` for one of the
    :data:`DISTRIBUTIONS`.

    Examples
    --------
    >>> r = critical_versus_best("Bombieri–Weyl")
    >>> r.n_targets, int(r.best_is_subnetwork.sum())
    (40, 0)
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"unknown distribution {distribution!r}; choose one of "
                         f"{list(DISTRIBUTIONS)}")
    ip, scale = DISTRIBUTIONS[distribution]
    return best_fit_is_subnetwork_fraction(CUBIC_221, _N_TARGETS, _RESTARTS, inner_product=ip,
                                           input_scale=scale, seed=0, progress=progress)


def _valid_view(value, distribution, *args, **kwargs):
    return isinstance(value, dict) and value.get("distribution") == distribution


def critical_versus_best_view(distribution: str, progress=None) -> dict:
    """What the critical-versus-best explorer shows, as plain JSON data.

    The shipped view (:func:`nagviz.shipped.critical_view`) when there is one, else
    :func:`critical_view_computed`.

    Examples
    --------
    >>> d = critical_versus_best_view("Bombieri–Weyl")
    >>> d["n"], d["best"], len(d["full_loss"])
    (40, 0, 40)
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"unknown distribution {distribution!r}; choose one of "
                         f"{list(DISTRIBUTIONS)}")
    view = shipped.critical_view(distribution)
    return view if view is not None else critical_view_computed(distribution, progress)


@memoize(maxsize=16, disk=True, ignore=("progress",), validate=_valid_view)
def critical_view_computed(distribution: str, progress=None) -> dict:
    """:func:`critical_versus_best_view` computed here (cached in memory and on disk).

    Examples
    --------
    >>> critical_view_computed("Bombieri–Weyl") == critical_versus_best_view("Bombieri–Weyl")
    True
    """
    r = critical_versus_best(distribution, progress=progress)
    ok = ~r.full_at_infinity & ~r.subnetwork_at_infinity
    return dict(distribution=distribution, n=r.n_targets, critical=int(r.critical.sum()),
                trap=int(r.second_order_minimum.sum()), best=int(r.best_is_subnetwork.sum()),
                full_loss=r.full_loss.tolist(), sub_loss=r.subnetwork_loss.tolist(),
                is_critical=r.critical.tolist(), finite=ok.tolist(),
                gap_median=float(np.median(r.relative_gap)),
                gap_min=float(r.relative_gap.min()), restarts=r.restarts,
                infinity=int((~ok).sum()), full_infinity=int(r.full_at_infinity.sum()),
                sub_infinity=int(r.subnetwork_at_infinity.sum()))


# --------------------------------------------------------------------------- the rank-one trap

#: Choices of the training explorer.
TRAP_INIT_SCALES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
TRAP_LEARNING_RATES = (0.002, 0.005, 0.01, 0.02, 0.04)
#: The first view: target, initialization scale and learning rate.
TRAP_DEFAULTS = dict(target=1, init_scale=1.0, lr=0.01)
#: Initialization scales of the static view (and of :func:`prewarm`).
TRAP_INIT_SCALES_SHOWN = (0.1, 1.0)
#: Runs drawn, gradient descent steps, and runs of the statistics over random targets.
TRAP_RUNS, TRAP_STEPS, TRAP_POPULATION = 8, 5000, 100
_TARGET_POOL = 20


@memoize(maxsize=1)
def trap_targets() -> np.ndarray:
    """The 20 targets of the training explorer (Bombieri-standard, seed 2025), shape (20, 3).

    Examples
    --------
    >>> trap_targets().shape
    (20, 3)
    """
    return sample_targets(QUADRATIC_221, _TARGET_POOL, "bombieri", seed=2025)


def trap_runs(target: int, init_scale: float, lr: float, progress=None):
    """Gradient descent on the quadratic network: the runs drawn and the statistics.

    :func:`nagviz.rank_one_trap.rank_one_trap_experiment` with :data:`TRAP_RUNS` runs
    towards target number ``target`` of :func:`trap_targets` (seeded by ``target``), and
    with :data:`TRAP_POPULATION` runs towards as many random targets (seed 0), both for
    :data:`TRAP_STEPS` steps. ``progress(done, total)`` goes from 0 to 100.

    Returns
    -------
    tuple of RankOneTrapResult
        ``(runs, population)``.

    Examples
    --------
    >>> runs, population = trap_runs(0, 1.0, 0.01)
    >>> runs.n_runs, population.n_runs
    (8, 100)
    """
    t = trap_targets()[int(target)]

    def part(offset, share):
        if progress is None:
            return None
        return lambda done, total: progress(offset + int(share * done / max(total, 1)), 100)

    runs = rank_one_trap_experiment(TRAP_RUNS, float(init_scale), float(lr), TRAP_STEPS,
                                    seed=int(target), targets=t, progress=part(0, 30))
    population = rank_one_trap_experiment(TRAP_POPULATION, float(init_scale), float(lr),
                                          TRAP_STEPS, seed=0, progress=part(30, 70))
    if progress is not None:
        progress(100, 100)
    return runs, population


#: Records per run kept in a slider state of the training explorer.
TRAP_RECORDS = shipped.STATE_RECORDS


def _state_settings(init_scale, lr):
    targets = trap_targets()
    out = [dict(n_runs=TRAP_RUNS, init_scale=float(init_scale), lr=float(lr), seed=k,
                targets=targets[k]) for k in range(_TARGET_POOL)]
    out.append(dict(n_runs=TRAP_POPULATION, init_scale=float(init_scale), lr=float(lr), seed=0))
    return out


def _valid_state(value, init_scale, lr, *args, **kwargs):
    return isinstance(value, dict) and len(value.get("runs", ())) == _TARGET_POOL


@memoize(maxsize=64, disk=True, ignore=("progress",), validate=_valid_state)
def trap_state_compact(init_scale: float, lr: float, progress=None) -> dict:
    """One slider state of the training explorer computed here, in the compact form of
    :func:`nagviz.shipped.encode_trap_state` (cached in memory and on disk).

    For each of the 20 :func:`trap_targets`, the :data:`TRAP_RUNS` runs of
    :func:`trap_runs` (trajectories in cone coordinates, losses, weights, distance to the
    cone, outcomes), thinned to :data:`TRAP_RECORDS` records; and the outcomes of the
    :data:`TRAP_POPULATION` runs towards random targets. Computed in one batch with the
    other missing states by :func:`trap_states`.

    Examples
    --------
    >>> d = trap_state_compact(1.0, 0.01)
    >>> len(d["runs"]), len(d["population"]["outcomes"])
    (20, 100)
    """
    results = rank_one_trap_batch(_state_settings(init_scale, lr), TRAP_STEPS,
                                  progress=progress)
    return shipped.encode_trap_state(init_scale, lr, results)


def _compact_state(init_scale, lr, progress=None):
    state = shipped.shipped_trap_state(init_scale, lr)
    return state if state is not None else trap_state_compact(init_scale, lr, progress)


@memoize(maxsize=64)
def _decoded_state(init_scale, lr, shipped_on):
    return shipped.decode_trap_state(_compact_state(init_scale, lr))


def trap_state(init_scale: float, lr: float, progress=None) -> dict:
    """One slider state of the training explorer: every target's runs and the statistics.

    The shipped state (:mod:`nagviz.shipped`) when there is one, else
    :func:`trap_state_compact`; decoded into arrays by
    :func:`nagviz.shipped.decode_trap_state` and kept in memory.

    Examples
    --------
    >>> d = trap_state(1.0, 0.01)
    >>> len(d["runs"]), len(d["runs"][0]["outcomes"]), d["population"]["n"]
    (20, 8, 100)
    """
    init_scale, lr = float(init_scale), float(lr)
    if shipped.shipped_trap_state(init_scale, lr) is None:
        trap_state_compact(init_scale, lr, progress)
    return _decoded_state(init_scale, lr, shipped.enabled())


def _state_ready(init_scale, lr):
    return (shipped.shipped_trap_state(init_scale, lr) is not None
            or trap_state_compact.cache_lookup(init_scale, lr)[0])


def trap_states(pairs, progress=None) -> int:
    """Compute the missing :func:`trap_state` of ``(init_scale, lr)`` pairs in one batch.

    Returns the number of states that had to be computed (none when they are shipped).

    Examples
    --------
    >>> trap_states([(1.0, 0.01)])         # shipped, or computed above
    0
    """
    missing = [(float(v), float(lr)) for v, lr in pairs if not _state_ready(float(v), float(lr))]
    if not missing:
        return 0
    settings = [st for v, lr in missing for st in _state_settings(v, lr)]

    def part(done, total):
        if progress is not None:
            progress(min(99, int(100 * done / max(total, 1))), 100)

    rank_one_trap_batch(settings, TRAP_STEPS, progress=part)  # fills the cache
    for v, lr in missing:
        trap_state_compact(v, lr)
    if progress is not None:
        progress(100, 100)
    return len(missing)


def trap_fractions(init_scale: float = 1.0, method: str = "gd", progress=None):
    """The trapped fraction of the quadratic network over three seeds of 200 runs each.

    :func:`nagviz.rank_one_trap.trap_statistics` with learning rate 0.01 and 5000 steps
    (gradient descent) or 300 iterations (Levenberg–Marquardt).

    Examples
    --------
    >>> st = trap_fractions()
    >>> st.seeds, st.n_runs
    ((0, 1, 2), 200)
    """
    st = shipped.trap_fraction_results(float(init_scale), method)
    if st is not None:
        return st
    steps = TRAP_STEPS if method == "gd" else 300
    return trap_statistics(200, (0, 1, 2), float(init_scale), 0.01, steps, method=method,
                           progress=progress)


# --------------------------------------------------------------------------- a dead neuron

def dead_neuron_data(seed: int = 5, restarts: int = 8, n_directions: int = 60) -> dict:
    """Gradient, Hessian and escape direction at a dead neuron of (2, 2, 1), ``z^3 + z^2``.

    The point: the best fit of the one-neuron subnetwork to a Gaussian target (seed
    ``seed``), with neuron 2 added switched off (in- and out-weights zero). It is
    critical for the full loss; the Hessian vanishes in neuron 2's directions; the loss
    decreases along a direction only at third order
    (:func:`nagviz.loss_landscape.escape_direction`). The explorers keep it on disk
    (:func:`nagviz.explorers.singularities.dead_neuron_data`).

    Examples
    --------
    >>> d = dead_neuron_data()
    >>> d["gradient"][[2, 3, 5]].tolist(), d["order"]
    ([0.0, 0.0, 0.0], 3)
    """
    t = sample_targets(CUBIC_221, 1, seed=seed)[0]
    sub = best_fit(Architecture((2, 1, 1), "z^3 + z^2"), t, restarts=restarts, seed=seed)
    theta = dead_neuron_point(CUBIC_221, sub.theta[0], 1, 1)
    unit = hidden_units(CUBIC_221)[1]
    g = loss_gradient(CUBIC_221, theta, target=t)
    H = loss_hessian(CUBIC_221, theta, target=t)
    esc = escape_direction(CUBIC_221, theta, unit, target=t, n_directions=n_directions, seed=0)
    s = np.linspace(-0.4, 0.4, 161)
    poly = np.polynomial.Polynomial(esc.loss_polynomial)
    return dict(seed=seed, target=t, theta=theta, gradient=g, hessian=H,
                dead=list(unit.parameters), names=["w₁₁", "w₁₂", "w₂₁", "w₂₂", "v₁", "v₂"],
                order=esc.order, coefficient=esc.coefficient, direction=esc.direction,
                s=s, change=poly(s) - poly(0.0), cubic=esc.coefficient * s ** 3,
                loss=float(poly(0.0)),
                restricted=np.array(esc.restricted_eigenvalues),
                eigenvalues=np.array(esc.hessian_eigenvalues))


# --------------------------------------------------------------------------- MLP versus CNN

#: The training experiment of notebook 05: ``label -> (architecture, keyword arguments of
#: gd_subnetwork_experiment)``. Plain gradient descent and Levenberg–Marquardt on the MLP
#: (2, 2, 1) with ``z^3 + z^2``, and plain gradient descent on the CNN with filter sizes
#: (2, 2) and the same activation, with the same targets distribution, initialization,
#: learning rate, steps and tolerances.
EXPERIMENTS = {
    "MLP, gradient descent": (CUBIC_221, dict(method="gd", lr=4e-3, steps=5000)),
    "MLP, Levenberg–Marquardt": (CUBIC_221, dict(method="lm", steps=300)),
    "CNN, gradient descent": (CNNArchitecture((2, 2), "z^3 + z^2"),
                              dict(method="gd", lr=4e-3, steps=5000)),
}


#: Runs per seed and seeds of the MLP-versus-CNN contrast.
CONTRAST_RUNS, CONTRAST_SEEDS = 400, (0, 1, 2)


def training_contrast(n_runs: int = CONTRAST_RUNS, seeds=CONTRAST_SEEDS, progress=None) -> dict:
    """:data:`EXPERIMENTS` over several seeds (:func:`nagviz.subnetwork_experiment.subnetwork_rate`).

    Returns ``{label: SubnetworkRateResult}``: the shipped runs
    (:func:`nagviz.shipped.contrast_results`) for the default settings, else computed and
    cached in memory and on disk.

    Examples
    --------
    >>> r = training_contrast(n_runs=2, seeds=(1,))
    >>> list(r) == list(EXPERIMENTS), [x.n_valid + int(x.diverged.sum()) for x in r.values()]
    (True, [2, 2, 2])
    """
    if int(n_runs) == CONTRAST_RUNS and tuple(seeds) == CONTRAST_SEEDS:
        out = shipped.contrast_results()
        if out is not None:
            return out
    out = {}
    for i, (label, (arch, kwargs)) in enumerate(EXPERIMENTS.items()):
        def sub(done, total, i=i):
            if progress is not None:
                progress(i * 100 + int(100 * done / max(total, 1)), 100 * len(EXPERIMENTS))
        out[label] = subnetwork_rate(arch, n_runs, tuple(seeds), progress=sub, **kwargs)
    if progress is not None:
        progress(100 * len(EXPERIMENTS), 100 * len(EXPERIMENTS))
    return out


def training_experiments(n_runs: int = 60, seed: int = 0, progress=None) -> dict:
    """Run :data:`EXPERIMENTS` (cached by :func:`nagviz.training.gd_subnetwork_experiment`).

    Returns ``{label: SubnetworkExperimentResult}``.

    Examples
    --------
    >>> r = training_experiments(n_runs=2, seed=1)
    >>> list(r) == list(EXPERIMENTS), all(x.n_runs == 2 for x in r.values())
    (True, True)
    """
    out = {}
    for i, (label, (arch, kwargs)) in enumerate(EXPERIMENTS.items()):
        def sub(done, total, i=i):
            if progress is not None:
                progress(i * 100 + int(100 * done / max(total, 1)), 100 * len(EXPERIMENTS))
        out[label] = gd_subnetwork_experiment(arch, n_runs, seed=seed, progress=sub, **kwargs)
    if progress is not None:
        progress(100 * len(EXPERIMENTS), 100 * len(EXPERIMENTS))
    return out


# --------------------------------------------------------------------------- prewarm

def prewarm(progress=None, experiments: bool = True, *, rank_path=None, section=None,
            voronoi=None) -> int:
    """Compute what notebook 05 shows, so that its explorers answer at once.

    The first views and static fallbacks of its explorers (every data distribution of
    the critical-versus-best explorer; the training explorer's states at the initial
    learning rate and the init scales of its static view), and with ``experiments=True``
    the statistics of the quadratic network over three seeds (gradient descent at two
    init scales, Levenberg–Marquardt) and the MLP-versus-CNN contrast
    (:func:`training_contrast`). All gradient-descent runs of the quadratic network go
    in one vectorized loop. Returns the number of jobs, reported to
    ``progress(done, total)`` (for instance a :func:`nagviz._progress.tqdm_progress` bar).
    ``rank_path``, ``section`` and ``voronoi`` replace :func:`rank_path_case`,
    :func:`slice_section` and :func:`voronoi_cell` (the explorers pass their versions
    cached on disk, :func:`nagviz.explorers.singularities.prewarm`).

    Examples
    --------
    >>> calls = []
    >>> prewarm(lambda done, total: calls.append((done, total)), experiments=False)
    5
    >>> calls[-1]
    (5, 5)
    """
    pairs = [(v, TRAP_DEFAULTS["lr"]) for v in TRAP_INIT_SCALES_SHOWN]

    def quadratic():
        settings = [st for v, lr in pairs if not _state_ready(v, lr)
                    for st in _state_settings(v, lr)]
        if experiments:
            settings += [st for v in (1.0, 0.1) if shipped.trap_fraction_results(v) is None
                         for st in trap_statistics_settings(200, (0, 1, 2), v, 0.01, TRAP_STEPS)]
        if settings:
            rank_one_trap_batch(settings, TRAP_STEPS)  # one loop; the rest reads the cache
        trap_states(pairs)
        if experiments:
            trap_fractions(1.0), trap_fractions(0.1)

    rank_path, section = rank_path or rank_path_case, section or slice_section
    voronoi = voronoi or voronoi_cell
    jobs = [lambda: [rank_path(c, 0) for c in PATH_CASES],
            lambda: [section(a) for a in SLICE_ALPHAS],
            lambda: [voronoi(c) for c in VORONOI_CURVES],
            quadratic,
            lambda: [critical_versus_best_view(d) for d in DISTRIBUTIONS]]
    if experiments:
        jobs.append(lambda: trap_fractions(method="lm"))
        jobs.append(lambda: training_contrast())
    total = len(jobs)
    for i, job in enumerate(jobs):
        if progress is not None:
            progress(i, total)
        job()
    if progress is not None:
        progress(total, total)
    return total
