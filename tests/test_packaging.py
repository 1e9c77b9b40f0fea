"""nagviz is ready to publish: a wheel and an sdist build, and their metadata render.

A plain ``pip install nagviz`` must not pull JupyterLab or test tools (the extras add
them), and the wheel must hold every module the notebooks import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Build from a copy of the files git tracks (a build writes into its source folder)."""
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("dist")
    tracked = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=REPO_ROOT, capture_output=True, check=True).stdout.decode()
    for rel in filter(None, tracked.split("\0")):
        source = REPO_ROOT / rel
        if source.is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, src / rel)
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(src)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return out


def test_wheel_and_sdist_build_and_their_metadata_renders(dist):
    wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    check = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels + sdists)],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("PASSED") == 2


def test_wheel_holds_the_package_and_a_light_core(dist):
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(zf.read(meta_name).decode())
    package = {p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "nagviz").rglob("*.py")}
    assert package <= names, f"missing from the wheel: {sorted(package - names)[:5]}"
    core = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    core_names = {r.split(">")[0].split("<")[0].split("=")[0].strip().lower() for r in core}
    assert {"numpy", "sympy", "plotly", "python-flint"} <= core_names
    assert not core_names & {"jupyterlab", "ipywidgets", "anywidget", "pytest", "playwright", "voila"}
    extras = set(meta.get_all("Provides-Extra"))
    assert {"widgets", "lab", "present", "book", "test"} <= extras
    assert meta["Name"] == "nagviz" and "neuroalgebraic" in meta["Summary"]


def test_pyproject_uses_version_ranges_not_pins():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"]) + [r for v in project["optional-dependencies"].values() for r in v]
    for line in lines:
        if line.startswith("nagviz["):
            continue
        assert "==" not in line and ">=" in line and "<" in line, line


def test_wheel_carries_the_shipped_results(dist):
    """Notebook 05 reads its long experiments from nagviz/data: the wheel must hold them."""
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    data = {p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "nagviz" / "data").rglob("*")
            if p.is_file() and not p.name.endswith(".tmp")}
    assert data and data <= names, f"missing from the wheel: {sorted(data - names)[:5]}"
