"""The general architecture explorer: widths and degree in, the four numbers out."""

from __future__ import annotations

import math
from ..cache import memoize

from ..architecture import Architecture
from ..jacobian_rank import ArchitectureTooLargeError, dimension
from ..parameterization import polynomials_latex
from ..theme import COLORS
from ._base import Explorer, plain_figure, title

__all__ = ["ArchitectureExplorer"]

_LATEX_MAX_CHARS = 900
_LOG_SCALE_RATIO = 20  # largest / smallest bar beyond which the axis turns logarithmic
_LIVE_WORK_LIMIT = 2 * 10**6  # about 50 ms: larger networks are refused while dragging


class ArchitectureExplorer(Explorer):
    """Sliders for input width, hidden width, depth, outputs and the degree ``r``.

    Shows the parameter count, the expected dimension, the exact dimension and the
    ambient dimension as bars, and the output polynomial in LaTeX when it is short.

    Examples
    --------
    >>> data = ArchitectureExplorer().compute(d0=2, width=1, hidden_layers=2, outputs=1, r=2)
    >>> data["widths"], data["parameters"], data["expected"], data["dimension"]
    ((2, 1, 1, 1), 4, 2, 2)
    """

    title = "How big is the function space?"
    question = ("with input width 3, one hidden layer of width 5 and r = 4, is the dimension "
                "of the neurovariety 15 (= the ambient dimension)?")
    static_control = "width"
    # the networks the notebooks ask about, reachable without a kernel: (3, 5, 1) and
    # (3, 6, 1) with r = 4 (notebook 00), (2, 1, 1), (2, 2, 2) and (3, 2, 1) with r = 2
    # (notebook 01)
    static_presets = tuple(
        dict(d0=d0, width=w, hidden_layers=1, outputs=out, r=r)
        for d0, w, out, r in ((3, 5, 1, 4), (3, 6, 1, 4), (2, 1, 1, 2), (2, 2, 2, 2), (3, 2, 1, 2)))

    def static_label(self, state):
        """The hidden width; a preset's label is its architecture, e.g. ``(3,5,1) r=4``."""
        others = {k: v for k, v in state.items() if k != "width"}
        if all(self.values.get(k) == v for k, v in others.items()):
            return str(state["width"])
        widths = (state["d0"],) + (state["width"],) * state["hidden_layers"] + (state["outputs"],)
        label = "(" + ",".join(map(str, widths)) + ")"
        return label if state["r"] == self.values["r"] else f"{label} r={state['r']}"

    def make_controls(self):
        import ipywidgets as w

        style = {"description_width": "initial"}
        return {
            "d0": w.IntSlider(value=3, min=1, max=6, description="input width d₀", style=style),
            "width": w.IntSlider(value=2, min=1, max=8, description="hidden width", style=style),
            "hidden_layers": w.IntSlider(value=1, min=0, max=3, description="hidden layers",
                                         style=style),
            "outputs": w.IntSlider(value=1, min=1, max=3, description="outputs d_L", style=style),
            "r": w.IntSlider(value=2, min=1, max=5, description="degree r (σ = zʳ)", style=style),
        }

    def defaults(self):
        return dict(d0=3, width=2, hidden_layers=1, outputs=1, r=2)

    def compute(self, d0, width, hidden_layers, outputs, r):
        widths = (d0,) + (width,) * hidden_layers + (outputs,)
        arch = Architecture(widths, r)
        out = dict(widths=widths, r=r, parameters=arch.n_parameters,
                   expected=arch.expected_dimension, ambient=arch.ambient_dimension,
                   hidden=arch.hidden_neurons, dimension=None, error=None, latex=None)
        try:
            res = dimension(arch, max_work=_LIVE_WORK_LIMIT)
            out["dimension"] = res.dimension
        except ArchitectureTooLargeError:
            out["error"] = ("too large to compute while you drag a slider; run "
                            f"nagviz.dimension({widths}, {r}) in a cell")
        if arch.depth == 2 and arch.ambient_dimension <= 12 and arch.n_parameters <= 12:
            out["latex"] = _short_latex(widths, r)
        return out

    def figure(self, data):
        names = ["parameters", "expected dimension", "dimension", "ambient dimension"]
        values = [data["parameters"], data["expected"], data["dimension"] or 0, data["ambient"]]
        colors = [COLORS["neutral"], COLORS["boundary"], COLORS["manifold"], COLORS["teacher"]]
        text = [str(v) for v in values]
        if data["dimension"] is None:
            text[2] = "?"
        bar = dict(type="bar", x=values, y=names, orientation="h", marker=dict(color=colors),
                   text=text, textposition="outside", cliponaxis=False,
                   hovertemplate="%{y}: %{x}<extra></extra>")
        defect = None if data["dimension"] is None else data["expected"] - data["dimension"]
        note = "" if not defect else f" (defect {defect})"
        positive = [v for v in values if v > 0] or [1]
        if max(positive) > _LOG_SCALE_RATIO * min(positive):
            # a deep or wide network: the ambient space dwarfs the rest, which a linear
            # axis would draw as slivers
            xaxis = dict(title=title("dimension (log scale)"), type="log", tickmode="linear", dtick=1,
                         range=[math.log10(min(positive) / 2), math.log10(max(positive) * 4)])
        else:
            xaxis = dict(title=title("dimension"), type="linear", tickmode="auto",
                         range=[0, 1.18 * max(positive)])
        return plain_figure(  # plain dicts: no plotly validation while a slider moves
            [bar], title=title(f"widths {data['widths']}, σ(z) = z<sup>{data['r']}</sup>{note}"),
            xaxis=xaxis, yaxis=dict(autorange="reversed"), height=380, margin=dict(l=200),
            showlegend=False)

    def info(self, data):
        if data["r"] == 1:
            k, (d0, dl) = min(data["widths"]), (data["widths"][0], data["widths"][-1])
            parts = [f"A linear network: {dl}×{d0} matrices of rank ≤ {k}, of dimension "
                     f"k(d₀ + d_L − k) = {data['expected']}; ambient {data['ambient']}."]
        else:
            h = data["hidden"]
            parts = [f"{data['parameters']} parameters − {h} rescaling{'' if h == 1 else 's'} of "
                     f"hidden neuron{'' if h == 1 else 's'} → expected {data['expected']}; "
                     f"ambient {data['ambient']}."]
        if data["error"]:
            parts.append(data["error"])
        if data["latex"]:
            lines = "<br>".join(f"$f_{{{j + 1}}}(x) = {t}$" for j, t in enumerate(data["latex"]))
            parts.append(lines)
        return "<br>".join(parts)


@memoize("explorers.short_latex", disk=True, maxsize=256,
         encode=lambda tex: None if tex is None else list(tex),
         decode=lambda tex: None if tex is None else tuple(tex))
def _short_latex(widths, r):
    """The symbolic output polynomials, or None when they are too long to read.

    On disk too: sympy takes 1-2 s to import and expand, which a notebook's second run
    (and a revisited slider state) skips."""
    tex = polynomials_latex(Architecture(widths, r))
    return tuple(tex) if sum(len(t) for t in tex) <= _LATEX_MAX_CHARS else None
