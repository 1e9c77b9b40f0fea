"""Training polynomial networks, and how gradient descent is drawn to subnetworks.

The loss is the squared distance in function space,

    ``L(w) = || f_w - t ||_G^2 = (c(w) - t)^T G (c(w) - t)``,

where ``c(w)`` is the coefficient vector of ``f_w`` (:func:`nagviz.coefficients`), ``t``
the coefficient vector of a target and ``G`` an inner product on the ambient space.
This module gathers the public names of the modules that hold the mathematics:

* :mod:`nagviz.units` -- hidden units (:class:`Unit`, :func:`hidden_units`): the neurons
  or filter entries whose removal gives a subnetwork;
* :mod:`nagviz.inner_products` -- the Euclidean, Bombieri–Weyl and Gaussian-data inner
  products (:func:`inner_product_matrix`, :func:`gram_factor`) and random targets
  (:func:`sample_targets`);
* :mod:`nagviz.optimization` -- plain gradient descent and Levenberg–Marquardt
  (:func:`train`, :class:`TrainingResult`) and the distance of a network to its
  subnetworks (:func:`unit_contributions`);
* :mod:`nagviz.best_approximation` -- the nearest point of the neuromanifold to a target
  (:func:`best_fit`, :class:`BestFitResult`);
* :mod:`nagviz.subnetwork_experiment` -- how often gradient descent ends at a subnetwork
  although the full network fits better (:func:`gd_subnetwork_experiment`; over several
  seeds with intervals, :func:`subnetwork_rate`; some of its runs trained again alone,
  :func:`subnetwork_rate_runs`).

Supported models: :class:`nagviz.Architecture` (MLPs) and
:class:`nagviz.cnn.CNNArchitecture`.

Examples
--------
>>> from nagviz.training import train
>>> run = train((2, 2, 1), n_runs=3, method="lm", steps=100, seed=0)
>>> run.loss.shape
(3,)
"""

from __future__ import annotations

from ._fitting import DIVERGENCE_LOSS, DIVERGENCE_NORM, ESCAPE_NORM
from .best_approximation import BestFitResult, best_fit
from .inner_products import gram_factor, inner_product_matrix, sample_targets
from .optimization import (TrainingResult, gradient_descent, levenberg_marquardt, train,
                           unit_contributions)
from .subnetwork_experiment import (SubnetworkExperimentResult, SubnetworkRateResult,
                                    gd_subnetwork_experiment, rate_inputs, subnetwork_rate,
                                    subnetwork_rate_runs)
from .units import Unit, hidden_units

__all__ = [
    "Unit",
    "hidden_units",
    "inner_product_matrix",
    "sample_targets",
    "gram_factor",
    "unit_contributions",
    "train",
    "gradient_descent",
    "levenberg_marquardt",
    "best_fit",
    "gd_subnetwork_experiment",
    "TrainingResult",
    "BestFitResult",
    "SubnetworkExperimentResult",
    "subnetwork_rate",
    "subnetwork_rate_runs",
    "rate_inputs",
    "SubnetworkRateResult",
    "DIVERGENCE_NORM",
    "ESCAPE_NORM",
    "DIVERGENCE_LOSS",
]
