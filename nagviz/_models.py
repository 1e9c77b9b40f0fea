"""A model with its hidden units and its fastest coefficient map, built once (shared internals).

Training, best fits and the singularity experiments ask a model for the coefficient
vectors ``c(theta)`` of a batch of parameters, their Jacobian and the gradient of a
squared loss; :func:`_model` hands out one :class:`_Model` per model, memoized, built
from the model contract (:meth:`nagviz.model.Model.coefficient_map` and
:meth:`~nagviz.model.Model.hidden_units`): no switch on families.
"""

from __future__ import annotations

from .cache import memoize
from .model import as_model


class _Model:
    """``theta -> (c(theta), dc/dtheta)`` for a batch of parameter vectors, with the units."""

    def __init__(self, model):
        self.arch = model
        self.n_parameters = model.n_parameters
        self.ambient_dimension = model.ambient_dimension
        self.units = model.hidden_units()
        #: degree of the coefficients as polynomials in the parameters
        self.parameter_degree = model.parameter_degree
        self.map = model.coefficient_map()

    def coefficients(self, theta):
        """(B, ambient) coefficient vectors (complex parameters allowed)."""
        return self.map.coefficients(theta)

    def coefficients_and_jacobian(self, theta):
        """``(c, J)`` with shapes (B, ambient) and (B, ambient, P)."""
        return self.map.coefficients_and_jacobian(theta)

    def loss_gradient(self, theta, A, b):
        """``(L, grad L)`` for ``L = ||A c(theta) - b||^2``, batched."""
        return self.map.loss_gradient(theta, A, b)


@memoize(maxsize=64)
def _model(arch) -> _Model:
    return _Model(as_model(arch))
