"""The harness's own logic, checked without a browser (milliseconds).

Console classification, the kernel-status parser, the figure comparison and
the choice of exercise answers decide whether a browser test passes, so they
get tests of their own.
"""

from __future__ import annotations

import json

import pytest

from browser_harness import (
    ConsoleLog,
    KernelActivity,
    assert_no_kernel_errors,
    WidgetIgnoresUpdates,
    xfail_if_known_issue,
    _execution_state,
    compare_figure_states,
)
from test_lab_exercises import STUDENT_NOTEBOOKS, _literal, _perturbed, exercise_case

pytestmark = pytest.mark.browser


def console_with(*records):
    log = ConsoleLog()
    for text, source in records:
        log._record(text, source, "console.error")
    return log


def test_console_ignores_only_the_listed_noise():
    log = console_with(
        ("Failed to load resource: net::ERR_NAME_NOT_RESOLVED", "https://cdn.jsdelivr.net/x.css"),
        ("Failed to load resource: the server responded with a status of 404", "http://127.0.0.1:8888/favicon.ico"),
        ("TypeError: r.setData is not a function", "at http://127.0.0.1:1/voila/labextensions/jupyterlab-plotly/static/0.js"),
    )
    assert log.errors == [] and len(log.ignored) == 3
    real = console_with(
        ("Failed to load resource: the server responded with a status of 500", "http://127.0.0.1:8888/api/x"),
        ("TypeError: r.setData is not a function", "at http://127.0.0.1:1/lab/extensions/other/static/0.js"),
    )
    assert len(real.errors) == 2


def test_known_issue_only_when_every_error_is_known():
    known = console_with(("[anywidget] Failed to initialize model.", "stack"))
    assert "anywidget" in known.known_issue()
    mixed = console_with(("[anywidget] Failed to initialize model.", "s"), ("ReferenceError: x", "s"))
    assert mixed.known_issue() is None
    assert ConsoleLog().known_issue() is None


def test_deaf_figure_is_a_known_issue_only_if_the_slider_worked_in_lab():
    deaf = WidgetIgnoresUpdates("no figure changed", slider="width")
    with pytest.raises(pytest.xfail.Exception):
        xfail_if_known_issue(ConsoleLog(), "Voila x", deaf, worked_in_lab=["width"])
    xfail_if_known_issue(ConsoleLog(), "Voila x", deaf, worked_in_lab=["depth"])  # no xfail
    xfail_if_known_issue(ConsoleLog(), "Lab x", deaf)  # no xfail
    with pytest.raises(pytest.xfail.Exception):
        xfail_if_known_issue(console_with(("[anywidget] Failed to initialize model.", "s")),
                             "Lab x", AssertionError("x"))


def test_execution_state_from_websocket_frames():
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    def frame(channel, msg_type, content):
        parts = [json.dumps(p).encode() for p in ({"msg_type": msg_type}, {}, {}, content)]
        return serialize_msg_to_ws_v1(parts, channel)

    assert _execution_state(frame("iopub", "status", {"execution_state": "busy"})) == "busy"
    assert _execution_state(frame("iopub", "stream", {"text": "idle"})) is None
    assert _execution_state(frame("shell", "status", {"execution_state": "idle"})) is None
    legacy = json.dumps({"channel": "iopub", "header": {"msg_type": "status"},
                         "content": {"execution_state": "idle"}})
    assert _execution_state(legacy) == "idle"
    assert _execution_state(b"\x01") is None


def test_kernel_activity_counts_state_updates_not_echoes():
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    def comm_msg(method):
        parts = [json.dumps(p).encode() for p in ({"msg_type": "comm_msg"}, {}, {},
                                                   {"comm_id": "x", "data": {"method": method}})]
        return serialize_msg_to_ws_v1(parts + [b"\x00" * 16], "iopub")  # with a binary buffer

    activity = KernelActivity()
    for method in ("echo_update", "update", "update", "custom"):
        activity._on_frame(comm_msg(method))
    assert activity.widget_updates == 2


def test_kernel_activity_reports_how_widget_models_arrived():
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    def frame(msg_type, content, channel="iopub"):
        parts = [json.dumps(p).encode() for p in ({"msg_type": msg_type}, {}, {}, content)]
        return serialize_msg_to_ws_v1(parts, channel)

    activity = KernelActivity()
    assert "no update_states reply" in activity.report()
    activity._on_frame(frame("comm_msg", {"comm_id": "c", "data": {
        "method": "update_states", "states": {"a" * 32: {}, "b" * 32: {}}}}))
    activity._on_frame(frame("comm_close", {"comm_id": "b" * 32, "data": {}}))
    activity._on_frame(frame("comm_info_reply", {"comms": {}}, channel="shell"))
    activity._on_frame(frame("status", {"execution_state": "restarting"}))
    report = activity.report(["a" * 32, "b" * 32, "c" * 32])
    assert "update_states named 2 models" in report and "comm_info replies: 1" in report
    assert f"comm_close: ['{'b' * 32}']" in report and "['restarting']" in report
    assert f"model {'a' * 32}: in update_states: True, closed: False" in report
    assert f"model {'b' * 32}: in update_states: True, closed: True" in report
    assert f"model {'c' * 32}: in update_states: False, closed: False" in report


def test_kernel_activity_records_errors_no_cell_shows():
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    activity = KernelActivity()
    parts = [json.dumps(p).encode() for p in (
        {"msg_type": "error"}, {"msg_type": "comm_msg"}, {},
        {"ename": "ValueError", "evalue": "ambiguous", "traceback": []})]
    activity._on_frame(serialize_msg_to_ws_v1(parts, "iopub"))
    assert activity.errors == ["ValueError: ambiguous"]
    with pytest.raises(AssertionError, match="1 error.*ValueError: ambiguous"):
        assert_no_kernel_errors(activity, "here")
    assert_no_kernel_errors(KernelActivity(), "here")


def test_compare_figure_states():
    lab = [{"data": "[1]", "title": "null", "width": 600, "height": 360}]
    assert compare_figure_states(lab, [dict(lab[0])]) == []
    assert compare_figure_states(lab, [dict(lab[0], data="[2]")])[0].startswith("figure 0: data differs")
    assert compare_figure_states(lab, []) == ["JupyterLab drew 1 plotly figures, Voila 0"]
    # lecture mode sizes Voila's figures for a projector: sizes are not compared, titles are
    assert compare_figure_states(lab, [dict(lab[0], width=854, height=400)]) == []
    assert compare_figure_states(lab, [dict(lab[0], title='"x"')])[0].startswith(
        "figure 0: title differs")


def test_wrong_answer_literals():
    import sympy

    a, b = sympy.symbols("a b")
    assert _literal(9) == "9"
    assert _literal((8, 6, 5)) == "(8, 6, 5)"
    assert _literal(a * b) == "'a*b'"  # Expression answers accept strings
    assert _literal(object()) is None


def test_perturbed_answers_differ_and_keep_their_shape():
    from nagviz.exercises import Choice, Integer, Tuple

    assert _perturbed(6, Integer()) == 7
    assert _perturbed((8, 6, 5), Tuple(Integer(), Integer(), Integer())) == (9, 6, 5)
    assert _perturbed("filling", Choice("filling", "defective")) == "defective"
    assert _perturbed(True, None) is False
    assert _perturbed(len, None) is None


@pytest.mark.parametrize("relpath", STUDENT_NOTEBOOKS)
def test_every_student_notebook_has_a_case(relpath):
    """Each exercise notebook offers an exercise the browser test can try."""
    case = exercise_case(relpath)
    assert case is not None, f"{relpath}: no exercise whose wrong answer can be typed as a literal"
    assert "..." not in case.wrong_source and case.wrong_advice
