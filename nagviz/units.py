"""Hidden units: the neurons (or filter entries) whose removal gives a subnetwork.

A hidden *unit* (:class:`Unit`) is a neuron of an MLP (its incoming row, bias and
outgoing column) or one entry of a CNN filter; :func:`hidden_units` lists them with
their flat parameter indices. Setting a unit's parameters to zero gives a
*subnetwork*, the singular points of notebook 05.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._architectures import _coerce
from .architecture import Architecture  # noqa: F401  (the Examples use it)
from .cnn import CNNArchitecture

__all__ = [
    "Unit",
    "hidden_units",
]


@dataclass(frozen=True)
class Unit:
    """A hidden unit whose removal gives a subnetwork.

    Attributes
    ----------
    kind : str
        ``"neuron"`` (an MLP neuron) or ``"tap"`` (one entry of a CNN filter).
    layer : int
        1-based layer of the neuron, or 1-based filter index.
    index : int
        0-based index of the neuron in its layer, or of the entry in its filter.
    incoming, outgoing : tuple of int
        Flat parameter indices of the incoming weights (and bias) and outgoing weights.
        For a filter entry, ``incoming`` is the entry itself and ``outgoing`` is empty.
    """

    kind: str
    layer: int
    index: int
    incoming: tuple
    outgoing: tuple

    @property
    def parameters(self) -> tuple:
        """All flat parameter indices of the unit."""
        return self.incoming + self.outgoing

    @property
    def label(self) -> str:
        if self.kind == "neuron":
            return f"neuron {self.index + 1} of hidden layer {self.layer}"
        return f"entry {self.index} of filter {self.layer}"

    def __repr__(self) -> str:
        return f"Unit({self.label})"


def hidden_units(arch) -> tuple:
    """The hidden units of a network: MLP neurons or CNN filter entries.

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
    arch = _coerce(arch)
    if isinstance(arch, CNNArchitecture):
        out, pos = [], 0
        for i, k in enumerate(arch.filter_sizes):
            for m in range(k):
                out.append(Unit("tap", i + 1, m, (pos + m,), ()))
            pos += k
        return tuple(out)
    offsets, pos = [], 0
    for rows, cols in arch.layer_shapes:
        offsets.append(pos)
        pos += rows * cols + (rows if arch.bias else 0)
    units = []
    for layer in range(1, arch.depth):
        rows, cols = arch.layer_shapes[layer - 1]
        nrows, ncols = arch.layer_shapes[layer]
        for j in range(rows):
            inc = tuple(offsets[layer - 1] + j * cols + c for c in range(cols))
            if arch.bias:
                inc += (offsets[layer - 1] + rows * cols + j,)
            out = tuple(offsets[layer] + k * ncols + j for k in range(nrows))
            units.append(Unit("neuron", layer, j, inc, out))
    return tuple(units)
