"""Explorers without a kernel: pure functions, slider moves, static fallbacks."""

import pytest

from nagviz.explorers import ArchitectureExplorer, display_mode, set_display_mode


def test_architecture_compute_is_pure_and_exact():
    e = ArchitectureExplorer()
    data = e.compute(d0=3, width=5, hidden_layers=1, outputs=1, r=4)
    assert (data["parameters"], data["expected"], data["dimension"], data["ambient"]) == (20, 15, 14, 15)
    lin = e.compute(d0=3, width=1, hidden_layers=1, outputs=2, r=1)
    assert lin["dimension"] == 4 and lin["expected"] == 4


def test_slider_move_updates_the_existing_figure():
    e = ArchitectureExplorer()
    e.widget()
    fig = e.figure_widget
    assert list(fig.data[0].x) == [8, 6, 5, 6]  # (3, 2, 1), r = 2: defective
    e.controls["r"].value = 4
    e.controls["width"].value = 5
    assert e.figure_widget is fig
    assert list(fig.data[0].x) == [20, 15, 14, 15]
    assert "defect 1" in fig.layout.title.text
    assert "20 parameters" in e._info.value


def test_small_networks_show_their_polynomial():
    e = ArchitectureExplorer(d0=2, width=1, r=2)
    e.widget()
    assert "W^{(1)}_{11}" in e._info.value
    e.controls["width"].value = 8  # too long to typeset
    assert "W^{(1)}" not in e._info.value


def test_too_large_architecture_is_reported_not_computed():
    data = ArchitectureExplorer().compute(d0=6, width=8, hidden_layers=3, outputs=3, r=5)
    assert data["dimension"] is None and "too large" in data["error"]


def test_static_fallback_has_a_plotly_slider():
    fig = ArchitectureExplorer(width=5, r=4).static_figure()
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps][:8] == [str(w) for w in range(1, 9)]
    # step for width 5 carries the bar lengths of (3, 5, 1) with r = 4
    assert steps[4].args[0]["x"][0] == [20, 15, 14, 15]


@pytest.mark.parametrize("start", [dict(), dict(d0=2, width=1, r=2)], ids=["notebook 00", "notebook 01"])
def test_static_fallback_reaches_the_architectures_the_prompts_ask_about(start):
    """Notebook 00 asks about (3, 5, 1) with r = 4, notebook 01 about (2, 1, 1), (2, 2, 2)
    and (3, 2, 1) with r = 2: each is a step of the static slider, with its own numbers
    (parameters, expected dimension, dimension, ambient dimension; counted by hand)."""
    fig = ArchitectureExplorer(**start).static_figure()
    steps = fig.layout.sliders[0].steps
    by_title = {s.args[1]["title.text"]: s.args[0]["x"][0] for s in steps}

    def bars(widths, r):
        found = [x for t, x in by_title.items()
                 if t.startswith(f"widths {widths}, σ(z) = z<sup>{r}</sup>")]
        assert len(found) == 1, (widths, r, list(by_title))
        return found[0]

    assert bars((3, 5, 1), 4) == [20, 15, 14, 15]     # Clebsch: one short of filling
    assert bars((3, 6, 1), 4) == [24, 15, 15, 15]
    assert bars((2, 1, 1), 2) == [3, 2, 2, 3]         # the cone
    assert bars((2, 2, 2), 2) == [8, 6, 6, 6]         # fills
    assert bars((3, 2, 1), 2) == [8, 6, 5, 6]         # rank <= 2 quadrics: 2*3 - 1
    assert len(steps) <= 13
    labels = [s.label for s in steps]
    assert len(set(labels)) == len(labels)


def test_display_mode_switches(monkeypatch):
    monkeypatch.setenv("NAGVIZ_DISPLAY", "static")
    assert display_mode() == "static"
    monkeypatch.setenv("NAGVIZ_DISPLAY", "")
    assert display_mode() == "static"  # no kernel here
    set_display_mode("widget")
    try:
        assert display_mode() == "widget"
    finally:
        set_display_mode(None)
    with pytest.raises(ValueError):
        set_display_mode("colab")


def test_forced_static_show_returns_a_figure(monkeypatch):
    fig = ArchitectureExplorer().show("static")
    assert len(fig.data) == 1 and fig.layout.sliders


def test_unknown_control_is_a_clear_error():
    with pytest.raises(TypeError, match="controls are"):
        ArchitectureExplorer(depth=3)


def test_question_is_asked_once(monkeypatch):
    """The notebooks ask the prediction in their prose; the explorer repeats it only on request."""
    import IPython.display

    e = ArchitectureExplorer()
    texts = [w.value for w in e.widget().children if isinstance(getattr(w, "value", None), str)]
    assert any(e.title in t for t in texts) and not any("Predict first" in t for t in texts)
    asked = [w.value for w in ArchitectureExplorer().widget(ask=True).children
             if isinstance(getattr(w, "value", None), str)]
    assert any("Predict first" in t and e.question in t for t in asked)

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))

    def html_shown():
        return " ".join(o._repr_html_() for o in shown if hasattr(o, "_repr_html_")
                        and not hasattr(o, "to_plotly_json"))

    ArchitectureExplorer().show("static")
    assert shown and "Predict first" not in html_shown()
    shown.clear()
    ArchitectureExplorer().show("static", ask=True)
    assert "Predict first" in html_shown() and e.question in html_shown()


def test_bars_switch_to_a_log_axis_when_the_ambient_space_dwarfs_them():
    e = ArchitectureExplorer()
    e.widget()
    fig = e.figure_widget
    assert fig.layout.xaxis.type == "linear" and fig.layout.xaxis.range[1] >= 8
    for name, value in dict(d0=5, width=4, hidden_layers=3, outputs=3, r=4).items():
        e.controls[name].value = value
    assert e.figure_widget is fig
    assert list(fig.data[0].x) == [64, 52, 52, 2443155]            # (5, 4, 4, 4, 3), r = 4
    assert fig.layout.xaxis.type == "log" and "log" in fig.layout.xaxis.title.text
    lo, hi = fig.layout.xaxis.range
    assert 10 ** lo < 52 and 10 ** hi > 2443155                    # every bar is visible
    e.controls["hidden_layers"].value = 1
    for name, value in dict(d0=3, width=2, outputs=1, r=2).items():
        e.controls[name].value = value
    assert fig.layout.xaxis.type == "linear" and fig.layout.xaxis.tickmode == "auto"  # not per decade


def test_static_slider_steps_carry_each_frames_axis():
    fig = ArchitectureExplorer(width=1, r=4).static_figure()
    steps = fig.layout.sliders[0].steps
    ranges = [s.args[1]["xaxis.range"] for s in steps]
    widest = steps[7].args[0]["x"][0]                               # width 8: 32 parameters
    assert ranges[7][1] >= max(widest) and ranges[0][1] < ranges[7][1]


def test_progress_bar_is_a_tqdm_widget_under_the_controls():
    from nagviz.explorers._base import ProgressBar, ProgressExplorer

    class Slow(ProgressExplorer):
        progress_label = "slow job"

        def make_controls(self):
            import ipywidgets as w

            return {"n": w.IntSlider(value=2, min=1, max=4)}

        def compute(self, n, progress=None):
            if progress is not None:
                progress(0, n)
                progress(n, n)
            return {"n": n}

        def figure(self, data):
            from nagviz.explorers._base import plain_figure

            return plain_figure([dict(type="bar", x=[0], y=[data["n"]])])

    e = Slow()
    view = e.widget()
    bar = e._bar
    assert isinstance(bar, ProgressBar) and bar.widget in view.children
    assert bar.widget.layout.visibility == "hidden"   # a finished job leaves no bar
    bar.delay = 0.0
    bar(0, 5)
    bar(3, 5)
    text = bar.widget.children[2].value.replace("\u2007", " ")
    assert bar.widget.layout.visibility == "visible" and text.startswith(" 3/5 [")
    assert (bar.tqdm.n, bar.widget.children[1].max) == (3, 5)
    bar(5, 5)
    assert bar.widget.layout.visibility == "hidden" and bar.shown


def test_tqdm_progress_waits_then_redraws_at_most_every_interval(monkeypatch):
    """Cached work shows no bar; long work redraws the bar a few times a second, not per call."""
    from nagviz import _progress

    clock = [100.0]
    monkeypatch.setattr(_progress.time, "monotonic", lambda: clock[0])
    with _progress.tqdm_progress("quick", delay=0.5, interval=0.2) as progress:
        for done in range(151):                      # 150 cached answers in 0.15 s
            progress(done, 150)
            clock[0] += 0.001
    assert progress.redraws == 0 and progress.bar.n == 0
    with _progress.tqdm_progress("slow", delay=0.5, interval=0.2) as progress:
        for done in range(101):                      # 100 steps of 0.05 s: 5 s of work
            progress(done, 100)
            clock[0] += 0.05
    # shown from 0.5 s on, then at most every 0.2 s (4.5 s: about 20 redraws), and the last
    assert 15 <= progress.redraws <= 25 and (progress.bar.n, progress.bar.total) == (100, 100)
    with pytest.raises(ValueError, match="non-negative seconds"):
        with _progress.tqdm_progress(delay=-1):
            pass


def test_explorer_view_has_a_one_line_text_form():
    """Displaying a view formats no figure data: its text/plain names the explorer."""
    import ipywidgets as widgets

    view = ArchitectureExplorer().widget()
    bundle = view._repr_mimebundle_()
    assert isinstance(view, widgets.VBox) and "nagviz-explorer" in view._dom_classes
    assert bundle["text/plain"] == ("ArchitectureExplorer: a live view (controls and figure), "
                                    "drawn where widgets run")
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.model_id
