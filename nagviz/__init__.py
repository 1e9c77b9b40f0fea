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

Modules
-------
activation, architecture, parameterization, dimension
    The core: architectures, the parameterization, the exact dimension engine.
atlas, sample_complexity, degree
    Dimension sweeps with caches, the recovery experiment, degrees and covering numbers.
singularities, training, cnn
    Tangent ranks along paths to subnetworks, Voronoi cells, gradient descent and
    Levenberg-Marquardt runs, and small convolutional networks.
explorers, theme
    Interactive views (ipywidgets + plotly) and the shared look; loaded on first use.
exercises
    Answer checks and hints for the exercise notebooks.

All modules except explorers and theme are pure mathematics: no plotting imports.

``import nagviz`` stays fast and never imports matplotlib, plotly or ipywidgets; the
submodules that need them load on first use.
"""

from __future__ import annotations

import importlib

from .activation import Activation, InvalidActivationError
from .architecture import Architecture, InvalidArchitectureError, monomial_exponents
from .dimension import (
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
                    "atlas", "sample_complexity", "degree", "neuromanifolds",
                    "fibers", "fiber_search", "conservation"}


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'nagviz' has no attribute {name!r}")
