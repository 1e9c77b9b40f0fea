"""Hidden units: the neurons (or filter entries) whose removal gives a subnetwork.

A hidden *unit* (:class:`Unit`) is a neuron of an MLP (its incoming row, bias and
outgoing column) or one entry of a CNN filter; :func:`hidden_units` lists them with
their flat parameter indices. Setting a unit's parameters to zero gives a
*subnetwork*, the singular points of notebook 05. Each family says what its units are
(:meth:`nagviz.model.Model.hidden_units`); this module is the front door.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from .architecture import Architecture  # noqa: F401  (the Examples use it)
from .cnn import CNNArchitecture  # noqa: F401  (the Examples use it)
from .model import Unit, as_model

__all__ = [
    "Unit",
    "hidden_units",
]


def hidden_units(model) -> tuple:
    """The hidden units of a network: MLP neurons, CNN filter entries, ...

    Examples
    --------
    >>> units = hidden_units(Architecture((2, 2, 1), 2))
    >>> units
    (Unit(neuron 1 of hidden layer 1), Unit(neuron 2 of hidden layer 1))
    >>> units[1].incoming, units[1].outgoing      # W1[1, :] and W2[:, 1]
    ((2, 3), (5,))
    >>> len(hidden_units(CNNArchitecture((3, 2), 2)))
    5
    """
    return as_model(model).hidden_units()
