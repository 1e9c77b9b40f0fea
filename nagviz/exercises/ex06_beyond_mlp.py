"""Checks for ``exercises/06_beyond_mlp.ipynb``: convolutional networks, attention, ReLU.

The expected answers are computed with nagviz (:func:`nagviz.dimension`,
:func:`nagviz.cnn.real_factorization`, :func:`nagviz.relu.linear_regions`,
:func:`nagviz.approximation.degree_for_accuracy`), never typed in.

Examples
--------
>>> from nagviz.exercises import check
>>> bool(check("06.1", 7))
True
>>> check("06.1", 9).message.startswith("That is the number of parameters")
True
>>> bool(check("06.4", (32, 27)))
True
"""

from __future__ import annotations

import numpy as np

from .answers import Collection, Choice, Integer, Tuple
from .checking import Mistake, exercise

#: exercise 06.2: the target filter 1 + t^4 and three LCNs
TARGET_06_2 = (1.0, 0.0, 0.0, 0.0, 1.0)
CANDIDATES_06_2 = {"A": (3, 3), "B": (2, 4), "C": (2, 2, 2, 2)}
#: exercise 06.5: f(x, y) = relu(x) + relu(y) + relu(x + y - 1)
RELU_06_5 = (np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([0.0, 0.0, -1.0]))


@exercise(
    "06.1",
    Integer(),
    title="The dimension of a linear convolutional network",
    hints=[
        "The end-to-end filter of a stride-one LCN is the product of the filters, read as "
        "polynomials: a filter of size $k$ is a polynomial of degree $k - 1$.",
        "Which products can you get over $\\mathbb{C}$? Every polynomial of the right "
        "degree factors there. How many coefficients does the product have?",
    ],
    mistakes=[
        Mistake("That is the number of parameters. Scaling one filter by $t$ and another by "
                "$1/t$ does not change the product.", equals=9),
        Mistake("One scaling is lost between consecutive filters, $L - 1$ in all, not $L$: "
                "the overall scale of the product is a genuine direction.", equals=6),
    ],
    explanation=(
        "$\\sum k_i - (L - 1) = 7$: every polynomial of degree 6 factors over $\\mathbb{C}$ into "
        "factors of degrees 3, 2 and 1, so the network fills its 7-dimensional space."
    ),
)
def lcn_dimension():
    from ..cnn import CNNArchitecture
    from ..jacobian_rank import dimension

    return dimension(CNNArchitecture((4, 3, 2))).dimension


@exercise(
    "06.2",
    Collection(Choice(*CANDIDATES_06_2)),
    title="Which real LCNs compute the filter 1 + t^4?",
    hints=[
        "Find the roots of $1 + t^4$ in the complex plane. How many are real?",
        "A real factor of odd degree has a real root. Which candidates have a filter of even "
        "size, i.e. a factor of odd degree?",
        "$1 + t^4 = (t^2 + \\sqrt{2}\\,t + 1)(t^2 - \\sqrt{2}\\,t + 1)$.",
    ],
    mistakes=[
        Mistake("Over $\\mathbb{C}$ every candidate works, but the filters are real: a factor of "
                "odd degree (an even filter size) needs a real root, and $1 + t^4$ has none.",
                when=lambda a: len(a) == 3),
        Mistake("$1 + t^4$ has no real root, but it does split into two real quadratics.",
                when=lambda a: len(a) == 0),
    ],
    explanation=(
        "The four roots $e^{\\pm i\\pi/4}, e^{\\pm 3i\\pi/4}$ come in two conjugate pairs; two "
        "quadratic factors can take one pair each, while a linear factor would need a real root."
    ),
)
def reachable_lcns():
    from ..cnn import real_factorization

    return [k for k, sizes in CANDIDATES_06_2.items()
            if real_factorization(np.array(TARGET_06_2), sizes) is not None]


@exercise(
    "06.3",
    Tuple(Integer(), Integer(), names=("ambient dimension", "dimension")),
    title="What a stride changes",
    hints=[
        "With strides $(2, 1)$ the first layer reads $x_{2j}, x_{2j+1}$: the end-to-end filter "
        "is $w_1(t)\\,w_2(t^2)$. Multiply it out for $w_1 = a + bt$, $w_2 = c + dt$.",
        "Arrange the four coefficients in a $2 \\times 2$ matrix. What is its rank?",
    ],
    mistakes=[
        Mistake("That is the stride-one network: with stride 2 the filter is longer, "
                "$w_1(t) w_2(t^2)$ has four coefficients.", equals=(3, 3)),
        Mistake("Four coefficients, but not every filter of length 4 is reached: the "
                "coefficients $ac, bc, ad, bd$ satisfy one equation.", equals=(4, 4)),
    ],
    explanation=(
        "The filter $ac + bc\\,t + ad\\,t^2 + bd\\,t^3$ is the $2\\times 2$ rank-one matrix "
        "$(a, b)^\\top (c, d)$ read row by row: dimension 3 in a 4-dimensional space, a "
        "hypersurface (the determinant vanishes), no longer filling."
    ),
)
def strided_lcn():
    from ..cnn import CNNArchitecture
    from ..jacobian_rank import dimension

    r = dimension(CNNArchitecture((2, 2), strides=(2, 1)))
    return (r.ambient_dimension, r.dimension)


@exercise(
    "06.4",
    Tuple(Integer(), Integer(), names=("parameters", "dimension")),
    title="Parameters and dimension of a lightning attention layer",
    hints=[
        "$Q$ and $K$ are $a \\times d$, $V$ is $d \\times d$.",
        "Only $Q^\\top K$ matters: $Q \\to AQ$, $K \\to A^{-\\top}K$ for any invertible $A$. "
        "It is a $d \\times d$ matrix of rank at most $a$.",
        "The output is also unchanged by $Q \\to tQ$, $V \\to V/t$.",
    ],
    mistakes=[
        Mistake("You removed the $GL(a)$ symmetry but not the rescaling between $Q^\\top K$ and "
                "$V$.", when=lambda a: a[1] == 28),
        Mistake("You removed the rescaling but not the $GL(a)$ symmetry of $(Q, K)$: only "
                "$Q^\\top K$ matters.", when=lambda a: a[1] == 31),
        Mistake("The parameters are $2ad + d^2$: two $a \\times d$ matrices and one "
                "$d \\times d$.", when=lambda a: a[0] != 32),
    ],
    explanation=(
        "$a(2d - a) + d^2 - 1 = 12 + 16 - 1 = 27$: matrices of rank at most 2 in "
        "$4 \\times 4$ have dimension $2(8 - 2) = 12$, $V$ adds 16, and one rescaling is lost."
    ),
)
def attention_layer():
    from ..attention import LightningAttention
    from ..jacobian_rank import dimension

    m = LightningAttention(1, 4, 2, tokens=3)
    return (m.n_parameters, dimension(m).dimension)


@exercise(
    "06.5",
    Integer(),
    title="Linear regions of a tiny ReLU network",
    hints=[
        "Each hidden neuron switches on or off along a line: here $x = 0$, $y = 0$ and "
        "$x + y = 1$.",
        "Draw the three lines. Not every on/off pattern of the three neurons occurs.",
    ],
    mistakes=[
        Mistake("$2^3 = 8$ on/off patterns, but three lines in general position cut the plane "
                "into fewer regions: one pattern never occurs.", equals=8),
        Mistake("Count again: the three lines also make a bounded triangle.", equals=6),
    ],
    explanation=(
        "Three lines in general position: $1 + 3 + \\binom{3}{2} = 7$ regions. The pattern "
        "'all off' ($x < 0$, $y < 0$, $x + y > 1$) is impossible."
    ),
)
def relu_regions():
    from ..relu import ReLUNetwork, linear_regions

    W, b = RELU_06_5
    net = ReLUNetwork((2, 3, 1), (W, np.ones((1, 3))), (b, np.zeros(1)))
    return linear_regions(net, (-1e3, 1e3, -1e3, 1e3)).count


def _relu_error(n):
    from ..approximation import approximate

    return approximate("relu", int(n), "chebyshev").max_error


@exercise(
    "06.6",
    Integer(),
    title="The degree needed to approximate ReLU",
    hints=[
        "Use `nagviz.approximation.approximate('relu', n, 'chebyshev').max_error` for a few "
        "degrees $n$.",
        "The error falls roughly like $1/n$; the curve is not monotone (odd and even degrees "
        "differ), so check every degree below your answer too.",
    ],
    mistakes=[
        Mistake("At that degree the maximum error on $[-1, 1]$ is still above 0.01.",
                when=lambda a: 0 <= a <= 400 and _relu_error(a) > 0.01),
        Mistake("That degree works, but a smaller one already does.",
                when=lambda a: 0 <= a <= 400 and _relu_error(a) <= 0.01),
    ],
    explanation=(
        "About 30: a hundred times smaller error would need a hundred times the degree. "
        "tanh, which is smooth, reaches the same accuracy at degree 3."
    ),
)
def relu_degree():
    from ..approximation import degree_for_accuracy

    return degree_for_accuracy("relu", 0.01, "chebyshev")
