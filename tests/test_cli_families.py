"""nagviz dim --cnn / --attention (nagviz._cli_families and its hook in nagviz.__main__)."""

import io
import json
import subprocess
import sys

import pytest

from nagviz._cli_families import FamilyUsageError, build_model, handles, run
from nagviz.attention import LightningAttention
from nagviz.cnn import CNNArchitecture
from nagviz.__main__ import main

STANDARD_KEYS = ["parameters", "ambient_dimension", "expected_dimension", "dimension", "defect",
                 "filling", "fiber_dimension"]


def _json(argv):
    out = io.StringIO()
    assert run(argv, out=out) == 0
    return json.loads(out.getvalue())


def test_handles_only_family_dim_commands():
    assert handles(["dim", "--cnn", "3,2"]) and handles(["dim", "--attention=1,2,1"])
    assert not handles(["dim", "3,2,1", "--json"]) and not handles(["table", "--cnn"])
    assert not handles([])


@pytest.mark.parametrize("sizes, want", [("3,2,4", 7), ("2,2", 3), ("4,4,4", 10)])
def test_lcn_json(sizes, want):
    d = _json(["dim", "--cnn", sizes, "--json"])
    assert list(d) == ["filter_sizes", "strides", "activation", "input_length"] + STANDARD_KEYS
    assert d["dimension"] == want == d["ambient_dimension"] and d["activation"] == "z"
    assert d["filling"] is True


def test_cnn_options_reach_the_model():
    model, _ = build_model(["--cnn", "3,2", "--strides", "2,1", "--input-length", "9", "-a", "z^3+z^2"])
    assert model == CNNArchitecture((3, 2), "z^3 + z^2", input_length=9, strides=(2, 1))
    d = _json(["--cnn", "3,3", "--strides", "2,1", "--degree", "2", "--json"])
    assert (d["input_length"], d["parameters"], d["expected_dimension"], d["dimension"]) == (7, 6, 5, 5)
    d = _json(["--cnn", "3,3", "--strides", "2,1", "--activation", "z^3+z^2", "--json"])
    assert d["dimension"] == 6 and d["fiber_dimension"] == 0


@pytest.mark.parametrize("lda, tokens, want", [("1,3,2", "3", 16), ("2,3,2", "3", 23), ("1,3,2", "1", 14)])
def test_attention_json(lda, tokens, want):
    d = _json(["dim", "--attention", lda, "--tokens", tokens, "--json"])
    assert list(d) == ["layers", "token_dim", "attention_dim", "tokens", "activation"] + STANDARD_KEYS
    assert d["dimension"] == want
    assert build_model(["--attention", lda])[0] == LightningAttention(*map(int, lda.split(",")))


def test_text_output_through_main(capsys):
    assert main(["dim", "--cnn", "3,2,4"]) == 0
    text = capsys.readouterr().out
    assert "filters (3, 2, 4), activation z" in text and "dimension           7" in text


@pytest.mark.parametrize("args, fragment", [
    (["--cnn", "3,x"], "whole numbers"),
    (["--cnn", "3,0"], "positive"),
    (["--cnn", "3,2", "--strides", "1"], "2 positive integers"),
    (["--cnn", "3,2", "--input-length", "3"], "at least 4"),
    (["--cnn", "3,2", "--tokens", "3"], "--tokens belongs to --attention"),
    (["--attention", "1,2"], "3 numbers"),
    (["--attention", "1,2,1", "--degree", "2"], "belong to --cnn"),
    (["--attention", "9,2,1"], "at most 6"),
    (["--cnn", "3,2", "--attention", "1,2,1"], "not allowed"),
    (["3,2,1", "--cnn", "3,2"], "give no widths"),
    (["--cnn", "3,2", "-a", "sin(z)"], "not a polynomial"),
])
def test_bad_input_is_one_line(args, fragment):
    with pytest.raises(FamilyUsageError, match=fragment.replace("(", r"\(")):
        build_model(args)


@pytest.mark.parametrize("args, fragment", [
    (["dim", "--cnn", "3,2", "--strides", "0,1"], "positive"),
    (["dim", "--attention", "1,3,2", "--tokens", "two"], "whole numbers"),
    (["dim", "--cnn", "30,30,30", "-r", "3", "--max-work", "100"], "too large"),
])
def test_command_line_exits_2_with_one_line(args, fragment):
    out = subprocess.run([sys.executable, "-m", "nagviz", *args], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and lines[0].startswith("nagviz: error:")
