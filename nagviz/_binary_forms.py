"""Binary quadratic forms as coefficient vectors (shared internals of notebook 01's modules).

A binary quadratic ``a x^2 + b xy + c y^2`` is the vector ``(a, b, c)``. Printing, the
rank-one rays ``(cos t x + sin t y)^2`` and a vectorized golden-section search, used by
:mod:`nagviz.neuromanifolds` and :mod:`nagviz.real_reachability`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["binary_form_parameters", "format_form", "golden_minimize", "quadratic_rays"]

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def format_form(coeffs, digits: int = 3, latex: bool = False) -> str:
    """A binary quadratic form ``(a, b, c)`` as readable text: ``'x^2 - y^2'``.

    Parameters
    ----------
    coeffs : array_like, shape (3,)
        The coefficients of ``x^2, xy, y^2``.
    digits : int
        Significant digits of non-integer coefficients.
    latex : bool
        Typeset powers for LaTeX (``x^{2}``) rather than plain text.

    Examples
    --------
    >>> format_form([1, 0, -1])
    'x^2 - y^2'
    >>> format_form([0.5, -2, 0])
    '0.5x^2 - 2xy'
    >>> format_form([0, 0, 0])
    '0'
    """
    names = ["x^{2}", "xy", "y^{2}"] if latex else ["x^2", "xy", "y^2"]
    terms = []
    for value, name in zip(np.asarray(coeffs, dtype=float), names):
        if abs(value) < 10.0 ** (-digits - 3):
            continue
        magnitude = abs(value)
        number = "" if np.isclose(magnitude, 1.0, rtol=0, atol=1e-12) else f"{magnitude:.{digits}g}"
        sign = "-" if value < 0 else "+"
        terms.append((sign, number + name))
    if not terms:
        return "0"
    text = ("-" if terms[0][0] == "-" else "") + terms[0][1]
    for sign, body in terms[1:]:
        text += f" {sign} {body}"
    return text


def golden_minimize(score, lo, hi, iterations: int = 60):
    """Vectorized golden-section search: a minimizer of ``score`` in each ``[lo, hi]``.

    Examples
    --------
    >>> golden_minimize(lambda t: (t - np.array([0.3, -1.0])) ** 2, np.array([0.0, -2.0]),
    ...                 np.array([1.0, 0.0])).round(6).tolist()
    [0.3, -1.0]
    """
    x1, x2 = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
    f1, f2 = score(x1), score(x2)
    for _ in range(iterations):
        left = f1 < f2  # a minimum lies in [lo, x2]
        hi, lo = np.where(left, x2, hi), np.where(left, lo, x1)
        x1_new, x2_new = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
        f_new = score(np.where(left, x1_new, x2_new))
        x1, x2 = np.where(left, x1_new, x2), np.where(left, x1, x2_new)
        f1, f2 = np.where(left, f_new, f2), np.where(left, f1, f_new)
    return (lo + hi) / 2


def quadratic_rays(theta):
    """Unit vectors along the rank-one forms ``(cos t x + sin t y)^2`` and their norms.

    Examples
    --------
    >>> rays, norms = quadratic_rays(np.array([0.0]))
    >>> rays.tolist(), norms.tolist()          # x^2 = (1, 0, 0)
    ([[1.0, 0.0, 0.0]], [1.0])
    """
    cos, sin = np.cos(theta), np.sin(theta)
    rays = np.stack([cos**2, 2 * cos * sin, sin**2], axis=-1)
    norms = np.linalg.norm(rays, axis=-1)
    return rays / norms[..., None], norms


def binary_form_parameters(coeffs, width: int = 2) -> np.ndarray:
    """Parameters of a (2, width, 1) network with ``sigma = z^2`` computing a given form.

    The symmetric matrix of ``a x^2 + b xy + c y^2`` is ``[[a, b/2], [b/2, c]]``; its
    spectral decomposition writes the form as ``lambda_1 (e_1 . x)^2 + lambda_2 (e_2 . x)^2``
    with real ``lambda_i`` of any sign. So the hidden weights are the eigenvectors and
    the output weights the eigenvalues: **width two reaches every real binary quadratic
    form**. Extra neurons (``width > 2``) get zero weights.

    Parameters
    ----------
    coeffs : array_like, shape (..., 3)
    width : int, at least 2

    Returns
    -------
    numpy.ndarray, shape (..., 3 * width)
        Flat parameters of ``Architecture((2, width, 1), 2)``.

    Examples
    --------
    >>> from nagviz import Architecture, coefficients
    >>> arch = Architecture((2, 2, 1), 2)
    >>> theta = binary_form_parameters([1.0, 0.0, -1.0])          # x^2 - y^2
    >>> coefficients(arch, theta).round(12).tolist()
    [[1.0, 0.0, -1.0]]
    """
    if width < 2:
        raise ValueError("one neuron only reaches the cone b^2 = 4ac; use width >= 2")
    C = np.asarray(coeffs, dtype=float)
    Q = np.empty(C.shape[:-1] + (2, 2))
    Q[..., 0, 0], Q[..., 1, 1] = C[..., 0], C[..., 2]
    Q[..., 0, 1] = Q[..., 1, 0] = C[..., 1] / 2
    lam, vecs = np.linalg.eigh(Q)
    W1 = np.zeros(C.shape[:-1] + (width, 2))
    W1[..., :2, :] = np.swapaxes(vecs, -1, -2)  # rows = eigenvectors
    W2 = np.zeros(C.shape[:-1] + (width,))
    W2[..., :2] = lam
    return np.concatenate([W1.reshape(C.shape[:-1] + (2 * width,)), W2], axis=-1)
