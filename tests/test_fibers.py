"""Fibers of the parameterization (nagviz.fibers)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import nagviz
from nagviz.cnn import CNNArchitecture
from nagviz.fibers import (fiber_directions, fiber_table, finite_fiber, follow_fiber,
                           function_change, hidden_permutations, symbolic_coefficients,
                           symmetry_flow, symmetry_generators)

# (model, fiber dimension, extra directions beyond the obvious symmetries)
MODELS = [
    (nagviz.Architecture((2, 1, 1), 2), 1, 0),
    (nagviz.Architecture((2, 2, 1), 2), 3, 1),          # filling: 6 - 2 > 3 = ambient
    (nagviz.Architecture((3, 2, 1), 2), 3, 1),          # defective by 1 (MATH.md)
    (nagviz.Architecture((2, 1, 2, 1), 2), 4, 1),       # 6 params, dim 2
    (nagviz.Architecture((3, 3, 3), 2), 3, 0),          # 18 params, dim 15
    (nagviz.Architecture((3, 2, 2), 1), 4, 0),          # GL(2): 10 params, dim 2(3+2-2) = 6
    (nagviz.Architecture((2, 2, 1), "z^3 + z^2"), 0, 0),
    (CNNArchitecture((3, 3), 2), 1, 0),
    (CNNArchitecture((3, 2, 4)), 2, 0),                 # LCN: 9 params, dim 7
    (CNNArchitecture((2, 2), "z^3 + z^2"), 0, 0),
]


@pytest.mark.parametrize("model, fiber, extra", MODELS, ids=lambda m: getattr(m, "describe", lambda: str(m))())
def test_kernel_at_a_random_point_is_the_generic_fiber(model, fiber, extra):
    res = nagviz.dimension(model)
    assert res.fiber_dimension == model.n_parameters - res.dimension == fiber
    fd = fiber_directions(model, seed=2)
    assert fd.kernel_dimension == fiber and fd.is_generic
    assert fd.extra_dimension == extra
    assert fd.symmetry_dimension + fd.extra_dimension == fd.kernel_dimension
    assert fd.symmetry_in_kernel < 1e-10
    # the kernel is orthonormal and annihilated by the Jacobian
    _, J = model.coefficient_map().coefficients_and_jacobian(fd.theta[None])
    if fiber:
        np.testing.assert_allclose(fd.kernel @ fd.kernel.T, np.eye(fiber), atol=1e-10)
        assert np.abs(J[0] @ fd.kernel.T).max() < 1e-9 * np.abs(J).max()
        # extra directions are orthogonal to the symmetry directions
        if fd.extra_dimension and fd.symmetry_dimension:
            assert np.abs(fd.extra @ fd.symmetry.T).max() < 1e-9


def test_fiber_table_agrees_with_the_engine_for_mlps_and_cnns():
    rows = fiber_table([m for m, _, _ in MODELS])
    assert [r["fiber_dimension"] for r in rows] == [f for _, f, _ in MODELS]
    assert [r["extra"] for r in rows] == [e for _, _, e in MODELS]
    assert all(r["parameters"] - r["dimension"] == r["fiber_dimension"] for r in rows)


@pytest.mark.parametrize("model", [
    nagviz.Architecture((2, 2, 1), 2), nagviz.Architecture((3, 2, 2, 1), 3),
    nagviz.Architecture((2, 2, 2), 1), nagviz.Architecture((2, 2, 1), 1, bias=True),
    CNNArchitecture((3, 3), 2), CNNArchitecture((2, 2, 2), 3)],
    ids=lambda m: m.describe())
def test_moving_along_every_symmetry_orbit_keeps_the_function(model):
    theta = model.random_parameters(seed=5)
    k = model.symmetry_directions(theta).shape[0]
    assert k > 0
    for gen in range(k):
        path = symmetry_flow(model, theta, gen, [-0.7, 0.3, 0.9])
        for point in path:
            assert function_change(model, theta, point) < 1e-9
        assert np.abs(path[-1] - theta).max() > 0.1          # the weights do move


def test_rescaling_flow_is_exact():
    a = nagviz.Architecture((2, 1, 1), 3)                        # v (p x + q y)^3
    out = symmetry_flow(a, [1.0, -2.0, 0.5], 0, 0.4)
    np.testing.assert_allclose(out, [np.exp(0.4), -2 * np.exp(0.4), 0.5 * np.exp(-1.2)],
                               rtol=1e-13)
    A, b = symmetry_generators(a)
    np.testing.assert_array_equal(np.diag(A[0]), [1.0, 1.0, -3.0])


def test_extra_direction_of_a_defective_network_is_a_real_fiber_curve():
    a = nagviz.Architecture((3, 2, 1), 2)
    fd = fiber_directions(a, seed=0)
    path = follow_fiber(a, fd.theta, fd.extra[0], steps=20, step_size=0.05)
    assert path.function_change < 1e-9
    start, end = path.points[0], path.points[-1]
    # rescalings and permutations keep the two lines [w_1], [w_2]; this move does not
    lines = lambda t: [t[3 * j:3 * j + 3] / np.linalg.norm(t[3 * j:3 * j + 3]) for j in range(2)]
    (u1, u2), (n1, n2) = lines(start), lines(end)
    assert min(1 - abs(u1 @ n1), 1 - abs(u1 @ n2)) > 1e-3


def test_finite_fiber_of_a_generic_activation_is_the_permutations():
    a = nagviz.Architecture((2, 2, 1), "z^3 + z^2")
    theta = [1, 2, -1, 3, 2, -1]
    ff = finite_fiber(a, theta)
    assert ff.complex_count == 2 and ff.real_count == 2 and ff.permutation_images == 2
    assert set(ff.points) == {tuple(map(sympy.Integer, theta)),
                              tuple(map(sympy.Integer, [-1, 3, 1, 2, -1, 2]))}
    assert ff.others == 0


def test_odd_activation_adds_sign_flips_to_the_fiber():
    a = nagviz.Architecture((2, 2, 1), "z^3 + z")                # sigma(-z) = -sigma(z)
    theta = np.array([1, 2, -1, 3, 2, -1])
    ff = finite_fiber(a, theta)
    assert ff.complex_count == 8 and ff.real_count == 8 and ff.permutation_images == 2
    expected = set()
    for perm in hidden_permutations(a):
        for s1 in (1, -1):
            for s2 in (1, -1):
                t = theta[perm] * np.array([s1, s1, s2, s2, s1, s2])
                expected.add(tuple(sympy.Integer(int(v)) for v in t))
    assert set(ff.points) == expected


def test_finite_fiber_refuses_a_positive_dimensional_fiber():
    with pytest.raises(ValueError, match="not finite"):
        finite_fiber(nagviz.Architecture((2, 1, 1), 2), [1, 2, 3])


def test_hidden_permutations():
    assert len(hidden_permutations(nagviz.Architecture((2, 3, 1), 2))) == 6
    assert len(hidden_permutations(nagviz.Architecture((2, 2, 2, 1), 2))) == 4
    assert len(hidden_permutations(CNNArchitecture((2, 2), 2))) == 1      # taps are not neurons
    a = nagviz.Architecture((2, 3, 1), 3, bias=True)
    theta = a.random_parameters(seed=0)
    for perm in hidden_permutations(a):
        assert function_change(a, theta, theta[perm]) < 1e-12


def test_symbolic_coefficients_match_the_float_coefficients():
    for model in (nagviz.Architecture((2, 2, 1), "z^3 + z^2", bias=True),
                  CNNArchitecture((2, 2), 2)):
        coeffs, t = symbolic_coefficients(model)
        theta = model.random_parameters(seed=1)
        exact = [float(c.subs(dict(zip(t, theta)))) for c in coeffs]
        np.testing.assert_allclose(exact, nagviz.coefficients(model, theta).reshape(-1),
                                   rtol=1e-10, atol=1e-12)


def test_bad_inputs_give_clear_errors():
    a = nagviz.Architecture((2, 2, 1), 2)
    with pytest.raises(ValueError, match="has 6 parameters"):
        fiber_directions(a, np.ones(5))
    with pytest.raises(ValueError, match="generator must be"):
        symmetry_flow(a, np.ones(6), 7, 0.1)
    with pytest.raises(ValueError, match="nonzero vector"):
        follow_fiber(a, np.ones(6), np.zeros(6))
    with pytest.raises(ValueError, match="rational"):
        finite_fiber(nagviz.Architecture((2, 2, 1), "z^3 + z^2"), ["a"] * 6)
