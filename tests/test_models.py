"""Coefficient models: exact Jacobians and loss gradients, batched (nagviz._models)."""

import numpy as np
import pytest

from nagviz import Architecture, coefficients
from nagviz._models import _model
from nagviz.cnn import CNNArchitecture

MLP = Architecture((2, 2, 1), "z^3 + z^2")
CNN = CNNArchitecture((2, 2), "z^3 + z^2")


@pytest.mark.parametrize("arch", [MLP, Architecture((3, 2, 2), 2), Architecture((2, 2, 2, 1), 2),
                                  Architecture((2, 2, 1), 2, bias=True), CNN,
                                  CNNArchitecture((2, 2, 2), 2)], ids=str)
def test_coefficient_jacobian_matches_finite_differences(arch):
    model = _model(arch)
    theta = np.random.default_rng(0).standard_normal((3, arch.n_parameters))
    c, J = model.coefficients_and_jacobian(theta)
    h = 1e-6
    fd = np.stack([(model.coefficients(theta + h * e) - model.coefficients(theta - h * e))
                   / (2 * h) for e in np.eye(arch.n_parameters)], axis=-1)
    np.testing.assert_allclose(J, fd, atol=1e-7 * max(1.0, np.abs(J).max()))
    if isinstance(arch, Architecture):
        np.testing.assert_allclose(c, coefficients(arch, theta).reshape(3, -1), atol=1e-12)
    A = np.random.default_rng(1).standard_normal((arch.ambient_dimension,) * 2)
    b = np.random.default_rng(2).standard_normal((3, arch.ambient_dimension))
    L, g = model.loss_gradient(theta, A, b)
    r = c @ A.T - b
    np.testing.assert_allclose(L, (r ** 2).sum(1))
    np.testing.assert_allclose(g, 2 * np.einsum("bmp,bm->bp", J, r @ A), rtol=1e-10, atol=1e-10)
