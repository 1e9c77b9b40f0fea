"""Singular points versus critical points: every number recomputed a second way."""

from fractions import Fraction
from math import comb

import numpy as np
import pytest
from scipy.optimize import root

import nagviz
from nagviz.cnn import cnn_coefficients
from nagviz.inner_products import inner_product_matrix
from nagviz.jacobian_rank import jacobian_mod_p, rank_mod_p
from nagviz.loss_landscape import loss_gradient, loss_hessian
from nagviz.parameterization import evaluate
from nagviz.singular_versus_critical import (bombieri_weights, cnn_node, critical_exposure_221,
                                             dead_neuron_saddle, neuron_directions_span,
                                             rank_drop_at_smooth_point)
from nagviz.tangent_space import tangent_rank

CUBIC = nagviz.Architecture((2, 2, 1), "z^3 + z^2")


def test_rank_drop_at_a_smooth_point_agrees_with_the_engine():
    r = rank_drop_at_smooth_point()
    assert r.is_filling and r.dimension == r.ambient_dimension == 3
    assert r.function == (1, 0, 0)                                   # x^2
    for theta, rank in zip(r.points, r.ranks):
        assert tangent_rank(r.architecture, list(theta)).rank == rank   # modulo a prime
        assert np.allclose(nagviz.coefficients(r.architecture, [float(x) for x in theta])[0],
                           [1, 0, 0])
    assert min(r.ranks) < r.dimension                                # a rank drop ...
    assert max(r.ranks) == r.dimension                               # ... over one function


def test_every_binary_quadratic_is_reached_so_M_is_all_of_R3():
    """Diagonalization: a second argument that (2, 2, 1), z^2 fills R^3 over the reals."""
    rng = np.random.default_rng(0)
    for a, b, c in rng.standard_normal((20, 3)):
        lam, Q = np.linalg.eigh([[a, b / 2], [b / 2, c]])
        theta = [Q[0, 0], Q[1, 0], Q[0, 1], Q[1, 1], lam[0], lam[1]]
        assert np.allclose(nagviz.coefficients(nagviz.Architecture((2, 2, 1), 2), theta)[0],
                           [a, b, c])


def test_cnn_node_second_way_modulo_a_prime():
    r = cnn_node()
    assert r.is_node and r.ranks == (4, 4) and r.sum_rank == 6 and r.intersection_dimension == 2
    model = r.model
    t1, t2 = [int(x) for x in r.theta_1], [int(x) for x in r.theta_2]
    assert np.allclose(cnn_coefficients(model, t1), cnn_coefficients(model, t2))
    assert tangent_rank(model, t1).rank == tangent_rank(model, t2).rank == 4
    assert nagviz.dimension(model).dimension == r.generic_rank == 4
    rng = np.random.default_rng(1)
    X = rng.integers(-50, 50, size=(3 * len(r.monomials), model.input_dimension))
    p = 2_147_483_629
    J = np.hstack([jacobian_mod_p(model, t1, X, p), jacobian_mod_p(model, t2, X, p)])
    assert rank_mod_p(J, p) == 6
    # a generic point of the same CNN has no second branch: the two Jacobians agree in rank 4
    assert rank_mod_p(np.hstack([jacobian_mod_p(model, [1, 2, 3, -1], X, p)] * 2), p) == 4


def test_cnn_node_other_scalings():
    r = cnn_node(s=Fraction(1, 2), u=-3)
    assert r.is_node and r.sum_rank == 6
    with pytest.raises(ValueError, match="nonzero"):
        cnn_node(s=0)


def test_bombieri_weights_match_the_inner_product_matrix():
    weights = bombieri_weights(CUBIC.monomials())
    assert np.allclose([float(w) for w in weights],
                       np.diag(inner_product_matrix(CUBIC, "bombieri")))


@pytest.mark.parametrize("ip", ["euclidean", "bombieri"])
def test_critical_exposure_count_and_exact_critical_point(ip):
    r = critical_exposure_221(ip)
    assert (r.stratum_dimension, r.normal_dimension, r.ambient_dimension) == (3, 4, 7)
    assert r.fills and r.dead_neuron_rank == 3
    assert not any(r.gradient) and r.hessian_determinant != 0
    # second way: the one-neuron network's dimension, and floats through backpropagation
    assert nagviz.dimension(nagviz.Architecture((2, 1, 1), "z^3 + z^2")).dimension == 3
    assert tangent_rank(CUBIC, list(r.theta)).rank == 3
    theta = np.array([float(x) for x in r.theta])
    target = np.array([float(x) for x in r.target])
    g = loss_gradient(CUBIC, theta, target=target, inner_product=ip)
    assert np.abs(g).max() < 1e-9
    live = theta[[0, 1, 4]]
    sub = nagviz.Architecture((2, 1, 1), "z^3 + z^2")
    H = loss_hessian(sub, live, target=target, inner_product=ip)
    assert np.isclose(np.linalg.det(H), float(r.hessian_determinant), rtol=1e-6)


def test_critical_exposure_open_set_by_newton():
    """Every target near r.target has a critical dead-neuron point: found by a root finder
    started at the exact critical point (Powell's hybrid method on the gradient)."""
    r = critical_exposure_221()
    sub = nagviz.Architecture((2, 1, 1), "z^3 + z^2")
    t0 = np.array([float(x) for x in r.target])
    rng = np.random.default_rng(5)
    for _ in range(5):
        t = t0 + 0.05 * rng.standard_normal(7)
        start = np.array([float(r.theta[i]) for i in (0, 1, 4)])
        sol = root(lambda w: loss_gradient(sub, w, target=t), start,
                   jac=lambda w: loss_hessian(sub, w, target=t), method="hybr", tol=1e-14)
        live = sol.x
        full = np.array([live[0], live[1], 0.0, 0.0, live[2], 0.0])
        assert np.abs(loss_gradient(CUBIC, full, target=t)).max() < 1e-7
        assert np.abs(live - [float(r.theta[i]) for i in (0, 1, 4)]).max() < 0.5


def test_critical_exposure_rejects_bad_input():
    with pytest.raises(ValueError, match="inner_product"):
        critical_exposure_221("frobenius")
    with pytest.raises(ValueError, match="live neuron"):
        critical_exposure_221(theta_sub=(1, 2, 0))


def test_added_neuron_directions_span_the_ambient_space():
    r = neuron_directions_span()
    assert r.spans and r.rank == 7
    # second way: powers of linear forms span the forms of each degree (binomial counts)
    assert r.degree_ranks == {2: comb(3, 1), 3: comb(4, 1)}
    assert sum(r.degree_ranks.values()) == r.ambient_dimension
    # third way: a float SVD of nagviz's own coefficients of sigma(u . x)
    sub = nagviz.Architecture((2, 1, 1), "z^3 + z^2")
    U = np.random.default_rng(2).standard_normal((12, 2))
    C = np.array([nagviz.coefficients(sub, [u[0], u[1], 1.0])[0] for u in U])
    assert np.linalg.matrix_rank(C) == 7


def test_spanning_other_networks_and_errors():
    assert neuron_directions_span(nagviz.Architecture((3, 3, 1), 2)).rank == 6
    assert neuron_directions_span(nagviz.Architecture((2, 2, 1), 2), n_directions=2).rank == 2
    with pytest.raises(ValueError, match="shallow"):
        neuron_directions_span(nagviz.Architecture((2, 2, 2, 1), 2))


def test_dead_neuron_is_a_strict_saddle_when_sigma_prime_zero_is_nonzero():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((25, 2)), rng.standard_normal(25)
    s = dead_neuron_saddle("z^3 + z^2 + z", X=X, Y=Y)
    assert s.is_strict_saddle
    # second way: g = 2 sigma'(0) sum r_n x_n from the residuals of the live neuron
    sub = nagviz.Architecture((2, 1, 1), "z^3 + z^2 + z")
    r = evaluate(sub, np.array([0.5, 1.5, -2.0]), X).reshape(-1) - Y
    g = 2 * 1.0 * (r @ X)
    block = np.array(s.block)
    assert np.allclose(block[:2, 2], g, rtol=1e-7) and np.allclose(block[:2, :2], 0, atol=1e-7)
    assert np.isclose(s.eigenvalues[0], -np.linalg.norm(g), rtol=1e-7)
    assert np.isclose(s.eigenvalues[-1], np.linalg.norm(g), rtol=1e-7)
    trap = dead_neuron_saddle("z^3 + z^2", X=X, Y=Y)
    assert not trap.is_strict_saddle and np.allclose(trap.block, 0, atol=1e-8)


def test_dead_neuron_saddle_needs_sigma_zero():
    with pytest.raises(ValueError, match="sigma\\(0\\)"):
        dead_neuron_saddle("z^2 + 1")


@pytest.mark.parametrize("activation", [2, 3, "z^3 + z^2"])
def test_bombieri_inner_product_evaluates_powers(activation):
    """The notebook's definition: <t, (p x + q y)^d> = t(p, q), degree by degree."""
    arch = nagviz.Architecture((2, 1, 1), activation)
    G = inner_product_matrix(arch, "bombieri")
    rng = np.random.default_rng(4)
    for _ in range(5):
        t = rng.standard_normal(arch.ambient_dimension)
        p, q = rng.standard_normal(2)
        for d in arch.activation.exponents:
            power = np.array([float(comb(d, e[1])) * p ** e[0] * q ** e[1] if sum(e) == d else 0.0
                              for e in arch.monomials()])
            value = sum(c * p ** e[0] * q ** e[1] for c, e in zip(t, arch.monomials())
                        if sum(e) == d)
            assert np.isclose(t @ G @ power, value)


def test_quadric_norm_of_the_notebook():
    """||a x^2 + b xy + c y^2||^2 = a^2 + b^2/2 + c^2 (Bombieri)."""
    G = inner_product_matrix(nagviz.Architecture((2, 1, 1), 2), "bombieri")
    a, b, c = 1.5, -2.0, 0.5
    assert np.isclose(np.array([a, b, c]) @ G @ np.array([a, b, c]), a * a + b * b / 2 + c * c)


def test_rank_drop_read_back_from_disk_is_the_computed_result(tmp_path, monkeypatch):
    """The disk cache keeps the exact data: Fractions, ranks, the architecture."""
    import json

    from nagviz import singular_versus_critical as svc

    computed = svc.rank_drop_at_smooth_point.uncached()
    record = json.loads(json.dumps(svc._rank_drop_record(computed)))
    assert svc._rank_drop_from_record(record) == computed
    assert repr(svc._rank_drop_from_record(record)) == repr(computed)
    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    svc.rank_drop_at_smooth_point.cache_clear()
    first = svc.rank_drop_at_smooth_point()
    svc.rank_drop_at_smooth_point.cache_clear()            # memory only: the disk entry stays
    assert svc.rank_drop_at_smooth_point.cache_file() is not None
    assert svc.rank_drop_at_smooth_point() == first == computed


@pytest.mark.parametrize("args", [(), (Fraction(1, 2), -3)])
def test_cnn_node_read_back_from_disk_is_the_computed_result(tmp_path, monkeypatch, args):
    """cnn_node's disk record keeps the exact data: Fractions, monomials, ranks, the model."""
    import json

    from nagviz import singular_versus_critical as svc

    computed = svc.cnn_node.uncached(*args)
    record = json.loads(json.dumps(svc._node_record(computed)))
    assert svc._node_from_record(record) == computed
    assert repr(svc._node_from_record(record)) == repr(computed)
    assert svc._node_from_record(record).theta_1 == computed.theta_1 == (0, *(args or (1, 1)), 0)
    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    svc.cnn_node.cache_clear()
    first = svc.cnn_node(*args)
    svc.cnn_node.cache_clear()                              # memory only: the disk entry stays
    assert svc.cnn_node.cache_file(*args) is not None
    again = svc.cnn_node(*args)
    assert again == first == computed and again.is_node and again.sum_rank == 6


@pytest.mark.parametrize("name, args", [
    ("critical_exposure_221", ("euclidean",)),
    ("critical_exposure_221", ("bombieri", (1, 2, Fraction(1, 3)), (1, -1, 0, 2))),
    ("neuron_directions_span", ()),
    ("neuron_directions_span", (nagviz.Architecture((3, 2, 1), 2), 9, 4)),
])
def test_sympy_results_read_back_from_disk_are_the_computed_ones(tmp_path, monkeypatch, name, args):
    """The disk records keep every exact number, so notebook 05 needs no sympy when warm."""
    import json

    from nagviz import singular_versus_critical as svc

    func = getattr(svc, name)
    encode, decode = {"critical_exposure_221": (svc._exposure_record, svc._exposure_from_record),
                      "neuron_directions_span": (svc._span_record, svc._span_from_record)}[name]
    computed = func.uncached(*args)
    back = decode(json.loads(json.dumps(encode(computed))))
    assert back == computed and repr(back) == repr(computed)
    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    func.cache_clear()
    first = func(*args)
    func.cache_clear()                                      # memory only: the disk entry stays
    assert func.cache_file(*args) is not None
    assert func(*args) == first == computed


def test_warm_notebook_05_results_need_no_sympy(tmp_path):
    """With the disk cache filled, the exact results notebook 05 prints load without sympy."""
    import os
    import subprocess
    import sys

    code = ("import sys; from nagviz.singular_versus_critical import *; "
            "r = (rank_drop_at_smooth_point(), cnn_node(), critical_exposure_221('euclidean'), "
            "critical_exposure_221('bombieri'), neuron_directions_span()); "
            "from nagviz.linear_networks import tangent_space_dimension as tsd; "
            "from nagviz.explorers import LinearIncrementalExplorer; "
            "d = tsd([[1, 2, 3], [2, 4, 6], [0, 0, 0]], 2); "
            "print('sympy' in sys.modules, r[1].sum_rank, r[3].normal_dimension, r[4].rank, d)")
    env = {**os.environ, "NAGVIZ_CACHE_DIR": str(tmp_path), "NAGVIZ_NO_SHIPPED": "1"}
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    warm = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert cold.stdout.split() == ["True", "6", "4", "7", "9"], cold.stderr[-2000:]
    assert warm.stdout.split() == ["False", "6", "4", "7", "9"], warm.stderr[-2000:]
