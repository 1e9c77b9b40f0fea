"""Inner products on the ambient space of coefficient vectors, and random targets.

The squared loss of a network is ``|| f_w - t ||_G^2 = (c(w) - t)^T G (c(w) - t)`` for a
Gram matrix ``G`` (:func:`inner_product_matrix`): the Euclidean inner product of
coefficients, the Bombieri–Weyl one (invariant under rotations of the inputs), or the
one of a Gaussian data distribution (``G = E[m(x) m(x)^T]``, so that the loss is the
expected squared error). :func:`sample_targets` draws targets that are standard
Gaussian in a ``G``-orthonormal basis.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import math

import numpy as np

from .cache import memoize
from .model import as_model
from .architecture import Architecture  # noqa: F401  (the Examples use it)

__all__ = [
    "inner_product_matrix",
    "sample_targets",
    "gram_factor",
]


def _gaussian_moment(k: int, s: float) -> float:
    return 0.0 if k % 2 else float(math.prod(range(k - 1, 0, -2))) * s ** k


@memoize(maxsize=64)
def _inner_product_cached(arch, kind: str, input_scale: float) -> np.ndarray:
    E = np.array(arch.monomials(), dtype=int)
    M = E.shape[0]
    if kind in ("euclidean", "identity"):
        block = np.eye(M)
    elif kind == "bombieri":
        deg = E.sum(axis=1)
        block = np.diag([math.prod(math.factorial(int(x)) for x in e) / math.factorial(int(s))
                         for s, e in zip(deg, E)])
    elif kind == "gaussian":
        block = np.empty((M, M))
        for a in range(M):
            for b in range(M):
                block[a, b] = math.prod(_gaussian_moment(int(x), input_scale)
                                        for x in E[a] + E[b])
    else:
        raise ValueError(f"unknown inner product {kind!r}; use 'euclidean', 'bombieri', "
                         "'gaussian' or a positive-definite matrix")
    outputs = arch.ambient_dimension // M
    G = np.kron(np.eye(outputs), block)
    G.setflags(write=False)
    return G


def inner_product_matrix(arch, inner_product="euclidean", input_scale: float = 1.0) -> np.ndarray:
    """The Gram matrix ``G`` of an inner product on the ambient space of coefficient vectors.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    inner_product : str or array_like
        * ``"euclidean"``: the standard inner product of coefficient vectors;
        * ``"bombieri"``: the Bombieri–Weyl inner product, ``<x^a, x^a> = a! / |a|!``
          (invariant under rotations of the inputs, within each degree);
        * ``"gaussian"``: the data inner product ``E[f(x) g(x)]`` for inputs
          ``x ~ N(0, input_scale^2 I)``: the loss is then the expected squared error;
        * a symmetric positive-definite matrix.
    input_scale : float, default 1
        Standard deviation of the inputs for ``"gaussian"``: a slider for the data
        distribution (larger inputs weigh high-degree monomials more).

    Examples
    --------
    >>> a = Architecture((1, 1, 1), "z^3 + z^2")       # monomials x^2, x^3
    >>> inner_product_matrix(a, "gaussian").tolist()    # E[x^4] = 3, E[x^5] = 0, E[x^6] = 15
    [[3.0, 0.0], [0.0, 15.0]]
    >>> inner_product_matrix(Architecture((2, 1, 1), 2), "bombieri").diagonal().tolist()
    [1.0, 0.5, 1.0]
    """
    arch = as_model(arch)
    if isinstance(inner_product, str):
        return _inner_product_cached(arch, inner_product.lower(), float(input_scale))
    G = np.asarray(inner_product, dtype=float)
    n = arch.ambient_dimension
    if G.shape != (n, n) or not np.allclose(G, G.T):
        raise ValueError(f"the inner product must be a symmetric {n} x {n} matrix")
    if np.linalg.eigvalsh(G).min() <= 0:
        raise ValueError("the inner product matrix must be positive definite")
    return G


def gram_factor(G) -> np.ndarray:
    """The upper Cholesky factor ``R`` of a Gram matrix: ``G = R^T R``.

    With it the loss ``(c - t)^T G (c - t)`` is the plain squared norm ``||R c - R t||^2``.

    Examples
    --------
    >>> gram_factor(np.array([[4.0, 2.0], [2.0, 5.0]])).tolist()
    [[2.0, 1.0], [0.0, 2.0]]
    """
    return np.linalg.cholesky(G).T


def sample_targets(arch, n_targets: int, inner_product="euclidean", input_scale: float = 1.0,
                   seed=0) -> np.ndarray:
    """Gaussian targets in the ambient space, standard for the chosen inner product.

    ``t = R^{-1} z`` with ``z ~ N(0, I)`` and ``G = R^T R``: the coordinates of ``t`` in
    a ``G``-orthonormal basis are independent standard normals.

    Returns
    -------
    numpy.ndarray, shape (n_targets, ambient_dimension)

    Examples
    --------
    >>> sample_targets(Architecture((2, 2, 1), "z^3 + z^2"), 3, seed=0).shape
    (3, 7)
    """
    arch = as_model(arch)
    R = gram_factor(inner_product_matrix(arch, inner_product, input_scale))
    z = np.random.default_rng(seed).standard_normal((int(n_targets), arch.ambient_dimension))
    return np.linalg.solve(R, z.T).T
