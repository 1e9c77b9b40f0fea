"""Layout of every explorer: static sliders whose every drawn step is labelled and clear of
the legend, and lecture mode (``NAGVIZ_LECTURE``) sized for the screen (issues 13, 14).

The browser checks the same in pixels: tests/browser/test_lecture_layout.py.
"""

import pytest

import nagviz.explorers as explorers
from nagviz.explorers._base import label_width, slider_label_stride
from nagviz.theme import FIGURE_WIDTH, LECTURE_MIN_FONT, fit_for_lecture, lecture_layout, lecture_screen

NAMES = [n for n in explorers.__all__ if n.endswith("Explorer") and n != "Explorer"]


def test_every_notebook_explorer_is_covered():
    assert len(NAMES) >= 20 and "DegreeThresholdExplorer" in NAMES and "RecoveryExplorer" in NAMES


def test_label_width_and_stride_follow_plotly_rule():
    # plotly.js: stride = ceil((widest label + 8) / ((0.9 * plot width - 20) / (steps - 1)))
    labels = ["(2, 3, 3, 3, 1)"] * 8
    per_step = (0.9 * (980 - 70 - 30) - 20) / 7
    needed = label_width(labels[0], 17) + 8
    assert slider_label_stride(labels, 17, 980) == max(1, -(-int(needed) // int(per_step)))
    assert label_width("ab", 10) == pytest.approx(2 * 0.64 * 10)
    assert slider_label_stride(["x"], 17, 980) == 1


@pytest.mark.parametrize("name", NAMES)
def test_static_slider_labels_every_step_and_legend_clears_it(name):
    fig = getattr(explorers, name)().static_figure()
    if not fig.layout.sliders:
        pytest.skip(f"{name} has no static slider")
    slider = fig.layout.sliders[0]
    labels = [s.label for s in slider.steps]
    assert len(set(labels)) == len(labels) >= 2
    margin = fig.layout.margin
    width = fig.layout.width or FIGURE_WIDTH
    stride = slider_label_stride(labels, slider.font.size, width,
                                 margin.l if margin.l is not None else 70,
                                 margin.r if margin.r is not None else 30)
    explorer = getattr(explorers, name)
    if explorer.static_presets:  # every step kept: the presets and each value stay reachable
        n_values = len(explorer().static_states()) - len(explorer.static_presets)
        assert len(labels) >= n_values and stride <= 2, f"{name}: labels every {stride}th step"
    else:
        assert stride == 1, f"{name}: plotly would label only every {stride}th step"
    assert slider.font.size >= 14
    legend = fig.layout.legend
    assert legend.y is None or legend.y >= 0, f"{name}: a legend below the plot meets the slider"


class _LongLabels(explorers.Explorer):
    """Nine steps whose labels cannot all fit a 700 px figure."""

    static_control = "k"
    static_values = tuple(range(9))

    def defaults(self):
        return {"k": 4}

    def compute(self, k):
        return {"k": k}

    def figure(self, data):
        import plotly.graph_objects as go

        return go.Figure(go.Scatter(x=[0, 1], y=[data["k"], data["k"]]), layout=dict(width=700))

    def static_label(self, state):
        return f"a rather long label {state['k']}"


def test_static_slider_thins_deliberately_keeping_the_current_value():
    slider = _LongLabels().static_figure().layout.sliders[0]
    labels = [s.label for s in slider.steps]
    assert slider.font.size == 14 and labels[slider.active] == "a rather long label 4"
    assert slider_label_stride(labels, slider.font.size, 700) == 1 and 2 <= len(labels) < 9
    # every kept step still moves the figure to its own value
    for step in slider.steps:
        k = int(step.label.rsplit(" ", 1)[1])
        assert step.args[0]["y"] == [[k, k]]


def test_lecture_screen_and_layout(monkeypatch):
    monkeypatch.delenv("NAGVIZ_LECTURE", raising=False)
    assert lecture_screen() is None
    monkeypatch.setenv("NAGVIZ_LECTURE", "1920x1080")
    assert lecture_screen() == (1920, 1080)
    lay = lecture_layout((1280, 720))
    # controls, gap and figure share the width left by the page's margins
    assert lay.controls_width + lay.gap + lay.figure_width == 1280 - lay.page_margin
    assert lay.figure_height + lay.header == 720
    monkeypatch.setenv("NAGVIZ_LECTURE", "big")
    with pytest.raises(ValueError, match="1280x720"):
        lecture_screen()
    with pytest.raises(ValueError, match="too small"):
        lecture_layout((640, 360))


@pytest.mark.parametrize("name", ["DegreeThresholdExplorer", "RankPathExplorer",
                                  "ArchitectureExplorer", "TwoNeuronFiberExplorer"])
def test_lecture_mode_widget_fits_the_screen(monkeypatch, name):
    monkeypatch.setenv("NAGVIZ_LECTURE", "1280x720")
    lay = lecture_layout((1280, 720))
    e = getattr(explorers, name)()
    view = e.widget()
    assert "nagviz-explorer" in view._dom_classes
    row = next(c for c in view.children if e.figure_widget in getattr(c, "children", ()))
    column = row.children[0]
    assert "nagviz-controls" in column._dom_classes
    assert column.layout.width == f"{lay.controls_width}px"
    assert all(c in column.children for c in e.controls.values())
    fig = e.figure_widget.layout
    assert fig.width == lay.figure_width and fig.height <= lay.figure_height
    for key in fig.to_plotly_json():
        if key.startswith("legend"):
            assert fig[key].font.size >= LECTURE_MIN_FONT
        if key[:5] in ("xaxis", "yaxis"):
            assert fig[key].title.font.size >= LECTURE_MIN_FONT
            assert fig[key].tickfont.size >= LECTURE_MIN_FONT
    # a control moves: the figure is redrawn and stays fitted to the screen
    control = next(c for c in e.controls.values() if hasattr(c, "options") or hasattr(c, "max"))
    options = getattr(control, "options", None)
    if options:
        last = options[-1]
        control.value = last[1] if isinstance(last, tuple) else last
    else:
        control.value = control.max
    moved = e.figure_widget.layout
    assert moved.width == lay.figure_width and moved.height <= lay.figure_height
    assert moved.legend.font.size >= LECTURE_MIN_FONT
    assert moved.title.yanchor == "top" and moved.title.y == 1.0
    assert moved.xaxis.title.font.size >= LECTURE_MIN_FONT and moved.xaxis.automargin


def test_outside_lecture_mode_the_layout_is_unchanged(monkeypatch):
    monkeypatch.delenv("NAGVIZ_LECTURE", raising=False)
    e = explorers.ArchitectureExplorer()
    view = e.widget()
    assert e.figure_widget.layout.width == FIGURE_WIDTH
    assert e.figure_widget in view.children          # controls above the figure, as before


def test_fit_for_lecture_raises_small_fonts_only():
    import plotly.graph_objects as go

    fig = go.Figure(layout=dict(height=500, legend=dict(font=dict(size=24)),
                                xaxis2=dict(title=dict(text="t", font=dict(size=12)))))
    fit_for_lecture(fig, lecture_layout((1280, 720)))
    assert fig.layout.legend.font.size == 24 and fig.layout.height == 500
    assert fig.layout.xaxis2.title.font.size == LECTURE_MIN_FONT
