"""Notebook 02's shipped recovery experiments: what they hold is what a fresh run computes."""

from __future__ import annotations

import numpy as np
import pytest

from nagviz import shipped_recovery as sr
from nagviz.explorers.dimension import RECOVERY_PRESETS, RECOVERY_SEED
from nagviz.sample_complexity import recovery_experiment


def test_every_explorer_preset_is_shipped():
    assert RECOVERY_SEED == 0
    assert {(p.widths, p.r) for p in RECOVERY_PRESETS.values()} == set(sr.PRESETS)
    for p in RECOVERY_PRESETS.values():
        assert p.sample_sizes == sr.preset_sample_sizes(p.widths, p.r)
    assert len(sr.load()["records"]) == len(sr.PRESETS) + len(sr.ALL_RESTARTS) == 5


def test_the_explorer_answers_from_the_file(monkeypatch):
    from nagviz import sample_complexity

    def refuse(*args, **kwargs):
        raise AssertionError("computed although shipped")

    monkeypatch.setattr(sample_complexity._recovery, "uncached", refuse)
    for p in RECOVERY_PRESETS.values():
        r = recovery_experiment(p.widths, p.sample_sizes, p.r, cache_dir=False)
        assert r.sample_sizes == p.sample_sizes and r.seed == 0
    from nagviz.explorers.degree import interpolants_data

    d = interpolants_data((3, 2, 1), 2, seed=0, restarts=24, cache_dir=False)  # the figure's
    assert [g["N"] for g in d["groups"]] == [4, 5, 6]
    assert [len(g["errors"]) + g["failed"] for g in d["groups"]] == [24, 24, 24]


def test_other_settings_and_no_shipped_compute(monkeypatch):
    p = next(iter(RECOVERY_PRESETS.values()))
    assert sr.lookup((None,)) is None
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    args = sr.load()["records"]
    assert args and sr.lookup(("anything",)) is None
    r = recovery_experiment(p.widths, p.sample_sizes[:3], p.r, cache=False)
    assert r.sample_sizes == (1, 2, 3)


def _pattern(r):
    """What the geometry of notebook 02, section 6, fixes about a recovery run."""
    dim, sizes = r.dimension, np.array(r.sample_sizes)
    return dict(ranks=r.local_rank.tolist() == [min(n, dim) for n in r.sample_sizes],
                below=not r.recovered[sizes < dim].any(),       # a continuum fits: never
                above=bool(r.recovered[sizes > dim].all()),     # only the teacher fits
                transition=r.transition in (dim, dim + 1),
                fills_at_dim=(r.transition == dim) if dim == r.ambient_dimension else True)


CALLS = [(w, r, sr.preset_sample_sizes(w, r), {}) for w, r in sr.PRESETS] + \
    [(w, r, sizes, dict(restarts=k, stop_after=k)) for w, r, sizes, k in sr.ALL_RESTARTS]


@pytest.mark.parametrize("widths, r, sizes, settings", CALLS)
def test_a_fresh_run_agrees_with_the_shipped_result(widths, r, sizes, settings, monkeypatch):
    """Same exact quantities; the same theorem-backed pattern. Not bit for bit: at
    N = dim V the kept student is one of finitely many candidates, and which one a
    restart reaches can change with round-off (recovery_experiment's Notes), e.g.
    (5, 2, 1) z^3 is recovered from N = 10 in one process and 11 in another."""
    shipped = recovery_experiment(widths, sizes, r, cache_dir=False, **settings)
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    fresh = recovery_experiment(widths, sizes, r, cache=False, **settings)
    assert (fresh.dimension, fresh.parameters, fresh.ambient_dimension) == \
        (shipped.dimension, shipped.parameters, shipped.ambient_dimension)
    assert fresh.local_rank.tolist() == shipped.local_rank.tolist()
    assert _pattern(fresh) == _pattern(shipped) == dict.fromkeys(_pattern(fresh), True)
    # above dim V both recover the teacher, to round-off
    above = np.array(sizes) > fresh.dimension
    assert (fresh.best_error[above] < 1e-6).all() and (shipped.best_error[above] < 1e-6).all()
