"""Inner products on coefficient vectors and random targets (nagviz.inner_products)."""

import numpy as np
import pytest

from nagviz import Architecture, coefficients
from nagviz.inner_products import inner_product_matrix, sample_targets

MLP = Architecture((2, 2, 1), "z^3 + z^2")


def test_gaussian_inner_product_is_the_expected_squared_error():
    arch = Architecture((2, 1, 1), 2)
    G = inner_product_matrix(arch, "gaussian", input_scale=0.7)
    rng = np.random.default_rng(0)
    X = 0.7 * rng.standard_normal((400_000, 2))
    mons = np.array(arch.monomials())
    M = np.prod(X[:, None, :] ** mons[None], axis=-1)
    np.testing.assert_allclose(G, M.T @ M / len(X), atol=0.01)


def test_bombieri_norm_is_rotation_invariant():
    arch = Architecture((2, 1, 1), 2)
    G = inner_product_matrix(arch, "bombieri")
    rng = np.random.default_rng(0)
    for _ in range(3):
        a, b, v = rng.standard_normal(3)
        phi = rng.uniform(0, 2 * np.pi)
        rot = np.array([np.cos(phi) * a - np.sin(phi) * b, np.sin(phi) * a + np.cos(phi) * b, v])
        c1, c2 = coefficients(arch, [a, b, v])[0], coefficients(arch, rot)[0]
        assert c1 @ G @ c1 == pytest.approx(c2 @ G @ c2)


def test_targets_are_standard_for_the_inner_product():
    t = sample_targets(MLP, 20000, "gaussian", seed=0)
    G = inner_product_matrix(MLP, "gaussian")
    R = np.linalg.cholesky(G).T
    z = t @ R.T
    np.testing.assert_allclose(np.cov(z.T), np.eye(7), atol=0.05)
