"""nagviz.training gathers the public names of the training modules.

The mathematics is tested where it lives: test_models, test_inner_products,
test_optimization, test_best_approximation, test_subnetwork_experiment.
"""

import importlib

import nagviz.training as facade

HOMES = ("units", "inner_products", "optimization", "best_approximation",
         "subnetwork_experiment")
CONSTANTS = ("DIVERGENCE_NORM", "ESCAPE_NORM", "DIVERGENCE_LOSS")


def test_every_public_name_is_the_object_of_its_home_module():
    homes = [importlib.import_module(f"nagviz.{m}") for m in HOMES]
    for name in facade.__all__:
        if name in CONSTANTS:
            continue
        owners = [m for m in homes if name in m.__all__]
        assert len(owners) == 1, f"{name} is exported by {len(owners)} modules"
        assert getattr(facade, name) is getattr(owners[0], name)
        assert f":mod:`nagviz.{owners[0].__name__.rsplit('.', 1)[-1]}`" in facade.__doc__


def test_the_facade_exports_the_public_names_notebooks_use():
    exported = set(facade.__all__)
    for m in HOMES:
        module = importlib.import_module(f"nagviz.{m}")
        missing = set(module.__all__) - exported
        assert not missing, f"nagviz.{m} names missing from nagviz.training: {missing}"
    assert (facade.ESCAPE_NORM, facade.DIVERGENCE_NORM, facade.DIVERGENCE_LOSS) == (30.0, 1e6, 1e6)
