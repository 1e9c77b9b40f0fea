"""Notebook 05's shipped results: a fixed subset of runs reproduces them, every count recounts.

The package carries the per-run records of notebook 05's long experiments
(:mod:`nagviz.shipped`). These tests train a fixed subset of the runs of every experiment
again, alone, and check that they reproduce the shipped records (labels and flags
exactly, losses to a relative 1e-9); and they count every statistic the notebook prints
again from the records, with code of their own.
"""

from __future__ import annotations

import base64
import collections
import gzip
import json

import numpy as np
import pytest

from nagviz import shipped
from nagviz.experiments import (CONTRAST_RUNS, CONTRAST_SEEDS, DISTRIBUTIONS, EXPERIMENTS,
                                TRAP_INIT_SCALES, TRAP_LEARNING_RATES, TRAP_POPULATION,
                                TRAP_RUNS, TRAP_STEPS, critical_versus_best_view,
                                critical_view_computed, trap_fractions, trap_state,
                                trap_targets, training_contrast)
from nagviz.linear_networks import (DEEP_SCALING, SHALLOW_SCALING, plateau_scaling,
                                    plateau_scaling_runs)
from nagviz.rank_one_trap import rank_one_trap_experiment, trap_runs_again
from nagviz.statistics import wilson_interval

FLAGS = ("stuck", "stuck_zero", "at_subnetwork", "above_best", "diverged", "at_infinity",
         "converged", "best_at_infinity")
FLOATS = ("final_loss", "best_loss", "gradient_norm")


def _wilson_by_roots(k, n, z=1.959964):
    """The Wilson interval a second way: the roots p of (k/n - p)^2 = z^2 p (1 - p) / n."""
    phat = k / n
    roots = np.sort(np.roots([1 + z * z / n, -(2 * phat + z * z / n), phat * phat]).real)
    return (0.0 if k == 0 else roots[0], 1.0 if k == n else roots[1])


def _fixed_runs(stuck, zero, total, n=20):
    """20 runs: the first three stuck at a proper subnetwork, the first three stuck at the
    zero function, and random ones (a fixed seed) for the rest."""
    stuck, zero = np.asarray(stuck), np.asarray(zero)
    picked = (np.nonzero(stuck & ~zero)[0][:3].tolist() + np.nonzero(zero)[0][:3].tolist())
    rest = [int(i) for i in np.random.default_rng(15).permutation(total) if i not in picked]
    return sorted(picked + rest[:n - len(picked)])


# --------------------------------------------------------------------------- the files

def test_every_shipped_file_is_there_small_and_says_how_it_was_made():
    total = 0
    for name in shipped.SHIPPED:
        d = shipped.load(name)
        assert d["format"] == shipped.FORMAT and d["name"] == name
        assert d["command"] == f"python -m nagviz.shipped --regenerate {name}"
        assert "regenerate" in shipped.describe(name)
    for path in shipped.DATA_DIRECTORY.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
    assert total < 5e6, f"shipped data is {total / 1e6:.1f} MB"
    states = list((shipped.DATA_DIRECTORY / "trap_states").glob("*.json.gz"))
    assert len(states) == len(TRAP_INIT_SCALES) * len(TRAP_LEARNING_RATES)
    assert max(p.stat().st_size for p in states) < 200_000


def test_bad_names_and_broken_files_give_one_line_errors(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="unknown shipped result 'nope'"):
        shipped.load("nope")
    monkeypatch.setattr(shipped, "DATA_DIRECTORY", tmp_path)
    (tmp_path / "contrast.json").write_text("{not json")
    shipped.load.cache_clear()
    try:
        with pytest.raises(shipped.ShippedDataError, match="--regenerate contrast"):
            shipped.load("contrast")
    finally:
        shipped.load.cache_clear()


def test_shipped_results_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    assert not shipped.enabled()
    assert shipped.contrast_results() is None and shipped.critical_view("Euclidean") is None
    assert shipped.trap_fraction_results(1.0) is None
    assert shipped.shipped_trap_state(1.0, 0.01) is None


# --------------------------------------------------------------------------- MLP versus CNN

@pytest.mark.parametrize("label", list(EXPERIMENTS))
def test_contrast_runs_trained_again_reproduce_the_shipped_records(label):
    rec = shipped.load("contrast")["records"][label]["runs"]
    runs = _fixed_runs(rec["stuck"], rec["stuck_zero"], len(rec["stuck"]))
    again = shipped.contrast_again(label, runs)
    for k in FLAGS:
        assert again[k].tolist() == [rec[k][i] for i in runs], k
    for k in ("plateau_steps", "plateau_steps_near_subnetwork"):
        assert again[k].tolist() == [rec[k][i] for i in runs], k
    for k in FLOATS:
        assert np.allclose(again[k], [rec[k][i] for i in runs], rtol=1e-9, atol=1e-15), k


def test_contrast_counts_recounted_from_the_records():
    results = training_contrast()
    assert results is shipped.contrast_results()
    for label, r in results.items():
        rec = shipped.load("contrast")["records"][label]["runs"]
        final, best = np.array(rec["final_loss"]), np.array(rec["best_loss"])
        diverged = np.array(rec["diverged"])
        above = final > best * (1 + 1e-3) + 1e-9
        stuck = np.array(rec["at_subnetwork"]) & above & ~diverged
        zero = stuck & np.array(rec["stuck_zero"])
        assert np.array_equal(stuck, r.stuck) and np.array_equal(above, r.above_best)
        k, n, kp = int(stuck.sum()), int((~diverged).sum()), int((stuck & ~zero).sum())
        assert (k, n, kp) == (r.n_stuck, r.n_valid, r.n_stuck_proper)
        assert np.allclose(r.interval, _wilson_by_roots(k, n), atol=1e-9)
        assert np.allclose(r.interval_proper, _wilson_by_roots(kp, n), atol=1e-9)
        seed = np.array(rec["seed_of_run"])
        assert [(s, int((stuck & (seed == s)).sum()), int((~diverged & (seed == s)).sum()))
                for s in CONTRAST_SEEDS] == [row[:3] for row in r.seed_counts()]
        converged = (np.array(rec["gradient_norm"]) < 1e-6) & ~diverged
        assert np.array_equal(converged, r.converged)
        assert int(np.sum(rec["best_at_infinity"])) == int(r.best_at_infinity.sum())
        assert r.n_runs == CONTRAST_RUNS and r.seeds == CONTRAST_SEEDS
        assert len(rec["stuck"]) == CONTRAST_RUNS * len(CONTRAST_SEEDS)


def test_contrast_statements_of_the_notebook():
    r = training_contrast()
    mlp, lm, cnn = (r["MLP, gradient descent"], r["MLP, Levenberg–Marquardt"],
                    r["CNN, gradient descent"])
    # any subnetwork: the intervals overlap; a proper subnetwork: they do not
    assert mlp.interval[0] < cnn.interval[1] and cnn.interval[0] < mlp.interval[1]
    assert mlp.interval_proper[0] > cnn.interval_proper[1]
    assert cnn.n_stuck_proper == 0 and lm.n_stuck == 0 and cnn.n_stuck == int(cnn.stuck_zero.sum())
    assert int(mlp.converged.sum()) < 0.05 * mlp.n_valid
    assert int(mlp.best_at_infinity.sum()) > 0.2 * mlp.best_at_infinity.size


def test_the_example_trajectory_is_a_stuck_run():
    mlp = training_contrast()["MLP, gradient descent"]
    i = mlp.example["run"]
    assert mlp.stuck[i] and not mlp.stuck_zero[i]
    assert np.isclose(mlp.example["loss"][-1], mlp.final_loss[i], rtol=1e-9)


# --------------------------------------------------------------------------- trapped fractions

@pytest.mark.parametrize("key", list(shipped.TRAP_CONFIGS))
def test_trap_runs_trained_again_reproduce_the_shipped_records(key):
    rec = shipped.load("trap_fractions")["records"][key]["runs"]
    outcome = np.array(rec["outcome"])
    trapped = np.isin(outcome, ("one neuron off", "parallel neurons", "zero function"))
    runs = _fixed_runs(trapped & ~np.array(rec["one_nappe"]), np.array(rec["one_nappe"]),
                       outcome.size)
    for seed in sorted({rec["seed"][i] for i in runs}):
        mine = [i for i in runs if rec["seed"][i] == seed]
        again = shipped.trap_fractions_again(key, seed, [i % 200 for i in mine])
        for k in ("outcome", "sign_locked", "one_nappe", "in_polar_cone", "is_projection"):
            assert again[k] == [rec[k][i] for i in mine], k
        for k in ("gradient_norm", "relative_loss"):
            assert np.allclose(again[k], [rec[k][i] for i in mine], rtol=1e-9, atol=1e-15), k


@pytest.mark.parametrize("init_scale, method", [(1.0, "gd"), (0.1, "gd"), (1.0, "lm")])
def test_trap_statistics_recounted_from_the_records(init_scale, method):
    st = trap_fractions(init_scale, method)
    key = next(k for k, c in shipped.TRAP_CONFIGS.items() if c == (method, init_scale))
    rec = shipped.load("trap_fractions")["records"][key]["runs"]
    counts = collections.Counter(zip(rec["seed"], rec["outcome"]))
    for s, k, n, lo, hi in st.seed_intervals():
        trapped = sum(counts[(s, o)] for o in ("one neuron off", "parallel neurons",
                                               "zero function"))
        valid = sum(v for (seed, o), v in counts.items() if seed == s and o != "diverged")
        assert (k, n) == (trapped, valid)
        assert np.allclose((lo, hi), _wilson_by_roots(k, n), atol=1e-9)
    assert np.allclose(st.interval, wilson_interval(st.n_trapped, st.n_valid))
    assert sum(st.one_nappe) == sum(rec["one_nappe"])
    assert sum(st.in_polar_cone) == sum(rec["in_polar_cone"])
    assert sum(st.projection) == sum(rec["is_projection"])
    assert sum(st.sign_locked) == sum(rec["sign_locked"])
    assert sum(st.sign_locked_trapped) == sum(
        a and o in ("one neuron off", "parallel neurons", "zero function")
        for a, o in zip(rec["sign_locked"], rec["outcome"]))
    assert sum(st.converged) == sum(g < 1e-6 and o != "diverged"
                                    for g, o in zip(rec["gradient_norm"], rec["outcome"]))


def test_trap_statistics_at_init_scale_one_equal_the_runs_computed_here():
    """All 600 gradient-descent runs at init scale 1, computed again (about ten seconds)."""
    st = trap_fractions(1.0)
    parts = [rank_one_trap_experiment(200, 1.0, 0.01, 5000, seed=s) for s in st.seeds]
    assert tuple(int(p.trapped.sum()) for p in parts) == st.trapped
    assert tuple(p.nappe_check()["n_in_polar_cone"] for p in parts) == st.in_polar_cone


# --------------------------------------------------------------------------- explorer states

@pytest.mark.parametrize("init_scale, lr, target", [(1.0, 0.01, 3), (0.1, 0.04, 15)])
def test_explorer_states_reproduced_by_runs_trained_again(init_scale, lr, target):
    compact = shipped.shipped_trap_state(init_scale, lr)
    assert compact is not None
    runs = rank_one_trap_experiment(TRAP_RUNS, init_scale, lr, TRAP_STEPS, seed=target,
                                    targets=trap_targets()[target])
    population = trap_runs_again(list(range(0, TRAP_POPULATION, 10)), TRAP_POPULATION,
                                 init_scale, lr, TRAP_STEPS, seed=0)
    again = shipped.encode_trap_state(init_scale, lr, [runs, population])
    assert again["steps"] == compact["steps"]
    mine, theirs = again["runs"][0], compact["runs"][target]
    for key in theirs:
        if key in ("eigen", "out_start", "out_end", "conserved", "relative_loss"):
            assert np.allclose(np.array(mine[key], float), np.array(theirs[key], float),
                               rtol=1e-9, atol=1e-9, equal_nan=True), key
        else:                      # integer codes, base64: the same bytes
            assert mine[key] == theirs[key], key
    assert again["population"]["outcomes"] == compact["population"]["outcomes"][::10]
    assert again["population"]["near"] == compact["population"]["near"][::10]


def test_explorer_state_counts_recounted_and_decoded_series():
    state = trap_state(1.0, 0.01)
    compact = shipped.shipped_trap_state(1.0, 0.01)
    pop = state["population"]
    counts = collections.Counter(compact["population"]["outcomes"])
    assert pop["counts"] == {k: counts.get(k, 0) for k in pop["counts"]}
    assert pop["n"] == TRAP_POPULATION == sum(counts.values())
    run = state["runs"][0]
    assert run["trajectories"].shape == (shipped.STATE_RECORDS, TRAP_RUNS, 3)
    assert run["loss"].shape == run["cone"].shape == (shipped.STATE_RECORDS, TRAP_RUNS)
    packed = compact["runs"][0]["loss"]     # decoded here by hand: a second way
    code = np.cumsum(np.frombuffer(base64.b64decode(packed["delta"]), dtype="<i4")
                     .reshape(packed["shape"]), axis=0).astype(float)
    ok = code > -1e6
    assert np.allclose(np.log10(run["loss"][ok]), code[ok] / 100)
    path = shipped.trap_state_file(1.0, 0.01)
    assert json.loads(gzip.decompress(path.read_bytes()))["state"] == compact


# --------------------------------------------------------------------------- critical vs best

def test_critical_versus_best_view_computed_again_equals_the_shipped_one():
    distribution = "Gaussian, σ = 2"
    view = critical_versus_best_view(distribution)
    assert view is shipped.critical_view(distribution)
    again = critical_view_computed.uncached(distribution)
    for key, value in view.items():
        if isinstance(value, float) or (isinstance(value, list) and value
                                        and isinstance(value[0], float)):
            assert np.allclose(again[key], value, rtol=1e-9, atol=1e-12), key
        else:
            assert again[key] == value, key
    assert sorted(shipped.load("critical_versus_best")["records"]) == sorted(DISTRIBUTIONS)
    assert view["critical"] == sum(view["is_critical"])
    assert view["infinity"] == sum(not f for f in view["finite"]) and view["best"] == 0


# --------------------------------------------------------------------------- linear networks

@pytest.mark.parametrize("settings, runs", [(SHALLOW_SCALING, [0, 7, 61, 118, 179]),
                                            (DEEP_SCALING, [0, 25, 59])])
def test_plateau_runs_trained_again_reproduce_the_shipped_ones(settings, runs):
    r = plateau_scaling(**settings)
    again = plateau_scaling_runs(runs, **settings)
    seed, j = np.divmod(runs, settings["n_runs"])
    assert np.array_equal(again["learn_steps"], r.learn_steps[seed, :, j])
    assert np.array_equal(again["saddle_steps"], r.saddle_steps[seed, :, j])
    # a batch stops once all its runs sit within delta/10 of the best fit, so the final
    # distance depends on the batch; what is reported (reached the best fit) does not
    tol = 0.1 * 0.1
    assert np.array_equal(again["final_distance"] < tol, r.final_distance[seed, :, j] < tol)


# --------------------------------------------------------------------------- the notebook's prose

def _notebook_prose():
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parent.parent / "notebooks"
                     / "05_singularities.ipynb").read_text())
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return " ".join(text.split())


def _pct(interval):
    return f"[{100 * interval[0]:.1f}%, {100 * interval[1]:.1f}%]"


def test_notebook_05_quotes_the_shipped_numbers():
    """Every count and interval notebook 05's prose quotes, built from the records."""
    text = _notebook_prose()
    r = training_contrast()
    mlp, lm, cnn = (r["MLP, gradient descent"], r["MLP, Levenberg–Marquardt"],
                    r["CNN, gradient descent"])
    quotes = [
        f"{mlp.n_stuck} of {mlp.n_valid} runs ({_pct(mlp.interval)})",
        f"{cnn.n_stuck} of {cnn.n_valid} ({_pct(cnn.interval)})",
        f"the MLP ends in {mlp.n_stuck_proper} runs ({_pct(mlp.interval_proper)})",
        f"the CNN in {cnn.n_stuck_proper} ({_pct(cnn.interval_proper)})",
        f"Levenberg–Marquardt ends at a subnetwork in {lm.n_stuck} of {lm.n_valid} runs",
        f"{int(mlp.converged.sum())} MLP runs, {int(cnn.converged.sum())} CNN runs",
        f"for {int(mlp.best_at_infinity.sum())} of the {mlp.best_at_infinity.size} targets",
        f"**zero function** ({cnn.n_stuck} of {int(cnn.stuck_zero.sum())})",
        f"proper subnetworks in {mlp.n_stuck_proper} of {mlp.n_valid} runs "
        f"({_pct(mlp.interval_proper)}) and the CNN in {cnn.n_stuck_proper} of {cnn.n_valid} "
        f"({_pct(cnn.interval_proper)})",
        f"proper subnetwork in {mlp.n_stuck_proper} of {mlp.n_valid} runs "
        f"({100 * mlp.n_stuck_proper / mlp.n_valid:.1f}%, 95% interval "
        f"{_pct(mlp.interval_proper)})",
    ]
    gd, small, lmq = trap_fractions(1.0), trap_fractions(0.1), trap_fractions(1.0, "lm")
    quotes += [
        f"{gd.n_trapped} of {gd.n_valid} gradient-descent runs "
        f"({100 * gd.fraction:.1f}%, 95% interval {_pct(gd.interval)[:-1]}",
        f"condemns {sum(gd.sign_locked)} runs from the start, and "
        f"{sum(gd.sign_locked_trapped)} of them are indeed trapped",
        f"dead neuron, {sum(gd.one_nappe)} of them",
        f"({sum(gd.in_polar_cone)} by the eigenvalues, {sum(gd.projection)} by projecting)",
        f"stops on the cone in {lmq.n_trapped} of {lmq.n_valid} runs ({_pct(lmq.interval)[:-1]}",
        f"escapes {sum(lmq.sign_locked) - sum(lmq.sign_locked_trapped)} of the "
        f"{sum(lmq.sign_locked)} runs",
        f"parallel neurons ({sum(lmq.parallel)} runs)",
        f"{sum(gd.parallel)} of them stop at **parallel neurons**",
        f"in {sum(gd.converged)} of {gd.n_runs * len(gd.seeds)} runs, Levenberg–Marquardt in "
        f"{sum(lmq.converged)}",
        f"{small.n_trapped} of {small.n_valid} runs stay on the cone ({_pct(small.interval)[:-1]}",
        f"{gd.n_trapped} of {gd.n_valid} runs (95% interval {_pct(gd.interval)})",
        f"{sum(gd.sign_locked_trapped)} of the {sum(gd.sign_locked)} runs",
    ]
    views = [critical_versus_best_view(d) for d in DISTRIBUTIONS]
    best = sum(v["best"] for v in views)
    n = sum(v["n"] for v in views)
    lo, hi = wilson_interval(best, n)
    quotes.append(f"0 of 40 for each distribution, {best} of {n} together (95% Wilson interval "
                  f"$[0, {100 * hi:.1f}\\%]$")
    assert all(v["best"] == 0 and v["n"] == 40 for v in views)
    crit, trap = [v["critical"] for v in views], [v["trap"] for v in views]
    quotes.append(f"critical for {min(crit)} to {max(crit)} of the 40 targets and a trap for "
                  f"{min(trap)} to {max(trap)}")
    missing = [q for q in quotes if q not in text]
    assert not missing, missing


# --------------------------------------------------------------------------- ReLU regions

def test_relu_region_counts_counted_again_for_a_sample_of_the_networks():
    from nagviz.relu import ReLUNetwork, grid_region_count, linear_regions

    st = shipped.RELU_REGIONS
    rng = np.random.default_rng(6)
    for depth in st["depths"]:
        table = shipped.relu_region_counts(depth, st["box"])
        assert table.shape == (len(st["widths"]), len(st["seeds"]))
        # every count lies between the grid's (a lower bound) and, for one layer, 1 + n + n(n-1)/2
        picks = [(9, 9)] + [tuple(rng.integers(0, 10, 2)) for _ in range(5)]
        for i, s in picks:
            net = ReLUNetwork.random((2,) + (st["widths"][i],) * depth + (1,), seed=st["seeds"][s])
            assert table[i, s] == linear_regions(net, st["box"]).count
            assert grid_region_count(net, st["box"], 300).count <= table[i, s]
        if depth == 1:
            n = np.array(st["widths"])[:, None]
            assert (table <= 1 + n + n * (n - 1) // 2).all()
    assert shipped.relu_region_counts(1, (-1, 1, -1, 1)) is None  # another box: not shipped
    assert shipped.relu_region_counts(4, st["box"]) is None


def test_relu_region_counts_switched_off(monkeypatch):
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    assert shipped.relu_region_counts(1, shipped.RELU_REGIONS["box"]) is None
