"""Explorer of notebook 05's linear networks: learning one singular value at a time.

:class:`LinearIncrementalExplorer` trains the linear network ``(4, 3, 4)`` against a
``4 x 4`` target with singular values ``(4, 2, 1, 1/2)`` from a small initialization (a
slider for its scale) and draws the singular values of ``W = W_2 W_1`` over training (log
step axis, the target's singular values dashed, the step at which each is learned marked)
and the loss against the losses of the saddles ``P_0, ..., P_3`` (the Eckart-Young critical
points). The mathematics is :mod:`nagviz.linear_networks`; this module only draws.
"""

from __future__ import annotations

import numpy as np

from ..linear_networks import SHALLOW_SCALING, saddle_points, target_matrix, train_linear
from ..theme import COLORS
from ._base import STYLE, Explorer, panel_title, plain_figure, title

__all__ = ["LinearIncrementalExplorer", "LINEAR_WIDTHS", "LINEAR_SINGULAR_VALUES",
           "LINEAR_INIT_SCALES"]

#: the network of the explorer and of notebook 05's experiment
LINEAR_WIDTHS = SHALLOW_SCALING["widths"]
#: the target's singular values: the last one cannot be learned (bottleneck of width 3)
LINEAR_SINGULAR_VALUES = SHALLOW_SCALING["singular_values"]
#: the init scales of the slider
LINEAR_INIT_SCALES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6)
_MODE_COLORS = (COLORS["manifold"], COLORS["singular"], COLORS["data"], COLORS["teacher"])
_MAX_STEPS = 700


class LinearIncrementalExplorer(Explorer):
    """Singular values of a linear network over training, for a chosen init scale.

    Examples
    --------
    >>> d = LinearIncrementalExplorer().compute(init_scale=1e-4, seed=0)
    >>> d["learn_steps"], [round(v, 3) for v in d["saddle_losses"]]
    ([55, 108, 193], [10.625, 2.625, 0.625, 0.125])
    """

    title = "Learning one singular value at a time"
    question = ("the target has singular values 4, 2, 1 and 1/2 and the network can reach rank "
                "3. Does it learn them together or one after the other, and what happens to "
                "the waiting times when the initialization is 10 times smaller?")
    static_control = "init_scale"
    static_values = LINEAR_INIT_SCALES

    def make_controls(self):
        import ipywidgets as w

        return {
            "init_scale": w.SelectionSlider(
                options=[(f"{v:.0e}", v) for v in LINEAR_INIT_SCALES], value=1e-4,
                description="init scale ε", style=STYLE),
            "seed": w.IntSlider(value=0, min=0, max=9, description="seed", style=STYLE),
        }

    def defaults(self):
        return dict(init_scale=1e-4, seed=0)

    def compute(self, init_scale, seed):
        run = train_linear(LINEAR_WIDTHS, LINEAR_SINGULAR_VALUES, init_scale=float(init_scale),
                           n_runs=1, seed=int(seed), max_steps=_MAX_STEPS)
        T = target_matrix(LINEAR_SINGULAR_VALUES, seed=0)
        saddles = saddle_points(T, run.k)
        return dict(init_scale=float(init_scale), seed=int(seed),
                    steps=run.record_steps + 1, singular_values=run.trajectory[0],
                    loss=run.loss[0], learn_steps=[int(v) for v in run.learn_steps[0]],
                    target=list(LINEAR_SINGULAR_VALUES),
                    saddle_losses=[float(0.5 * np.sum((T - P) ** 2)) for P in saddles],
                    final_distance=float(run.final_distance[0]))

    def figure(self, data):
        x = np.asarray(data["steps"], dtype=float).tolist()
        sv, loss = data["singular_values"], np.asarray(data["loss"])
        traces = []
        for i, s in enumerate(data["target"]):
            traces.append(dict(type="scatter", x=[1, _MAX_STEPS + 1], y=[s, s], mode="lines",
                               showlegend=i == 0, name="target sᵢ (dashed)",
                               line=dict(color=_MODE_COLORS[i], dash="dash", width=1.5),
                               hoverinfo="skip"))
        for i in range(sv.shape[1]):
            traces.append(dict(type="scatter", x=x, y=np.round(sv[:, i], 5).tolist(),
                               mode="lines", name=f"s{i + 1}(W)",
                               line=dict(color=_MODE_COLORS[i], width=3)))
        learned = [s for s in data["learn_steps"] if s >= 0]
        traces.append(dict(type="scatter", x=[s + 1 for s in learned],
                           y=[data["target"][i] / 2 for i in range(len(learned))],
                           mode="markers", name="learned: sᵢ(W) = sᵢ/2",
                           marker=dict(size=11, color="black", symbol="diamond")))
        for i, value in enumerate(data["saddle_losses"]):
            traces.append(dict(type="scatter", x=[1, _MAX_STEPS + 1], y=[value, value],
                               mode="lines", xaxis="x2", yaxis="y2", showlegend=False,
                               name=f"loss at P_{i}",
                               line=dict(color=COLORS["neutral"], dash="dot", width=1.5),
                               hoverinfo="skip"))
        traces.append(dict(type="scatter", x=x, y=np.round(loss, 6).tolist(), mode="lines",
                           xaxis="x2", yaxis="y2", name="loss", showlegend=False,
                           line=dict(color=COLORS["path"], width=3)))
        xrange = [0, float(np.log10(_MAX_STEPS + 1))]
        return plain_figure(
            traces,
            title=title(f"init scale ε = {data['init_scale']:.0e}, seed {data['seed']}: "
                        f"modes learned at steps {data['learn_steps']}"),
            xaxis=dict(domain=[0, 0.46], type="log", range=xrange, dtick=1,
                       title=title("gradient step + 1")),
            yaxis=dict(range=[0, 4.4], title=title("singular values of W = W₂W₁")),
            xaxis2=dict(domain=[0.58, 1], type="log", range=xrange, anchor="y2", dtick=1,
                        title=title("gradient step + 1")),
            yaxis2=dict(type="log", range=[-1.3, 1.2], anchor="x2", dtick=1,
                        title=title("loss")),
            annotations=[panel_title("singular values sᵢ(W)", 0.23),
                         panel_title("loss ½‖W − T‖²; dotted: at P₀, P₁, P₂, P₃", 0.79)],
            # above the panels: inside, it hid the first mode's rise
            legend=dict(orientation="h", x=0, y=1.1, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=70, r=20, t=140, b=70), height=600)

    def info(self, data):
        return ("The network $(4, 3, 4)$ reaches rank $\\le 3$: it learns $s_1 = 4$, $s_2 = 2$, "
                "$s_3 = 1$ one after the other and never $s_4 = 1/2$, ending at the "
                "Eckart–Young best fit $P_3$ (distance "
                f"{data['final_distance']:.1e} after the last step). Each dotted level is the "
                "loss at a saddle $P_i$; each plateau of the loss sits on one of them.")
