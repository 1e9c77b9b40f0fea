"""nagviz: an interactive companion for neuroalgebraic geometry.

The function space of a polynomial neural network, its *neuromanifold*, is a
semi-algebraic set; its Zariski closure, the *neurovariety*, has a dimension, a degree,
fibers, singularities and critical points that explain how the network learns. nagviz
computes these numbers exactly and draws the pictures.

Quick start
-----------
>>> import nagviz
>>> arch = nagviz.Architecture((3, 5, 1), activation=4)
>>> result = nagviz.dimension(arch)
>>> result.expected_dimension, result.dimension        # the Clebsch defect
(15, 14)

Modules (the map: module -> mathematics -> notebook)
----------------------------------------------------
The model contract and the exact engine
    ``model`` (:class:`Model`: what every network family implements), ``architecture``
    (fully connected networks), ``cnn`` (convolutional networks), ``activation``,
    ``parameterization`` (evaluation, coefficients, output polynomials), ``jacobian_rank``
    (the exact dimension :func:`dimension`, :func:`float_rank`, both Jacobians) -- 00-02.
Dimension, degree, sample complexity
    ``sweeps`` (many cached dimensions), ``atlas`` (atlases, degree thresholds, filling
    widths), ``degree`` (degrees, implicit equations, covering numbers),
    ``sample_complexity`` (the recovery experiment) -- notebook 02.
Small neuromanifolds you can see
    ``neuromanifolds`` (cones, fibers of w2 w1 x, loss landscapes), ``real_reachability``
    (which pairs (2,2,2) reaches over the reals) -- notebook 01.
Singularities, subnetworks, training
    ``units``, ``tangent_space`` (ranks along paths to subnetworks),
    ``singular_versus_critical`` (singular points of M versus critical points of phi,
    critical exposure, why a subnetwork is never the best fit), ``voronoi``,
    ``loss_landscape`` (dead neurons), ``critical_versus_best``, ``neurovariety_221``,
    ``rank_one_trap``, ``inner_products``, ``optimization`` (gradient descent and
    Levenberg-Marquardt), ``best_approximation``, ``subnetwork_experiment``,
    ``experiments`` (notebook 05's presets), ``shipped`` (the per-run records of its long
    experiments, carried by the package: ``python -m nagviz.shipped --regenerate``);
    ``singularities`` and ``training`` re-export them; ``linear_networks`` (the canonical example: lower-rank matrices, Eckart-Young,
    learning one singular value at a time) -- notebook 05.
Infrastructure
    ``cache`` (one memoization layer, memory and disk; :func:`clear_cache`), ``plotting``
    (matplotlib figures of results: ``result.plot()``), ``explorers`` and ``theme``
    (interactive views, loaded on first use), ``exercises`` (answer checks and hints).
    Modules whose names start with ``_`` are shared internals.
Fibers, symmetries, conserved quantities
    ``fibers`` (fiber dimensions, kernel directions, symmetry orbits, exact finite fibers),
    ``fiber_search`` (restarts verified exactly), ``conservation`` (quantities gradient flow
    conserves, drift with the step size, balanced initialization) -- notebook 03.
Critical points and the algebra of training
    ``critical_points`` (ED degrees, Eckart-Young, data discriminants), ``low_rank``
    (Eckart-Young alone, numpy only), ``landscapes`` (tiny loss landscapes with every
    critical point, pure or spurious) -- notebook 04.
Beyond the MLP
    ``attention`` (lightning self-attention, a model family), ``relu`` (linear regions of
    ReLU networks), ``approximation`` (polynomial approximation of ReLU and tanh); ``cnn``
    with strides -- notebook 06.

All modules except ``explorers``, ``theme`` and ``plotting`` are pure mathematics: no
plotting imports.

``import nagviz`` stays fast and never imports matplotlib, plotly or ipywidgets; the
submodules that need them load on first use.
"""

from __future__ import annotations

import importlib

from .activation import Activation, InvalidActivationError
from .architecture import Architecture, InvalidArchitectureError, monomial_exponents
from .cache import clear_cache
from .jacobian_rank import (
    ArchitectureTooLargeError,
    DimensionResult,
    FloatRankResult,
    dimension,
    float_rank,
    jacobian_float,
    jacobian_mod_p,
)
from .model import Model
from .parameterization import (
    coefficients,
    evaluate,
    flatten,
    monomial_labels,
    output_polynomials,
    polynomials_latex,
    unflatten,
)

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "Architecture",
    "ArchitectureTooLargeError",
    "DimensionResult",
    "FloatRankResult",
    "InvalidActivationError",
    "InvalidArchitectureError",
    "Model",
    "clear_cache",
    "coefficients",
    "dimension",
    "evaluate",
    "flatten",
    "float_rank",
    "jacobian_float",
    "jacobian_mod_p",
    "monomial_exponents",
    "monomial_labels",
    "output_polynomials",
    "polynomials_latex",
    "unflatten",
]

# Submodules that import heavier libraries are loaded on first attribute access.
_LAZY_SUBMODULES = {"exercises", "explorers", "theme", "training", "singularities", "cnn",
                    "atlas", "sample_complexity", "degree", "neuromanifolds", "plotting",
                    "real_reachability", "units", "tangent_space", "voronoi", "loss_landscape",
                    "critical_versus_best", "neurovariety_221", "rank_one_trap",
                    "inner_products", "optimization", "best_approximation",
                    "subnetwork_experiment", "experiments", "cache", "model", "jacobian_rank",
                    "sweeps", "attention", "relu", "approximation",
                    "critical_points", "low_rank", "landscapes",
                    "fibers", "fiber_search", "conservation", "singular_versus_critical",
                    "linear_networks"}


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'nagviz' has no attribute {name!r}")
