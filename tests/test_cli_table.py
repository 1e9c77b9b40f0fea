"""``python -m nagviz table``: the atlas for lecturers, with the notebook's numbers."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from nagviz.__main__ import JSON_KEYS, main
from nagviz.atlas import degree_threshold, shallow_atlas


def run_main(capsys, *args):
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_text_grid_marks_the_alexander_hirschowitz_exceptions(capsys):
    status, out, err = run_main(capsys, "table", "--d0", "2:5", "--d1", "1:15", "--degree", "4")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("dimension of the neurovariety, widths (d_0, d_1, 1)")
    assert lines[1].split()[:3] == ["d_0", "\\", "d_1"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:6]}
    assert rows["3"][4] == "14*" and rows["4"][8] == "34*" and rows["5"][13] == "69*"
    assert sum(cell.endswith("*") for row in rows.values() for cell in row) == 3
    assert "p = 2147483647, seed = 0" in out


def test_csv_grid_has_the_notebook_numbers(capsys):
    status, out, _ = run_main(capsys, "table", "--d0", "2:6", "--d1", "1:8", "-r", "3",
                              "--quantity", "defect", "--format", "csv")
    assert status == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["d_0 \\ d_1"] + [str(k) for k in range(1, 9)]
    atlas = shallow_atlas(range(2, 7), range(1, 9), 3, cache_dir=False)
    assert [[int(v) for v in row[1:]] for row in table[1:]] == atlas.defect.tolist()
    assert [row[0] for row in table[1:]] == ["2", "3", "4", "5", "6"]


def test_json_lines_match_the_atlas_records(capsys):
    status, out, _ = run_main(capsys, "table", "--d0", "2,4", "--d1", "2:3", "-r", "2",
                              "--format", "json")
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [tuple(r) for r in records] == [JSON_KEYS] * 4
    assert records == shallow_atlas([2, 4], [2, 3], 2, cache_dir=False).to_records()


def test_deeper_grid_and_outputs(capsys):
    status, out, _ = run_main(capsys, "table", "--d0", "3", "--d1", "3", "--hidden-layers", "2",
                              "-f", "json")
    assert status == 0 and json.loads(out)["dimension"] == 12
    status, out, _ = run_main(capsys, "table", "--d0", "3", "--d1", "3", "--outputs", "3",
                              "-q", "ambient", "-f", "csv")
    assert status == 0 and out.splitlines()[1] == "3,18"


def test_widths_against_degrees(capsys):
    status, out, _ = run_main(capsys, "table", "--widths", "3,3,3,1", "2,1,2,1", "--degree", "1:5")
    assert status == 0
    lines = out.splitlines()
    assert lines[1].split() == ["widths", "\\", "activation", "z", "z^2", "z^3", "z^4", "z^5"]
    assert lines[2].split() == ["3,3,3,1", "3", "12*", "15", "15", "15"]
    assert lines[3].split() == ["2,1,2,1", "2", "2*", "2*", "2*", "2*"]
    status, out, _ = run_main(capsys, "table", "--widths", "3,3,3,1", "-r", "2:6", "-q",
                              "defect", "-f", "csv")
    t = degree_threshold((3, 3, 3, 1), r_max=6, cache_dir=False)
    row = list(csv.reader(io.StringIO(out)))[1]
    assert row == ["3,3,3,1"] + [str(v) for v in t.defect.tolist()]


def test_polynomial_activation_and_filling(capsys):
    status, out, _ = run_main(capsys, "table", "--widths", "2,2,1", "-a", "z^3+z^2", "-f", "json")
    assert status == 0 and json.loads(out)["dimension"] == 6
    status, out, _ = run_main(capsys, "table", "--d0", "2:3", "--d1", "1:3", "-q", "filling")
    assert "yes" in out and "no*" in out


@pytest.mark.parametrize("args, fragment", [
    (["table"], "say what to tabulate"),
    (["table", "--d0", "2:6"], "needs both"),
    (["table", "--d0", "2:4", "--d1", "1:3", "--widths", "3,2,1"], "not both"),
    (["table", "--d0", "a:b", "--d1", "1"], "inclusive range"),
    (["table", "--d0", "6:2", "--d1", "1"], "is empty"),
    (["table", "--d0", "0:3", "--d1", "1"], ">= 1"),
    (["table", "--d0", "2:4", "--d1", "1:3", "-r", "2:3"], "one degree"),
    (["table", "--d0", "1:30", "--d1", "1:30"], "max-cells"),
    (["table", "--d0", "40:41", "--d1", "40:41", "-r", "3"], "too large"),
    (["table", "--widths", "3,0,1"], "at least 1"),
    (["table", "--widths", "3,2,1", "-a", "sin(z)"], "not a polynomial"),
    (["table", "--d0", "2", "--d1", "2", "-q", "volume"], "invalid choice"),
    (["table", "--d0", "2", "--d1", "2", "--format", "xml"], "invalid choice"),
])
def test_bad_input_is_one_line_and_status_2(capsys, args, fragment):
    status, out, err = run_main(capsys, *args)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and lines[0].startswith("nagviz: error:")


def test_subprocess_exit_status():
    ok = subprocess.run([sys.executable, "-m", "nagviz", "table", "--d0", "2:3", "--d1", "1:2"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "d_0" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "nagviz", "table", "--d0", "2:x", "--d1", "1"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
