"""environment.yml (conda) and pyproject.toml (pip) ask for the same packages.

pyproject.toml is the source of truth: its ``[project].dependencies`` plus the
``widgets``, ``lab`` and ``present`` extras (what a class needs, on Binder or a
JupyterHub) must all appear in environment.yml with the same version range, either
as a conda-forge package (``name >=1,<2``, under the name in CONDA_NAMES when
conda-forge spells it differently) or in its ``pip:`` section. environment.yml must
not ask for anything else, apart from python, pip and the editable install of nagviz
itself. Its Python is one version (``python =3.12``, the form repo2docker reads) inside
pyproject's ``requires-python``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml  # PyYAML, installed with JupyterLab (via jupyter-events)
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

REPO_ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("widgets", "lab", "present")

# pip name -> conda-forge name, where they differ.
CONDA_NAMES = {
    "matplotlib": "matplotlib-base",  # the same library without a GUI toolkit
    "playwright": "playwright-python",
}
PIP_NAMES = {conda: pip for pip, conda in CONDA_NAMES.items()}

CONDA_SPEC = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>.*?)\s*$")


def _specifier(text: str) -> SpecifierSet:
    """Read a conda version constraint written in the pip-compatible subset (>=, <, ==, !=)."""
    text = text.replace(" ", "")
    if re.match(r"^=[^=]", text):  # conda's fuzzy "=1.2" means "1.2.*"
        text = "=" + text + ".*"
    return SpecifierSet(text)


def pyproject_requirements() -> tuple[dict[str, SpecifierSet], SpecifierSet]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in EXTRAS:
        lines += project["optional-dependencies"][extra]
    wanted = {}
    for line in lines:
        req = Requirement(line)
        if canonicalize_name(req.name) == "nagviz":  # an extra that includes another one
            continue
        wanted[canonicalize_name(req.name)] = req.specifier
    return wanted, SpecifierSet(project["requires-python"])


def environment_requirements() -> tuple[dict, dict[str, SpecifierSet], list[str]]:
    """Return (the parsed file, requirements by pip name, the pip section)."""
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    found: dict[str, SpecifierSet] = {}
    pip_section: list[str] = []
    for entry in env.get("dependencies", []):
        if isinstance(entry, dict):
            pip_section += entry.get("pip", [])
            continue
        match = CONDA_SPEC.match(entry)
        assert match, f"environment.yml: cannot read dependency {entry!r}"
        name = match["name"].lower()
        found[canonicalize_name(PIP_NAMES.get(name, name))] = _specifier(match["spec"])
    for line in pip_section:
        if line.startswith("-"):  # options such as "-e ."
            continue
        req = Requirement(line)
        found[canonicalize_name(req.name)] = req.specifier
    return env, found, pip_section


def test_environment_yml_header():
    env, _, pip_section = environment_requirements()
    assert env.get("name") == "nagviz"
    assert env.get("channels") == ["conda-forge"]
    assert "-e ." in pip_section, "environment.yml must install nagviz itself with `pip: [-e .]`"


def test_environment_yml_matches_pyproject():
    wanted, requires_python = pyproject_requirements()
    _, found, _ = environment_requirements()

    problems = []
    python = found.pop("python", None)
    pinned = re.fullmatch(r"==(\d+\.\d+)\.\*", str(python)) if python is not None else None
    if pinned is None:
        problems.append(f"python must be one version written 'python =3.X' (repo2docker), got '{python}'")
    elif not requires_python.contains(pinned[1] + ".0"):
        problems.append(f"python {pinned[1]} is outside pyproject's requires-python '{requires_python}'")
    found.pop("pip", None)
    for name, spec in sorted(wanted.items()):
        conda = CONDA_NAMES.get(name, name)
        if name not in found:
            problems.append(f"missing {conda} {spec} (pip name {name})")
        elif found[name] != spec:
            problems.append(f"{conda}: environment.yml has '{found[name]}', pyproject has '{spec}'")
    for name in sorted(set(found) - set(wanted)):
        problems.append(f"{CONDA_NAMES.get(name, name)} is in environment.yml but not in pyproject.toml")

    assert not problems, (
        "environment.yml has drifted from pyproject.toml "
        f"(dependencies + extras {', '.join(EXTRAS)}):\n  " + "\n  ".join(problems)
    )


@pytest.mark.parametrize(
    ("conda", "pip"),
    [(">=1.26,<3", ">=1.26,<3"), (">=1.26, <3", "<3,>=1.26"), ("==0.5", "==0.5"), ("=0.5", "==0.5.*")],
)
def test_conda_version_syntax_is_read_like_pip(conda, pip):
    assert _specifier(conda) == SpecifierSet(pip)
