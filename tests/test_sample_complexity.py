"""Sample complexity: the exact local rank, and the measured recovery transition.

Tolerances of the recovery test (fixed seed 0, default settings of
``recovery_experiment``): a teacher counts as recovered when the kept student
interpolates (relative training loss < 1e-20) and its relative L2 error on fresh
Gaussian inputs is < 1e-6 (observed: ~1e-15); below the dimension the students that
interpolate the data must still be wrong by more than 1e-2 (observed: 2e-2 to 10).
"""

from __future__ import annotations

import numpy as np
import pytest

import nagviz.sample_complexity as sc
from nagviz import Architecture, evaluate
from nagviz.atlas import cached_dimension
from nagviz.sample_complexity import (
    fit_student,
    local_rank,
    recovery_experiment,
    regression_error,
    sample_inputs,
    teacher_parameters,
)

NO_DISK = {"cache_dir": False}


@pytest.mark.parametrize("widths, activation", [
    ((3, 2, 1), 2), ((3, 3, 3, 1), 2), ((3, 5, 1), 4), ((2, 2, 1), "z^3 + z^2"),
    ((2, 1, 2, 1), 3), ((2, 3, 3, 3, 1), 3), ((4, 2, 2, 1), 2),
])
def test_local_rank_is_min_of_samples_and_dimension(widths, activation):
    arch = Architecture(widths, activation)
    dim = cached_dimension(arch, **NO_DISK).dimension
    for n in sorted({1, max(1, dim - 1), dim, dim + 1, arch.n_parameters + 2}):
        assert local_rank(arch, n, seed=n) == min(n, dim), n


def test_local_rank_with_several_outputs_is_bounded():
    arch = Architecture((3, 3, 3), 2)                    # dim 15, three outputs
    assert [local_rank(arch, n) for n in (1, 4, 5, 9)] == [3, 12, 15, 15]
    assert local_rank(arch, 0) == 0


# (widths, activation): dimension, parameters, ambient
CASES = [
    ((3, 2, 1), 2),       # dim 5,  8 parameters, ambient 6
    ((4, 2, 1), 2),       # dim 7, 10 parameters, ambient 10
    ((5, 3, 1), 2),       # dim 12, 18 parameters, ambient 15
    ((2, 5, 1), 3),       # dim 4, 15 parameters, ambient 4: wide, far below the parameters
    ((5, 2, 1), 3),       # dim 10, 12 parameters, ambient 35: far below the ambient space
]


@pytest.mark.parametrize("widths, activation", CASES)
def test_recovery_transition_sits_at_the_dimension(widths, activation):
    arch = Architecture(widths, activation)
    dim = cached_dimension(arch, **NO_DISK).dimension
    sizes = [dim - 2, dim - 1, dim + 1, dim + 2] if dim > 2 else [dim - 1, dim + 1, dim + 2]
    r = recovery_experiment(arch, sizes, seed=0, cache=False)
    assert r.dimension == dim
    for i, n in enumerate(r.sample_sizes):
        if n < dim:
            assert r.interpolating[i] > 0           # the data are fitted ...
            assert r.best_error[i] > 1e-2           # ... by a function that is not the teacher
            assert r.median_error[i] > 1e-2
            assert not r.recovered[i]
        else:
            assert r.train_loss[i] < 1e-20
            assert r.best_error[i] < 1e-6
            assert r.recovered[i]
    assert r.transition == dim + 1
    assert r.local_rank.tolist() == [min(n, dim) for n in sizes]


def test_far_below_parameters_and_ambient_dimension():
    wide = recovery_experiment((2, 5, 1), [5], activation=3, cache=False)
    assert wide.recovered.all() and wide.parameters == 15 and wide.dimension == 4
    narrow = recovery_experiment((5, 2, 1), [12], activation=3, cache=False)
    assert narrow.recovered.all() and narrow.ambient_dimension == 35
    # polynomial regression on the 35 monomials is still far off with 12 samples
    assert narrow.regression_error[0] > 0.1
    assert narrow.regression_samples == 35


def test_regression_baseline_needs_the_ambient_dimension():
    arch = Architecture((3, 3, 1), 3)                    # 10 cubic monomials
    w = teacher_parameters(arch, seed=1)
    X_test = sample_inputs(arch, 300, seed=2, inputs="gaussian")
    X = sample_inputs(arch, 10, seed=3)
    assert regression_error(arch, w, X[:9], X_test) > 1e-3
    assert regression_error(arch, w, X, X_test) < 1e-8


def test_teacher_scale_and_inputs():
    for arch in (Architecture((3, 3, 1), 3), Architecture((3, 3, 3, 1), 2),
                 Architecture((2, 2, 1), 2, bias=True)):
        w = teacher_parameters(arch, seed=4)
        X = np.random.default_rng(0).standard_normal((5000, arch.widths[0]))
        rms = float(np.sqrt(np.mean(evaluate(arch, w, X) ** 2)))
        assert 0.5 < rms < 2
    X = sample_inputs((3, 2, 1), 6, seed=1, inputs="gaussian")
    assert not np.allclose(np.linalg.norm(X, axis=1), 1)
    with pytest.raises(ValueError, match="inputs"):
        sample_inputs((3, 2, 1), 3, inputs="cube")


def test_fit_student_handles_fewer_samples_than_parameters():
    arch = Architecture((3, 2, 1), 2)                    # 8 parameters
    w = teacher_parameters(arch, seed=0)
    X = sample_inputs(arch, 3, seed=5)
    for method in ("lm", "trf"):
        student, loss = fit_student(arch, X, evaluate(arch, w, X), seed=1, method=method)
        assert loss < 1e-20 and student.shape == (8,)
    with pytest.raises(ValueError, match="method"):
        fit_student(arch, X, evaluate(arch, w, X), method="adam")


def test_deterministic_and_cached(tmp_path, monkeypatch):
    monkeypatch.delenv("NAGVIZ_NO_DISK_CACHE", raising=False)
    # The same seed gives the same experiment up to floating-point round-off. Not bit for
    # bit: compiled solver code rounds differently with the stack's alignment (seen as
    # 1.5e-15 versus 2.6e-15 for a recovered teacher, and a slow restart that converges
    # within its budget in one process and not in another), so restart counts may differ.
    a = recovery_experiment((3, 2, 1), [4, 6], seed=3, cache=False)
    b = recovery_experiment((3, 2, 1), [4, 6], seed=3, cache=False)
    np.testing.assert_allclose(a.best_error, b.best_error, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(a.train_loss, b.train_loss, rtol=1e-6, atol=1e-20)
    assert a.best_error[0] > 0.1 and a.best_error[1] < 1e-12     # N=4 < dim=5 < N=6
    np.testing.assert_array_equal(a.local_rank, b.local_rank)
    np.testing.assert_array_equal(a.recovered, b.recovered)
    assert a.transition == b.transition == 6
    other = recovery_experiment((3, 2, 1), [4, 6], seed=4, cache=False)
    assert abs(other.best_error[0] - a.best_error[0]) > 1e-3     # the seed does matter
    calls = []
    c = recovery_experiment((3, 2, 1), [4, 6], seed=3, cache_dir=tmp_path,
                            progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)
    assert recovery_experiment((3, 2, 1), [4, 6], seed=3, cache_dir=tmp_path) is c
    assert len(list(tmp_path.glob("recovery/*/*.json"))) == 1
    sc._recovery.cache_clear()   # forget the memory: the disk must answer now
    monkeypatch.setattr(sc, "fit_student", lambda *a, **k: pytest.fail("not read from disk"))
    d = recovery_experiment((3, 2, 1), [4, 6], seed=3, cache_dir=tmp_path)
    np.testing.assert_array_equal(c.best_error, d.best_error)
    np.testing.assert_array_equal(c.local_rank, d.local_rank)
    assert d.restart_errors == c.restart_errors and d.transition == c.transition


def test_repr_states_method_seed_and_tolerances():
    r = recovery_experiment((3, 2, 1), [6], seed=2, cache=False)
    text = repr(r)
    for fragment in ("LM least squares", "seed = 2", "1e-20", "1e-06", "dimension 5",
                     "recovered from N = 6"):
        assert fragment in text
    assert "seed = 2" in r._repr_html_()
    assert r.to_dict()["sample_sizes"] == [6]


def test_bad_arguments():
    with pytest.raises(ValueError, match="restarts"):
        recovery_experiment((3, 2, 1), [3], restarts=0, cache=False)
    with pytest.raises(ValueError, match="sample sizes"):
        recovery_experiment((3, 2, 1), [0, 3], cache=False)
    with pytest.raises(ValueError, match="method"):
        recovery_experiment((3, 2, 1), [3], method="sgd", cache=False)
    with pytest.raises(ValueError):
        local_rank((3, 2, 1), -1)


# ----------------------------------------------------------------------------------
# N = dim: the interpolants are finitely many, as many as the degree over C
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1])
def test_interpolants_at_dimension_are_the_students_at_n_equals_dim(seed):
    """The students that fit N = dim samples are exactly the real interpolants found by
    slicing V with the line of interpolating polynomials (degree 3 for (3, 2, 1), z^2)."""
    exact = sc.interpolants_at_dimension((3, 2, 1), 2, seed=seed)
    assert (exact.n_samples, exact.degree) == (5, 3)
    assert exact.n_real in (1, 3)                      # complex roots come in pairs
    assert exact.errors[exact.teacher_index] < 1e-8
    students = recovery_experiment((3, 2, 1), [5], restarts=16, stop_after=16, seed=seed,
                                   cache=False)
    losses, errors = map(np.array, (students.restart_losses[0], students.restart_errors[0]))
    found = errors[losses < 1e-20]
    assert found.size >= 5
    for e in found:  # every interpolating student is one of the exact real interpolants
        assert np.min(np.abs(exact.real_errors - e)) < 1e-6 * max(1.0, e)


def test_interpolants_need_a_hypersurface():
    with pytest.raises(ValueError, match="hypersurface"):
        sc.interpolants_at_dimension((3, 3, 1), 2)
    with pytest.raises(ValueError, match="one output"):
        sc.interpolants_at_dimension((2, 2, 2), 2)
