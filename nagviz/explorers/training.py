"""Explorers of notebook 05: training, critical points and where gradient descent stops.

* :class:`CriticalVersusBestExplorer` -- for the (2, 2, 1), ``z^3 + z^2`` network and a
  choice of data distribution: how often a subnetwork is critical, a trap, or the best
  fit (every distribution computed once and cached on disk);
* :class:`TrainingExplorer` -- gradient descent on the quadratic network (2, 2, 1), drawn
  in its 3-D function space, where the one-neuron networks form the cone ``b^2 = 4ac``
  (the slider states computed in batches and cached on disk; a state not yet computed
  shows a progress bar);
* plain figures: the gradient, Hessian and escape direction at a dead neuron
  (:func:`dead_neuron_figure` of :func:`nagviz.experiments.dead_neuron_data`), the
  MLP-versus-CNN training experiment with 95% intervals (:func:`experiment_figure`) and
  the unit that switched off in one run, with its loss (:func:`stuck_neuron_figure`).

Every number comes from :mod:`nagviz.experiments`; the explorers only arrange it.
Colours by role (:data:`nagviz.theme.COLORS`): singular points and subnetworks
vermillion, targets green, training paths purple, best fits orange, reference lines grey.

>>> from nagviz.explorers.training import CriticalVersusBestExplorer
>>> CriticalVersusBestExplorer().compute(distribution="Euclidean")["n"]
40
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..cache import memoize
from ..experiments import (CRITICAL_DISTRIBUTIONS_SHOWN, DISTRIBUTIONS, TRAP_DEFAULTS,
                           TRAP_INIT_SCALES, TRAP_INIT_SCALES_SHOWN, TRAP_LEARNING_RATES,
                           TRAP_RUNS, TRAP_STEPS, critical_versus_best_view, trap_state,
                           trap_states, trap_targets)
from ..rank_one_trap import cone_coordinates
from ..theme import COLORS
from ._base import (LOG_FLOOR, STYLE, KeepStaticTraces, ProgressExplorer,
                    log_floor, panel_title, plain_figure as _figure, title as _title)
from ._mesh import surface_mesh

__all__ = [
    "CriticalVersusBestExplorer",
    "TrainingExplorer",
    "dead_neuron_figure",
    "experiment_figure",
    "stuck_neuron_figure",
]


# --------------------------------------------------------------------------- live updates

_DATA_KEYS = ("x", "y", "z", "text", "name")


def _as_array(values):
    """Numbers as a float array (``None`` becomes NaN, a gap in a line): plotly copies an
    array at once where it checks a list element by element, and sends it as bytes."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return values  # categories


class _LiveUpdate(ProgressExplorer, KeepStaticTraces):
    """A slider move sets only the arrays, texts and ranges that change.

    ``_spec(data)`` returns the plain trace dicts and layout keywords of the figure;
    :meth:`figure` draws them, and :meth:`refresh` writes the new arrays (``x``, ``y``,
    ``z``, ``text``, ``name``) of every trace that is not static, the title, the
    annotation texts and the axis ranges into the live figure, without building and
    diffing a whole new figure (that alone took 300-600 ms per move).
    """

    def _spec(self, data):
        raise NotImplementedError

    def figure(self, data):
        traces, layout = self._spec(data)
        return _figure(traces, **layout)

    def refresh(self):
        start = time.perf_counter()
        data = self.data()
        fw = self.figure_widget
        if fw is None:
            self.last_update_seconds = time.perf_counter() - start
            return data
        traces, layout = self._spec(data)
        with fw.batch_update():
            for old, new in zip(fw.data, traces):
                meta = new.get("meta")
                if isinstance(meta, str) and meta.startswith("static:"):
                    continue
                for key in _DATA_KEYS:
                    if key in new:
                        old[key] = _as_array(new[key]) if key in "xyz" else new[key]
                if "error_x" in new:
                    old.error_x.array, old.error_x.arrayminus = (new["error_x"]["array"],
                                                                 new["error_x"]["arrayminus"])
            fw.layout.title.text = layout["title"]["text"]
            for ann, new in zip(fw.layout.annotations, layout.get("annotations", ())):
                ann.text = new["text"]
            for key, value in layout.items():
                if key[:5] in ("xaxis", "yaxis") and "range" in value:
                    fw.layout[key].range = value["range"]
        self._info.value = self.info(data) or ""
        self.last_update_seconds = time.perf_counter() - start
        return data


# --------------------------------------------------------------------------- critical vs best

class CriticalVersusBestExplorer(_LiveUpdate):
    """Is a subnetwork critical, a trap, or the best fit? The (2, 2, 1), ``z^3 + z^2`` network.

    For ``40`` Gaussian targets (standard for the chosen inner product, seed 0) the best
    fit of the full network and of its one-neuron subnetworks are found by
    Levenberg–Marquardt restarts (:func:`nagviz.experiments.critical_versus_best`).
    Left: how often the best subnetwork fit is a critical point of the full loss, a trap
    (switching the neuron back on raises the loss to second order), and the best fit.
    Right: subnetwork loss against full-network loss per target; a point on the diagonal
    would be a target whose best fit is a subnetwork.

    Examples
    --------
    >>> d = CriticalVersusBestExplorer().compute(distribution="Bombieri–Weyl")
    >>> d["n"], d["best"]
    (40, 0)
    >>> d["critical"] > d["n"] // 2
    True
    """

    title = "Critical is not best: subnetworks of (2, 2, 1) with σ = z³ + z²"
    question = ("at a switched-off neuron the loss has zero gradient in that neuron's weights, "
                "for every target. Will the best subnetwork fit "
                "often be the global best fit? Does the answer depend on how the data is "
                "distributed?")
    static_control = "distribution"
    static_values = CRITICAL_DISTRIBUTIONS_SHOWN
    progress_label = "fitting networks and subnetworks"
    # every distribution is computed once (prewarm, disk cache): a move is a lookup

    @classmethod
    def precompute(cls, progress=None) -> int:
        """Compute (or read from the disk cache) every slider state; returns their number."""
        for d in DISTRIBUTIONS:
            critical_versus_best_view(d, progress=progress)
        return len(DISTRIBUTIONS)

    def make_controls(self):
        import ipywidgets as w

        return {"distribution": w.SelectionSlider(options=list(DISTRIBUTIONS),
                                                  value="Euclidean",
                                                  description="data distribution",
                                                  style=STYLE, layout=w.Layout(width="520px"))}

    def defaults(self):
        return dict(distribution="Euclidean")

    def compute(self, distribution, progress=None):
        d = dict(critical_versus_best_view(distribution, progress=progress))
        for key in ("full_loss", "sub_loss"):
            d[key] = np.array(d[key], dtype=float)
        for key in ("is_critical", "finite"):
            d[key] = np.array(d[key], dtype=bool)
        return d

    def _spec(self, data):
        n = data["n"]
        names = ["critical for the full loss", "a trap (2nd-order minimum)",
                 "the best fit of the full network"]
        values = [data["critical"], data["trap"], data["best"]]
        colors = [COLORS["singular"], COLORS["path"], COLORS["teacher"]]
        full, sub = log_floor(data["full_loss"]), log_floor(data["sub_loss"])
        crit = np.asarray(data["is_critical"])
        fin = np.asarray(data["finite"])
        lo = float(min(full.min(), sub.min())) / 2
        hi = float(max(full.max(), sub.max())) * 2
        traces = [
            dict(type="bar", x=[v / n for v in values], y=names, orientation="h",
                 marker=dict(color=colors), text=[f"{v} of {n}" for v in values],
                 textposition="outside", cliponaxis=False, showlegend=False,
                 hovertemplate="%{y}: %{text}<extra></extra>"),
            dict(type="scatter", x=[lo, hi], y=[lo, hi], mode="lines", xaxis="x2", yaxis="y2",
                 name="subnetwork = best fit", line=dict(color=COLORS["neutral"], dash="dash")),
            dict(type="scatter", x=full[crit].tolist() or [None], y=sub[crit].tolist() or [None],
                 mode="markers", xaxis="x2", yaxis="y2", name="best subnetwork fit is critical",
                 marker=dict(size=9, color=COLORS["singular"], line=dict(color="black", width=1))),
            dict(type="scatter", x=full[~crit & fin].tolist() or [None],
                 y=sub[~crit & fin].tolist() or [None], mode="markers", xaxis="x2", yaxis="y2",
                 name="not critical",
                 marker=dict(size=9, color="white", line=dict(color=COLORS["singular"], width=2))),
            dict(type="scatter", x=full[~fin].tolist() or [None], y=sub[~fin].tolist() or [None],
                 mode="markers", xaxis="x2", yaxis="y2",
                 name="a best fit runs off to infinity: an infimum",
                 marker=dict(size=9, symbol="x-thin", color=COLORS["neutral"],
                             line=dict(color=COLORS["neutral"], width=2))),
        ]
        return traces, dict(
            title=_title(f"{data['distribution']} loss: best fit is a subnetwork for "
                         f"{data['best']} of {n} targets", y=0.97),
            xaxis=dict(domain=[0.3, 0.52], range=[0, 1.35], title=_title("fraction of targets"),
                       tickformat=".0%"),
            yaxis=dict(autorange="reversed"),
            xaxis2=dict(domain=[0.64, 1], type="log", range=[math.log10(lo), math.log10(hi)],
                        anchor="y2", title=_title("best loss, full network"),
                        exponentformat="power"),
            yaxis2=dict(type="log", range=[math.log10(lo), math.log10(hi)], anchor="x2",
                        title=_title("best loss, subnetwork"), exponentformat="power"),
            legend=dict(orientation="h", x=0.3, y=1.08, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=20, r=20, t=130, b=60), height=520)

    def info(self, data):
        return (f"{data['n']} Gaussian targets, {data['restarts']} Levenberg–Marquardt restarts "
                "per fit, seed 0. The best subnetwork fit is critical for the full loss for "
                f"{data['critical']} targets and a trap for {data['trap']}, yet it is the global "
                f"best fit for <b>{data['best']}</b>: its loss is higher by a factor "
                f"{1 + data['gap_median']:.2g} (median; smallest {1 + data['gap_min']:.2g}). "
                f"For {data['infinity']} of {data['n']} targets a best fit runs off to infinity "
                f"(full network {data['full_infinity']}, subnetwork {data['sub_infinity']}): "
                "the neuromanifold is not closed, the best loss there is an <i>infimum</i>, "
                "approached but not attained, and such a subnetwork fit is not counted as "
                "critical.")


# --------------------------------------------------------------------------- training

_RUN_COLOR = "#8E3B74"  # the run shown in detail: a darker shade of the path colour


@memoize(maxsize=1)
def _cone_mesh(h=2.2, n=49):
    th = np.linspace(0, 2 * np.pi, n)
    p = np.linspace(-h, h, 23)
    P, TH = np.meshgrid(p, th)
    return (np.round(P * np.cos(TH), 4).tolist(), np.round(P * np.sin(TH), 4).tolist(),
            np.round(P, 4).tolist())


@memoize(maxsize=1)
def _cone_generators(h=2.2, n=12):
    xs, ys, zs = [], [], []
    for th in np.linspace(0, 2 * np.pi, n, endpoint=False):
        xs += [round(-h * math.cos(th), 4), round(h * math.cos(th), 4), None]
        ys += [round(-h * math.sin(th), 4), round(h * math.sin(th), 4), None]
        zs += [-h, h, None]
    return xs, ys, zs


class TrainingExplorer(_LiveUpdate):
    """Gradient descent on the quadratic network (2, 2, 1), drawn in its function space.

    ``f = v_1 (w_1 . x)^2 + v_2 (w_2 . x)^2`` fills the 3-dimensional space of binary
    quadratic forms, so every target is fitted exactly; the forms of rank one (one-neuron
    networks, or two parallel neurons) are the cone, drawn round in the coordinates of
    :func:`nagviz.singularities.cone_coordinates`. Eight runs of plain gradient descent
    (Bombieri loss, 5000 steps) from random initializations approach one target (green).
    Right: the relative loss of every run, and for the chosen run the norms of each
    neuron's in-weights and out-weight and the distance to the cone, on log scales.

    Examples
    --------
    >>> d = TrainingExplorer().compute(target=0, init_scale=1.0, lr=0.01, run=1)
    >>> len(d["outcomes"]), d["trajectories"].shape[1:]
    (8, (8, 3))
    """

    title = "Gradient descent is drawn to subnetworks: the quadratic network (2, 2, 1)"
    question = ("the network can fit every target exactly. Will all eight runs reach the "
                "green target? If some stop early, where in function space do they stop? "
                "Try a small initialization.")
    static_control = "init_scale"
    static_values = TRAP_INIT_SCALES_SHOWN
    progress_label = "training"
    # the states of the sliders are computed in batches (trap_states), kept in memory and
    # on disk: a move is a lookup; a state not yet computed shows a progress bar

    @classmethod
    def precompute(cls, progress=None) -> int:
        """Compute (or read from the disk cache) every slider state, six at a time in one
        batch of gradient-descent runs; returns the number of states."""
        pairs = [(v, lr) for v in TRAP_INIT_SCALES for lr in TRAP_LEARNING_RATES]
        for i in range(0, len(pairs), 6):
            trap_states(pairs[i:i + 6], progress=progress)
        return len(pairs)

    def make_controls(self):
        import ipywidgets as w

        return {
            "target": w.IntSlider(value=1, min=0, max=len(trap_targets()) - 1, description="target",
                                  style=STYLE),
            "init_scale": w.SelectionSlider(options=list(TRAP_INIT_SCALES), value=1.0,
                                            description="init scale", style=STYLE),
            "lr": w.SelectionSlider(options=list(TRAP_LEARNING_RATES), value=0.01,
                                    description="learning rate", style=STYLE),
            "run": w.IntSlider(value=2, min=1, max=TRAP_RUNS, description="run shown in detail",
                               style=STYLE),
        }

    def defaults(self):
        return dict(TRAP_DEFAULTS, run=2)

    def compute(self, target, init_scale, lr, run, progress=None):
        t = trap_targets()[int(target)]
        trap_states([(init_scale, lr)], progress=progress)
        state = trap_state(float(init_scale), float(lr))
        res, pop = state["runs"][int(target)], state["population"]
        k = int(run) - 1
        return dict(
            target=int(target), init_scale=float(init_scale), lr=float(lr), run=int(run),
            target_point=cone_coordinates(t), eigen=res["eigen"],
            trajectories=res["trajectories"], outcomes=list(res["outcomes"]),
            steps=state["steps"], loss=res["loss"], cone=res["cone"][:, k],
            in_norms=res["in_norms"][:, k], out_norms=res["out_norms"][:, k],
            out_start=res["out_start"][k], out_end=res["out_end"][k],
            conserved=res["conserved"][k], relative_loss=res["relative_loss"],
            counts=pop["counts"], population=pop["n"], trapped=pop["trapped"],
            valid=pop["valid"], near_median=pop["near_median"], near_count=pop["near_count"],
            fitted=pop["fitted"], steps_total=TRAP_STEPS)

    def _spec(self, data):
        k = data["run"] - 1
        T = data["trajectories"]  # (K, runs, 3)
        cx, cy, cz = _cone_mesh()
        gx, gy, gz = _cone_generators()
        px, py, pz = [], [], []
        for j in range(T.shape[1]):
            if j == k:
                continue
            px += np.round(T[:, j, 0], 4).tolist() + [None]
            py += np.round(T[:, j, 1], 4).tolist() + [None]
            pz += np.round(T[:, j, 2], 4).tolist() + [None]
        ends = np.round(T[-1], 4).tolist()
        fit = [o == "fit" for o in data["outcomes"]]
        stuck = [o in ("one neuron off", "parallel neurons", "zero function")
                 for o in data["outcomes"]]
        tq, tr, tp = data["target_point"]
        steps = data["steps"]
        lx, ly = [], []
        for j in range(T.shape[1]):
            if j == k:
                continue
            lx += steps.tolist() + [None]
            ly += log_floor(data["loss"][:, j]).tolist() + [None]
        w, v = data["in_norms"], data["out_norms"]
        n1, n2 = COLORS["manifold"], COLORS["boundary"]
        traces = [
            surface_mesh(cx, cy, cz, color=COLORS["singular"], opacity=0.1,
                         hoverinfo="skip", name="one neuron: b² = 4ac",
                         showlegend=True, meta="static:cone"),
            dict(type="scatter3d", x=gx, y=gy, z=gz, mode="lines", showlegend=False,
                 line=dict(color=COLORS["singular"], width=2), opacity=0.5, hoverinfo="skip",
                 meta="static:cone"),
            dict(type="scatter3d", x=px or [None], y=py or [None], z=pz or [None], mode="lines",
                 name="other runs", line=dict(color=COLORS["path"], width=4), opacity=0.8,
                 hoverinfo="skip"),
            dict(type="scatter3d", x=np.round(T[:, k, 0], 4).tolist(),
                 y=np.round(T[:, k, 1], 4).tolist(), z=np.round(T[:, k, 2], 4).tolist(),
                 mode="lines", name=f"run {data['run']}", line=dict(color=_RUN_COLOR, width=10),
                 hoverinfo="skip"),
            dict(type="scatter3d", x=[e[0] for e, f in zip(ends, fit) if f] or [None],
                 y=[e[1] for e, f in zip(ends, fit) if f] or [None],
                 z=[e[2] for e, f in zip(ends, fit) if f] or [None], mode="markers",
                 name="run reached the target",
                 marker=dict(size=6, color=COLORS["teacher"], line=dict(color="black", width=1)),
                 hoverinfo="skip"),
            dict(type="scatter3d", x=[e[0] for e, f in zip(ends, stuck) if f] or [None],
                 y=[e[1] for e, f in zip(ends, stuck) if f] or [None],
                 z=[e[2] for e, f in zip(ends, stuck) if f] or [None], mode="markers",
                 name="run stopped on the cone",
                 marker=dict(size=7, color=COLORS["singular"], symbol="square",
                             line=dict(color="black", width=1)), hoverinfo="skip"),
            dict(type="scatter3d", x=[tq], y=[tr], z=[tp], mode="markers", name="target",
                 marker=dict(size=8, symbol="diamond", color=COLORS["data"],
                             line=dict(color="black", width=1))),
            dict(type="scatter", x=lx or [None], y=ly or [None], mode="lines", xaxis="x",
                 yaxis="y", showlegend=False, line=dict(color="#BBBBBB", width=1.5),
                 hoverinfo="skip"),
            dict(type="scatter", x=steps.tolist(), y=log_floor(data["loss"][:, k]).tolist(),
                 mode="lines", xaxis="x", yaxis="y", showlegend=False,
                 line=dict(color=_RUN_COLOR, width=3), name="relative loss"),
            dict(type="scatter", x=steps.tolist(), y=log_floor(w[:, 0]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="‖w₁‖ (in)", legend="legend2",
                 line=dict(color=n1, width=3)),
            dict(type="scatter", x=steps.tolist(), y=log_floor(v[:, 0]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="|v₁| (out)", legend="legend2",
                 line=dict(color=n1, width=3, dash="dash")),
            dict(type="scatter", x=steps.tolist(), y=log_floor(w[:, 1]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="‖w₂‖ (in)", legend="legend2",
                 line=dict(color=n2, width=3)),
            dict(type="scatter", x=steps.tolist(), y=log_floor(v[:, 1]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="|v₂| (out)", legend="legend2",
                 line=dict(color=n2, width=3, dash="dash")),
            dict(type="scatter", x=steps.tolist(), y=log_floor(data["cone"]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="distance to the cone", legend="legend2",
                 line=dict(color=COLORS["singular"], width=3, dash="dot")),
        ]
        outcome = data["outcomes"][k]
        lim = 2.2
        ax = dict(range=[-lim, lim], autorange=False, tickvals=[-2, 0, 2])
        return traces, dict(
            title=_title(f"init scale {data['init_scale']:g}, learning rate {data['lr']:g}: "
                         f"run {data['run']} → {outcome}", y=0.98),
            scene=dict(domain=dict(x=[0, 0.5], y=[0, 1]),
                       xaxis=dict(title=_title("(a − c)/2"), **ax),
                       yaxis=dict(title=_title("b/2"), **ax),
                       zaxis=dict(title=_title("(a + c)/2"), **ax), aspectmode="cube",
                       camera=dict(eye=dict(x=2.4, y=-2.2, z=1.0))),
            xaxis=dict(domain=[0.65, 1], anchor="y", title=_title(""), showticklabels=False),
            yaxis=dict(domain=[0.56, 1], type="log", range=[-12.5, 1], anchor="x",
                       title=_title("‖f − t‖² / ‖t‖²"), exponentformat="power"),
            xaxis2=dict(domain=[0.65, 1], anchor="y2", title=_title("gradient descent step")),
            yaxis2=dict(domain=[0, 0.44], type="log", range=[-17.5, 1.2], anchor="x2",
                        title=_title("size"), exponentformat="power"),
            annotations=[panel_title("function space: forms a x² + bxy + c y²", 0.25),
                         panel_title("loss of all runs (this run in purple)", 0.825),
                         panel_title(f"run {data['run']}: weights and distance to the cone",
                                      0.825, 0.45)],
            legend=dict(orientation="h", x=0, y=1.03, yanchor="bottom", font=dict(size=14)),
            legend2=dict(x=1.01, y=0.0, xanchor="left", yanchor="bottom", font=dict(size=13)),
            margin=dict(l=30, r=170, t=150, b=60), height=740)

    def info(self, data):
        k = data["run"] - 1
        l1, l2 = data["eigen"]
        kind = ("indefinite" if l1 > 0 > l2 else
                "positive definite" if l2 > 0 else "negative definite")
        kappa = data["conserved"]
        v0, v1 = data["out_start"], data["out_end"]
        locks = []
        for j in range(2):
            if kappa[j] < 0:
                locks.append(f"neuron {j + 1}: κ = {kappa[j]:.2f} < 0, so |v{j + 1}| ≥ "
                             f"{math.sqrt(-kappa[j] / 2):.2f} forever and v{j + 1} keeps its sign "
                             f"({'+' if v0[j] > 0 else '−'})")
            else:
                locks.append(f"neuron {j + 1}: κ = {kappa[j]:.2f} ≥ 0, so ‖w{j + 1}‖ ≥ "
                             f"{math.sqrt(kappa[j]):.2f} forever: only v{j + 1} can switch it off")
        c = data["counts"]
        return (f"Target eigenvalues {l1:.2f}, {l2:.2f} ({kind}). Run {data['run']}: "
                f"<b>{data['outcomes'][k]}</b>, relative loss {data['relative_loss'][k]:.2g}; "
                f"out-weights {v0[0]:+.2f}, {v0[1]:+.2f} → {v1[0]:+.2f}, {v1[1]:+.2f}. "
                "The quantity κ = ‖w‖² − 2v² of each neuron is conserved by gradient flow: "
                + "; ".join(locks) + ".<br>"
                f"<b>Over {data['population']} random targets</b> with these settings (one "
                f"seed): fitted {c['fit']}, stuck on the cone {data['trapped']} (one neuron off "
                f"{c['one neuron off']}, parallel neurons {c['parallel neurons']}, zero "
                f"function {c['zero function']}), still moving {c['still moving']}, diverged "
                f"{c['diverged']}. Of the {data['fitted']} runs that did fit, "
                f"{data['near_count']} spent some steps within 5% of the cone before leaving "
                f"it (median over all fitted runs: {data['near_median']} of "
                f"{data['steps_total']} steps).")


# --------------------------------------------------------------------------- plain figures

def dead_neuron_figure(data):
    """Three panels: ``|gradient|`` per weight, the Hessian, the loss along the escape direction.

    Examples
    --------
    >>> from nagviz.experiments import dead_neuron_data
    >>> fig = dead_neuron_figure(dead_neuron_data())
    >>> [t.type for t in fig.data]
    ['bar', 'heatmap', 'scatter', 'scatter']
    """
    g = np.abs(data["gradient"])
    dead = set(data["dead"])
    colors = [COLORS["singular"] if i in dead else COLORS["manifold"] for i in range(len(g))]
    text = ["exactly 0" if (i in dead and g[i] == 0) else f"{g[i]:.0e}" for i in range(len(g))]
    H = data["hessian"]
    big = float(np.abs(H).max())
    H = np.where(np.abs(H) < 1e-10 * big, 0.0, H)
    traces = [
        dict(type="bar", x=data["names"], y=log_floor(g).tolist(), marker=dict(color=colors),
             text=text, textposition="outside", cliponaxis=False, showlegend=False,
             hovertemplate="%{x}: %{text}<extra></extra>"),
        dict(type="heatmap", z=np.round(H[::-1], 4).tolist(), x=data["names"],
             y=data["names"][::-1], xaxis="x2", yaxis="y2", zmin=-big, zmax=big, zmid=0,
             colorscale="RdBu", reversescale=True, showscale=False,
             text=[[f"{v:.2g}" if v else "0" for v in row] for row in H[::-1]],
             texttemplate="%{text}",
             textfont=dict(size=11), hovertemplate="%{y}, %{x}: %{z:.3g}<extra></extra>"),
        dict(type="scatter", x=data["s"].tolist(), y=np.round(data["cubic"], 7).tolist(),
             mode="lines", xaxis="x3", yaxis="y3", name=f"{data['coefficient']:.2f} s³",
             line=dict(color=COLORS["neutral"], dash="dash", width=2), hoverinfo="skip"),
        dict(type="scatter", x=data["s"].tolist(), y=np.round(data["change"], 7).tolist(),
             mode="lines", xaxis="x3", yaxis="y3", name="L(θ + s u) − L(θ)",
             line=dict(color=COLORS["path"], width=4),
             hovertemplate="s = %{x:.2f}: ΔL = %{y:.3g}<extra></extra>"),
    ]
    return _figure(
        traces,
        title=_title(f"neuron 2 switched off: gradient 0, Hessian 0 in its directions, "
                     f"escape at order {data['order']}", y=0.97),
        xaxis=dict(domain=[0, 0.28], title=_title("weight")),
        yaxis=dict(type="log", range=[-17.5, 1.5], title=_title("|∂L/∂w|", standoff=4),
                   exponentformat="power"),
        xaxis2=dict(domain=[0.37, 0.65], anchor="y2", side="bottom", title=_title("")),
        yaxis2=dict(anchor="x2"),
        xaxis3=dict(domain=[0.74, 1], anchor="y3", title=_title("step s along u")),
        yaxis3=dict(anchor="x3", title=_title("change of the loss"), exponentformat="power"),
        annotations=[panel_title("gradient (vermillion: neuron 2)", 0.14),
                     panel_title("Hessian", 0.51),
                     panel_title("loss along the escape direction u", 0.87)],
        legend=dict(x=0.75, y=0.02, xanchor="left", yanchor="bottom", font=dict(size=13)),
        margin=dict(l=80, r=20, t=110, b=70), height=470)


def _stuck_counts(r):
    """``(stuck, stuck at a proper subnetwork, valid runs)`` of an experiment result."""
    stuck = r.at_subnetwork & r.above_best & ~r.diverged
    zero = getattr(r, "stuck_zero", None)
    zero = (stuck & r.at_zero_network) if zero is None else zero
    return int(stuck.sum()), int((stuck & ~zero).sum()), int((~r.diverged).sum())


def experiment_figure(results: dict):
    """Bars with 95% Wilson intervals: runs ending at a subnetwork above the best fit.

    For each model and optimizer, two bars: the fraction of runs (that did not diverge)
    ending at any subnetwork with a loss above the best full fit, and the fraction ending
    at a proper one (a unit off, the function nonzero); the error bars are 95% Wilson
    intervals (:func:`nagviz.statistics.wilson_interval`) and the labels give the counts.

    Parameters
    ----------
    results : dict
        ``{label: SubnetworkRateResult}`` (:func:`nagviz.experiments.training_contrast`)
        or ``{label: SubnetworkExperimentResult}``.

    Examples
    --------
    >>> from nagviz.singularities import CUBIC_221
    >>> from nagviz.training import gd_subnetwork_experiment
    >>> r = gd_subnetwork_experiment(CUBIC_221, n_runs=4, steps=200, restarts=3)
    >>> [t.type for t in experiment_figure({"MLP, GD": r}).data]
    ['bar', 'bar']
    """
    from ..statistics import wilson_interval

    labels = list(results)
    traces, top = [], 1.0
    for name, which, color in (("any subnetwork (including the zero function)", 0,
                                 COLORS["neutral"]),
                                ("a proper subnetwork: a unit off, the rest still on", 1,
                                 COLORS["singular"])):
        ys, lo, hi, text = [], [], [], []
        for k in labels:
            counts = _stuck_counts(results[k])
            x, n = counts[which], counts[2]
            a, b = wilson_interval(x, n)
            p = x / max(n, 1)
            ys.append(100 * p)
            lo.append(100 * (p - a))
            hi.append(100 * (b - p))
            text.append(f"{x} of {n}")
            top = max(top, 100 * b)
        traces.append(dict(type="bar", x=labels, y=ys, name=name, marker=dict(color=color),
                           error_y=dict(type="data", symmetric=False, array=hi, arrayminus=lo,
                                        color="black", thickness=2, width=8),
                           text=text, textposition="outside", cliponaxis=False,
                           hovertemplate="%{x}: %{text}<extra></extra>"))
    return _figure(
        traces,
        title=_title("runs that end at a subnetwork although the full network fits better "
                     "(95% Wilson intervals)", y=0.96),
        barmode="group", bargap=0.3,
        yaxis=dict(title=_title("% of runs"), range=[0, 1.25 * top]),
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", font=dict(size=14),
                    traceorder="normal"),
        margin=dict(l=70, r=20, t=110, b=80), height=460)


def stuck_neuron_figure(result, run=None):
    """One training run stuck at a subnetwork: the unit that switched off, and the loss.

    Top: the norms of the unit's incoming and outgoing weights. Bottom, on its own axis:
    the loss of the run and the best fit of the full network for its target.

    Parameters
    ----------
    result : SubnetworkExperimentResult or SubnetworkRateResult
        From :func:`nagviz.training.gd_subnetwork_experiment` (trajectories included) or
        :func:`nagviz.subnetwork_experiment.subnetwork_rate` (the run is trained again).
    run : int, optional
        Which run; default: the first one stuck at a proper subnetwork (some unit off, the
        function nonzero), else the first stuck run.

    Examples
    --------
    >>> from nagviz.singularities import CUBIC_221
    >>> from nagviz.training import gd_subnetwork_experiment
    >>> r = gd_subnetwork_experiment(CUBIC_221, n_runs=4, steps=200, restarts=3)
    >>> [t.name for t in stuck_neuron_figure(r, run=0).data][:2]
    ['‖incoming weights‖', '‖outgoing weights‖']
    """
    stuck = result.at_subnetwork & result.above_best & ~result.diverged
    zero = getattr(result, "stuck_zero", None)
    zero = (stuck & result.at_zero_network) if zero is None else zero
    if run is None:
        proper = np.nonzero(stuck & ~zero)[0].tolist()
        run = (proper or np.nonzero(stuck)[0].tolist() or [0])[0]
    example = getattr(result, "example", None)
    if example is not None and example["run"] == run:  # stored with the result
        from ..units import hidden_units

        unit = hidden_units(result.architecture)[example["unit"]]
        H = np.array(example["theta"], dtype=float)
        steps, loss = list(example["steps"]), np.array(example["loss"], dtype=float)
    else:
        if hasattr(result, "training"):
            tr, j = result.training, run
        else:
            tr, j = result.retrain(run), 0
        unit = tr.units[int(np.argmin(tr.final_units[j]))]
        H = tr.history_theta[:, j, :]
        steps = tr.history_steps.tolist()
        loss = np.asarray(tr.history_loss[:, j], dtype=float)
    w_in = np.linalg.norm(H[:, list(unit.incoming)], axis=1)
    w_out = (np.linalg.norm(H[:, list(unit.outgoing)], axis=1) if unit.outgoing
             else np.zeros(len(H)))
    best = float(result.best_loss[run])
    lo = math.log10(max(min(float(loss.min()), best), LOG_FLOOR)) - 0.3
    hi = math.log10(max(float(loss.max()), best, LOG_FLOOR)) + 0.3
    traces = [
        dict(type="scatter", x=steps, y=log_floor(w_in).tolist(), mode="lines",
             name="‖incoming weights‖", line=dict(color=COLORS["singular"], width=4)),
        dict(type="scatter", x=steps, y=log_floor(w_out).tolist(), mode="lines",
             name="‖outgoing weights‖", line=dict(color=COLORS["singular"], width=4, dash="dash")),
        dict(type="scatter", x=steps, y=log_floor(loss).tolist(), mode="lines", name="loss",
             xaxis="x2", yaxis="y2", line=dict(color=COLORS["path"], width=3)),
        dict(type="scatter", x=[steps[0], steps[-1]], y=[max(best, LOG_FLOOR)] * 2,
             mode="lines", name="best fit of the full network", xaxis="x2", yaxis="y2",
             line=dict(color=COLORS["teacher"], width=3, dash="dot")),
    ]
    return _figure(
        traces,
        title=_title(f"run {run}: {unit.label} switches off; the loss stays "
                     f"{loss[-1] / max(best, 1e-300):.2g} times the best fit", y=0.97),
        xaxis=dict(anchor="y", showticklabels=False, title=_title("")),
        yaxis=dict(domain=[0.55, 1], type="log", title=_title("weight norm", standoff=6),
                   exponentformat="power", range=[-17.5, 1.5]),
        xaxis2=dict(anchor="y2", title=_title("gradient descent step")),
        yaxis2=dict(domain=[0, 0.42], type="log", title=_title("loss", standoff=6),
                    exponentformat="power", range=[lo, hi]),
        legend=dict(x=1.01, y=1.0, xanchor="left", font=dict(size=14)),
        margin=dict(l=90, r=20, t=70, b=60), height=560)
