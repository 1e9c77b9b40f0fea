"""The shipped table of dimensions (nagviz.sweeps.shipped_dimension): what a fresh run computes."""

from __future__ import annotations

import json

import pytest

from nagviz import sweeps
from nagviz.architecture import Architecture


def test_every_record_is_what_the_engine_computes(monkeypatch):
    """All 1,300-odd records, recomputed exactly (ranks modulo a prime at seeded points)."""
    table = sweeps._table()
    assert len(table) > 1000
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    for key, record in table.items():
        arch, seed, trials = json.loads(key)[0], *json.loads(key)[1:]
        result = sweeps._from_record(record)
        assert sweeps._table_key(result.architecture, seed, trials) == key
        fresh = sweeps.cached_dimension(result.architecture, seed=seed, trials=trials,
                                        cache_dir=False)
        assert sweeps._to_record(fresh) == record, key


def test_notebook_02s_explorers_compute_nothing(monkeypatch):
    from nagviz.explorers.dimension import prewarm

    def refuse(*args, **kwargs):
        raise AssertionError(f"computed although shipped: {args[0]!r}")

    monkeypatch.setattr(sweeps, "_dimension", refuse)
    assert prewarm(parts=("atlas", "thresholds"), families=None, cache_dir=False) > 1000


def test_the_table_can_be_switched_off_and_refuses_bad_records(monkeypatch):
    arch = Architecture((3, 5, 1), 4)
    assert sweeps.shipped_dimension(arch).dimension == 14
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    assert sweeps.shipped_dimension(arch) is None
    monkeypatch.delenv("NAGVIZ_NO_SHIPPED")
    key = sweeps._table_key(arch, 0, 2)
    bad = dict(sweeps._table()[key], dimension=999)
    monkeypatch.setattr(sweeps, "_table", lambda: {key: bad})
    sweeps._shipped.cache_clear()
    assert sweeps.shipped_dimension(arch) is None                       # fails validation
    assert sweeps.cached_dimension(arch, cache_dir=False).dimension == 14  # computed instead
    sweeps._shipped.cache_clear()
