"""Eckart-Young: the critical points of the Frobenius distance to matrices of rank ``<= k``.

For a target ``T`` with distinct non-zero singular values, the critical points of
``||X - T||_F^2`` over matrices of rank ``<= k`` are the sums of ``k`` of its singular
triples, ``binom(min(m, n), k)`` of them, all real; the nearest keeps the ``k`` largest.
:func:`eckart_young` lists them, :func:`rank_k_normal_residual` checks criticality without
the singular value decomposition of ``T``.

Numpy alone, so that :mod:`nagviz.linear_networks` can use it without sympy;
:mod:`nagviz.critical_points` offers the same names beside its other counts. Pure
mathematics: nothing here draws.

Examples
--------
>>> r = eckart_young(np.diag([3.0, 2.0, 1.0]), 2)
>>> r.count, np.diag(r.best).round(6).tolist()
(3, [3.0, 2.0, 0.0])
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ._results import LinesRepr

__all__ = ["EckartYoungResult", "eckart_young", "rank_k_normal_residual"]


@dataclass(frozen=True, repr=False)
class EckartYoungResult(LinesRepr):
    """Critical points of ``||X - T||_F^2`` over ``m x n`` matrices ``X`` of rank ``<= k``.

    Attributes
    ----------
    target : ndarray
    k : int
    subsets : tuple of tuple of int
        Which singular triples each critical point keeps.
    points : tuple of ndarray
        The critical points ``sum_{i in S} s_i u_i v_i^T``.
    distances : ndarray
        ``||X - T||_F`` at each, the square root of the sum of the discarded ``s_i^2``.
    singular_values : ndarray
    """

    target: np.ndarray
    k: int
    subsets: tuple
    points: tuple
    distances: np.ndarray
    singular_values: np.ndarray

    def plot(self, ax=None):
        """The distance of every critical point as bars, with matplotlib (:func:`nagviz.plotting.plot_eckart_young`); returns the matplotlib axes."""
        from .plotting import plot_eckart_young

        return plot_eckart_young(self, ax=ax)

    @property
    def count(self) -> int:
        """The number of critical points, ``binom(min(m, n), k)`` (all real)."""
        return len(self.points)

    @property
    def best(self) -> np.ndarray:
        """The global minimum: the ``k`` largest singular triples."""
        return self.points[int(np.argmin(self.distances))]

    def _lines(self):
        m, n = self.target.shape
        return [f"EckartYoungResult: {m}x{n} target, rank <= {self.k}, Frobenius norm",
                f"  {self.count} critical points = binom({min(m, n)}, {self.k}), all real",
                f"  singular values {np.round(self.singular_values, 4).tolist()}",
                f"  distances {np.round(np.sort(self.distances), 4).tolist()}"]


def eckart_young(target, k: int) -> EckartYoungResult:
    """All critical points of the Frobenius distance from ``target`` to rank ``<= k``.

    For a target with distinct non-zero singular values ``s_1 > ... > s_m`` the critical
    points of rank exactly ``k`` are the sums of ``k`` of its singular triples
    ``s_i u_i v_i^T``: ``binom(m, k)`` of them, every one real. The nearest one keeps the
    ``k`` largest (Eckart-Young).

    Examples
    --------
    >>> r = eckart_young(np.diag([3.0, 2.0, 1.0]), 1)
    >>> r.count, r.best.round(6).tolist()[0]
    (3, [3.0, 0.0, 0.0])
    """
    T = np.asarray(target, dtype=float)
    if T.ndim != 2 or min(T.shape) < 1 or not np.all(np.isfinite(T)):
        raise ValueError(f"the target must be a finite 2-D matrix, got shape {T.shape}")
    m = min(T.shape)
    if not 1 <= int(k) <= m:
        raise ValueError(f"k must be between 1 and min(m, n) = {m}, got {k}")
    k = int(k)
    U, s, Vt = np.linalg.svd(T, full_matrices=False)
    if np.min(np.abs(np.diff(s))) < 1e-12 * max(s[0], 1) or s[-1] < 1e-12 * max(s[0], 1):
        raise ValueError("the target is not generic: its singular values must be distinct "
                         "and non-zero")
    subsets = tuple(itertools.combinations(range(m), k))
    points = tuple(sum(s[i] * np.outer(U[:, i], Vt[i]) for i in S) for S in subsets)
    distances = np.array([math.sqrt(sum(s[i] ** 2 for i in range(m) if i not in S))
                          for S in subsets])
    return EckartYoungResult(T, k, subsets, points, distances, s)


def rank_k_normal_residual(X, target, k: int) -> float:
    """How far ``target - X`` is from the normal space of the rank-``k`` matrices at ``X``.

    ``X`` of rank ``k`` is critical for the distance from ``T`` exactly when ``N = T - X``
    has ``U^T N = 0`` and ``N V = 0`` for the column and row spaces ``U``, ``V`` of ``X``.
    Returns the largest entry of these two products (0 at a critical point): a check of
    :func:`eckart_young` that does not use the singular value decomposition of ``T``.

    Examples
    --------
    >>> T = np.array([[2.0, 1.0], [0.0, 1.0]])
    >>> all(rank_k_normal_residual(X, T, 1) < 1e-12 for X in eckart_young(T, 1).points)
    True
    >>> rank_k_normal_residual(np.diag([2.0, 0.0]), T, 1) > 0.1
    True
    """
    X, T = np.asarray(X, dtype=float), np.asarray(target, dtype=float)
    U, _, Vt = np.linalg.svd(X)
    N = T - X
    return float(max(np.abs(U[:, :k].T @ N).max(), np.abs(N @ Vt[:k].T).max()))
