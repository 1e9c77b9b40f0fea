import json
import subprocess
import sys

import pytest

from nagviz.__main__ import JSON_KEYS, main


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "nagviz", *args], capture_output=True, text=True,
                          env=env, timeout=60)


def test_json_lines_have_exactly_the_documented_keys():
    out = run("dim", "3,5,1", "2,1,2,1", "--degree", "4", "--json")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [tuple(d) for d in lines] == [JSON_KEYS] * 2
    clebsch, bottleneck = lines
    assert clebsch == {"widths": [3, 5, 1], "activation": "z^4", "parameters": 20,
                       "ambient_dimension": 15, "expected_dimension": 15, "dimension": 14,
                       "defect": 1, "filling": False, "fiber_dimension": 6}
    assert bottleneck["dimension"] == 2 and bottleneck["expected_dimension"] == 3


def test_activation_option_and_table(capsys):
    assert main(["dim", "2,2,1", "--activation", "z^3+z^2", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert (d["activation"], d["dimension"], d["ambient_dimension"]) == ("z^3 + z^2", 6, 7)
    assert main(["dim", "2,1,1", "3,3,3", "--cross-check"]) == 0
    table = capsys.readouterr().out
    assert "expected" in table and "3,3,3" in table and "float rank" in table


@pytest.mark.parametrize("args, fragment", [
    (["dim", "3,0,1"], "at least 1"),
    (["dim", "3,,1"], "empty entry"),
    (["dim", "3,2,1", "--degree", "-1"], ">= 1"),
    (["dim", "3,2,1", "--degree", "two"], "whole number"),
    (["dim", "3,2,1", "--frobnicate"], "unrecognized"),
    (["dim", "3,2,1", "--activation", "sin(z)"], "not a polynomial"),
    (["dim", "3,2,1", "-r", "2", "-a", "z^2"], "not allowed"),
    (["dim"], "WIDTHS"),
    (["dim", "60,60,60,60", "-r", "3"], "too large"),
])
def test_bad_input_exits_2_with_one_line(args, fragment):
    out = run(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in out.stderr
    assert out.stdout == ""


def test_limit_is_configurable(monkeypatch):
    import os
    env = dict(os.environ, NAGVIZ_MAX_WORK="100")
    out = run("dim", "3,5,1", env=env)
    assert out.returncode == 2 and "limit of 1.00e+02" in out.stderr


@pytest.mark.parametrize("extra", [["--max-work", "1e9"], ["--max-work", "1_000_000_000"],
                                   ["--seed", str(2**64 - 1)], ["--trials", "3"],
                                   ["--trials", "1e1"]])
def test_numbers_in_every_ordinary_spelling_are_accepted(extra, capsys):
    assert main(["dim", "3,2,1", "--json", *extra]) == 0
    assert json.loads(capsys.readouterr().out)["dimension"] == 5


def test_exact_answer_for_a_rescaled_activation(capsys):
    """b*sigma(a*z) has the dimension of sigma: the refusal message's advice is right."""
    assert main(["dim", "2,2,1", "--activation", "4*z^3 + 2*z^2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["dimension"] == 6  # as for z^3 + z^2
