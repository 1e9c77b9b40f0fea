"""Every public function of the package documents itself with a runnable example."""

import importlib
import inspect
import pkgutil

import pytest

import nagviz


def _public_functions():
    seen = set()
    for info in pkgutil.walk_packages(nagviz.__path__, "nagviz."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__ and obj not in seen:
                seen.add(obj)
                yield f"{module.__name__}.{name}", obj


@pytest.mark.parametrize("name, func", list(_public_functions()), ids=lambda x: x if isinstance(x, str) else "")
def test_public_function_has_doctest_example(name, func):
    doc = inspect.getdoc(func) or ""
    assert "Examples" in doc and ">>>" in doc, f"{name} needs an 'Examples' section with a doctest"
