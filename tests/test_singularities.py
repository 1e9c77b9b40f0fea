"""nagviz.singularities gathers the public names of the modules of notebook 05.

The mathematics is tested where it lives: test_tangent_space, test_voronoi,
test_loss_landscape, test_critical_versus_best, test_neurovariety_221, test_rank_one_trap.
"""

import importlib

import pytest

import nagviz.singularities as facade

HOMES = ("tangent_space", "voronoi", "loss_landscape", "critical_versus_best",
         "neurovariety_221", "rank_one_trap", "singular_versus_critical")


def test_every_public_name_is_the_object_of_its_home_module():
    homes = [importlib.import_module(f"nagviz.{m}") for m in HOMES]
    for name in facade.__all__:
        owners = [m for m in homes if name in m.__all__]
        assert len(owners) == 1, f"{name} is exported by {len(owners)} modules"
        assert getattr(facade, name) is getattr(owners[0], name)


def test_the_facade_exports_every_public_name_of_its_modules():
    exported = set(facade.__all__)
    for m in HOMES:
        missing = set(importlib.import_module(f"nagviz.{m}").__all__) - exported
        assert not missing, f"nagviz.{m} names missing from nagviz.singularities: {missing}"


@pytest.mark.parametrize("module", HOMES)
def test_the_facade_docstring_names_each_module(module):
    assert f":mod:`nagviz.{module}`" in facade.__doc__
