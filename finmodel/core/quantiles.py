"""The inverse CDF of the Beta distribution, fast: polynomial pieces built once per shape.

Every uncertain input is drawn by its inverse CDF applied to uniforms (decision 0002).
For a Beta (and so a PERT, and the default ``Range``) with neither parameter 1 there is
no closed form, and ``scipy.special.betaincinv`` costs about a microsecond per value.
:func:`beta_quantile` builds, once per shape, a table of polynomial pieces that gives
the same values to within 1e-12 for a few tens of nanoseconds each.

Notes
-----
**Method.** The unit interval of :math:`u` is cut into three regions, each covered by
polynomial pieces of degree 7 on a uniform grid, so that the piece of a value is found
by a multiplication and a floor, with no search:

* the body, :math:`1/32 \\le u < 31/32`: 240 pieces of width 1/256 in :math:`u`;
* the left tail, :math:`2^{-56} \\le u < 1/32`: pieces of :math:`x` in
  :math:`t = u^{1/a}`;
* the right tail, :math:`u \\ge 31/32`: pieces of :math:`1 - x` in
  :math:`s = (1 - u)^{1/b}` (the left tail of Beta(b, a)).

Near 0 the CDF is :math:`F(x) = x^a / (a B(a, b)) \\, (1 + O(x))`, so :math:`x` is an
analytic function of :math:`t` (:math:`x = t \\, g(t)`, :math:`g(0) = (a B(a, b))^{1/a}`):
the branch point that stops polynomials in :math:`u` from following the quantile near
:math:`u = 0` is gone. The pieces in :math:`u` start 8 piece widths from either end, so
their nearest singularity (:math:`u = 0` or 1) is at least 8 widths away; the tail grids
keep 12 of their widths from :math:`t = 1` (where :math:`u = 1`), with 8 to 256 pieces
(at most about 125 for any :math:`a`, as the grid starts at :math:`u = 2^{-56}`, a
quarter of the least uniform the engine draws). Below :math:`2^{-56}` values come from
Newton's method on ``log betainc`` in :math:`\\log x`, started from the power law.

Each piece interpolates the exact quantile (``scipy.special.betaincinv``) at the 8
Chebyshev points of the second kind, ends included, so neighbouring pieces share their
end values. A piece is stored as a polynomial in its local variable
:math:`r \\in [0, 1)` and evaluated by Horner's rule: per value, eight table look-ups
and fourteen multiplications and additions, over all values at once in blocks that fit
the processor's cache. Each value depends only on its own uniform, so results do not
depend on how the uniforms are split into chunks.

**Error.** After building, the table is compared with ``betaincinv`` in the middle of
every piece, where the interpolation error is largest. It is used only if every
difference is at most 1e-12 (absolute in the body; relative to :math:`x`, or to
:math:`1 - x` before rounding, in the tails), the tails' nodes satisfy
:math:`F(x) = u` (``betaincinv`` gives NaN for Beta(1.03, 0.375) at
:math:`u = 2^{-54}`, for one; such nodes are solved again by the Newton's method above),
and the values at the nodes and check points increase with :math:`u`; otherwise
:func:`beta_quantile` falls back to ``betaincinv``. Compared with
``scipy.stats.beta.ppf`` on dense grids of :math:`u` from 1e-15 to :math:`1 - 10^{-15}`
(``tests/test_quantiles.py``, and once for 400 PERT shapes and a 25 by 25 grid of
Betas with :math:`0.3 \\le a, b \\le 60`), the largest absolute error found is 2.5e-14,
the largest relative error in the left tail 6e-14; the stated bound is 1e-10. Larger
shapes, up to :math:`10^8`, are tabulated as accurately; much smaller ones
(:math:`a = 0.01`) fall back. Values lie in [0, 1]; :math:`u` outside [0, 1], or NaN,
gives NaN.

The values do not decrease as :math:`u` increases, even between neighbouring
floating-point numbers: each piece is nudged at build time, by rounding-sized amounts,
so that it ends at or below where the next one begins; a piece whose ends are within a
few units in the last place of each other is a straight line; and tail values are
capped at the body's values where they meet. One exception: in the first piece of the
left tail, where :math:`x` is small against its own increase, a shape with :math:`b`
below 1 can map neighbouring floating-point numbers to values one unit in the last
place out of order (about 3 in 100,000 such pairs for Beta(4.2, 0.3);
``betaincinv`` does so for about 6 in 100 pairs).

``betaincinv(a, a, 0.5)`` is wrong by about 1e-8 for some :math:`a` below 1.1 (0.428
and 1.022, for example; other :math:`u` are fine), so the node at :math:`u = 1/2` of a
symmetric shape is set to its exact value, 1/2.

**Cost.** Building a table takes 2,050 to 4,200 values of ``betaincinv`` (1,681 nodes of
the body, 240 checks, 140 to 2,250 for the tails), 2 to 6 ms, and takes 17 to 33 KB;
:func:`beta_quantile` keeps the last 4,096 shapes.

**Why this way.** Newton steps on ``betainc`` per value cost hundreds of nanoseconds
(``betainc`` alone does). numpy's ``Generator.beta`` is a rejection sampler (about
60 ns), whose use of the random stream varies, which decision 0002 rules out. An
adaptive grid (as in the PINV method of Derflinger, Hörmann and Leydold, ACM TOMACS
20(4), 2010) needs fewer pieces but a search per value, which costs more than the
look-ups it saves. Table look-ups dominate the cost of a value, so the degree is the
lowest that reaches about 1e-14 with a build of a few milliseconds: degree 6 on the
same grid is 30 times less accurate, degree 5 needs twice the pieces and is still at
2e-12, and degree 9 on half the pieces builds faster but costs two more look-ups per
value.

Examples
--------
>>> import numpy as np
>>> from scipy import stats
>>> q = beta_quantile(3.0, 3.0)  # the default Range's PERT
>>> u = np.array([1e-12, 0.05, 0.5, 0.95])
>>> bool(np.allclose(q(u), stats.beta(3, 3).ppf(u), rtol=1e-12, atol=0))
True
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import special

from finmodel.core import compiled

__all__ = ["BetaQuantile", "beta_quantile"]

DEGREE = 7  # of every polynomial piece
CELLS = 256  # body pieces per unit of u: a power of two, so u * CELLS is exact
TAIL = 8 / CELLS  # below TAIL (at or above 1 - TAIL) a uniform is in the left (right) tail
SMALLEST = 2.0**-56  # the left tail's table starts here (a quarter of the engine's least uniform)
TAIL_MARGIN = 12  # tail pieces that would fit between the last one and t = 1, at least
TAIL_CELLS = (8, 256)  # fewest and most tail pieces
TOLERANCE = 1e-12  # largest error the build's check allows (absolute; relative in the tails)
SOLVE_STEPS = 12  # Newton steps of _solve_small
BLOCK = 32_768  # values per pass (about 1 MB of working arrays: fits the cache)


@functools.cache
def _nodes(degree: int) -> np.ndarray:
    """Chebyshev points of the second kind on [0, 1]: the interpolation nodes of a piece."""
    return (1.0 - np.cos(np.pi * np.arange(degree + 1) / degree)) / 2.0


@functools.cache
def _to_monomial(degree: int) -> np.ndarray:
    """Matrix taking the values at :func:`_nodes` to monomial coefficients in ``r``.

    The inverse of the Vandermonde matrix, computed exactly in rationals (in floating
    point, its entries of up to 7e3 come out about 1e-9 off) and rounded once.
    """
    nodes = [Fraction(float(r)) for r in _nodes(degree)]
    rows = []
    for j, rj in enumerate(nodes):
        poly = [Fraction(1)]  # Lagrange basis polynomial j, lowest power first
        for m, rm in enumerate(nodes):
            if m != j:
                poly = [
                    ((poly[k - 1] if k else 0) - rm * (poly[k] if k < len(poly) else 0)) / (rj - rm)
                    for k in range(len(poly) + 1)
                ]
        rows.append([float(c) for c in poly])
    return np.array(rows).T


def _fit(values: np.ndarray) -> np.ndarray:
    """Monomial coefficients, shape ``(degree + 1, pieces)``, of the interpolants of ``values``.

    ``values`` has one row per piece, its values at the ``degree + 1`` nodes. The line
    through the end values is taken out first, so rounding in the matrix acts only on
    the small remainder.
    """
    degree = values.shape[1] - 1
    first, last = values[:, 0], values[:, -1]
    rest = values - (first[:, None] + (last - first)[:, None] * _nodes(degree))
    coef = _to_monomial(degree) @ rest.T
    coef[0] = first  # exactly: the first node is r = 0
    coef[1] += last - first
    # within a few units in the last place (where x rounds to 1, say), a straight line:
    # it is as accurate, and rounding cannot make it decrease
    line = last - first <= 8 * np.spacing(np.abs(last))
    coef[1, line] = (last - first)[line]
    coef[2:, line] = 0.0
    return coef


def _end_at_or_below(coef: np.ndarray, ends: np.ndarray) -> None:
    """Lower, in place, the slope of each piece whose value at ``r = 1``, as
    :func:`_horner` computes it, exceeds ``ends`` (the next piece's start), by the
    excess, so that values increase across the boundary too."""
    for _ in range(4):
        end = coef[-1].copy()
        for row in coef[-2::-1]:
            end += row
        excess = np.maximum(end - ends, 0.0)
        if not excess.any():
            return
        coef[1] -= excess


def _horner(coef: np.ndarray, i: np.ndarray, r: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """``out[k] = sum_j coef[j, i[k]] * r[k]**j``, in place (indices clipped to the table)."""
    np.take(coef[-1], i, out=out, mode="clip")
    for row in coef[-2::-1]:
        out *= r
        out += np.take(row, i, out=tmp, mode="clip")


def _solve_small(p: float, q: float, w: np.ndarray) -> np.ndarray:
    """``x`` with ``betainc(p, q, x) = w`` for small ``w``, by Newton's method on
    ``log F(x) = log w`` in ``log x``, from the power law ``x = (w p B(p, q))**(1/p)``
    (which stands where ``x`` underflows). 0 for 0, NaN for negative ``w``."""
    log_beta = special.betaln(p, q)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_x = (np.log(w) + math.log(p) + log_beta) / p
        for _ in range(SOLVE_STEPS):
            x = np.exp(log_x)
            cdf = special.betainc(p, q, x)
            log_pdf = (p - 1) * log_x + (q - 1) * np.log1p(-x) - log_beta
            step = (np.log(cdf) - np.log(w)) * cdf / np.exp(log_pdf + log_x)
            log_x = np.where(np.isfinite(step), log_x - step, log_x)
    return np.exp(log_x)


def _local(pieces: int, points: np.ndarray) -> np.ndarray:
    """``points`` of [0, 1] in each of ``pieces`` pieces of width 1: one row per piece."""
    return np.arange(pieces)[:, None] + points


@dataclass(frozen=True, eq=False)
class _Tail:
    """The left tail of Beta(p, q): ``y`` as pieces in ``t = w**(1/p)`` for
    ``SMALLEST <= w < TAIL``; below ``SMALLEST``, :func:`_solve_small`."""

    p: float
    q: float
    coef: np.ndarray  # (DEGREE + 1, pieces)
    start: float  # t at w = SMALLEST
    scale: float  # pieces per unit of t

    @classmethod
    def build(cls, p: float, q: float) -> tuple[_Tail, float]:
        """The tail and the largest relative error its check finds (``inf`` if its values
        do not increase)."""
        start, end = SMALLEST ** (1.0 / p), TAIL ** (1.0 / p)  # t at either end
        need = TAIL_MARGIN * (end - start) / (1.0 - end)
        pieces = min(max(TAIL_CELLS[0], math.ceil(need)), TAIL_CELLS[1])
        width = (end - start) / pieces
        nodes = (start + _local(pieces, _nodes(DEGREE)) * width) ** p  # in w
        y = special.betaincinv(p, q, nodes)
        # betaincinv can fail where w is tiny (NaN for Beta(1.03, 0.375) at w = 2**-54):
        # check the nodes with the CDF itself, and solve again where it is wrong
        wrong = ~(np.abs(special.betainc(p, q, y) - nodes) <= 1e-6 * nodes)
        if wrong.any():
            y[wrong] = _solve_small(p, q, nodes[wrong])
            wrong = ~(np.abs(special.betainc(p, q, y) - nodes) <= 1e-6 * nodes)
        coef = _fit(y)
        _end_at_or_below(coef, y[:, -1])
        tail = cls(p, q, coef, start, 1.0 / width)
        w = (start + _local(pieces, np.array([0.5])) * width).ravel() ** p
        found, exact = tail(w), special.betaincinv(p, q, w)
        with np.errstate(divide="ignore", invalid="ignore"):
            error = np.max(np.where(found == exact, 0.0, np.abs(found - exact) / exact))
        ordered = tail(np.sort(np.concatenate([nodes[:, :-1].ravel(), w])))
        if wrong.any() or not (np.all(np.diff(y.ravel()) >= 0) and np.all(np.diff(ordered) >= 0)):
            error = math.inf
        return tail, float(error)

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """``y`` for ``w`` in [0, TAIL]; NaN for ``w`` below 0 or NaN."""
        with np.errstate(invalid="ignore"):  # NaN: its index is junk, its value NaN
            v = np.power(w, 1.0 / self.p)
            v -= self.start
            v *= self.scale
            piece = np.clip(np.floor(v), 0, self.coef.shape[1] - 1)
            v -= piece
            y = np.empty_like(v)
            _horner(self.coef, piece.astype(np.intp), v, y, tmp=piece)
        tiny = np.flatnonzero(w < SMALLEST)  # never from the engine's uniforms
        if tiny.size:
            y[tiny] = np.minimum(_solve_small(self.p, self.q, w[tiny]), self.coef[0, 0])
        return y


@dataclass(frozen=True, eq=False)
class _Table:
    """The pieces of one shape: body, tails, and the body's values where the tails meet it."""

    body: np.ndarray  # (DEGREE + 1, CELLS + 1); the columns of tail pieces are unused
    left: _Tail  # of x, for u < TAIL
    right: _Tail  # of 1 - x in 1 - u, for u >= 1 - TAIL
    edges: tuple[float, float]  # x at u = TAIL and at u = 1 - TAIL

    @classmethod
    def build(cls, a: float, b: float) -> tuple[_Table | None, float]:
        """The table of Beta(a, b) and the largest error its check finds: absolute in the
        body, relative in the tails (a bound on the absolute error there, as ``y < 1``);
        ``inf`` if its values do not increase. None if a tail cannot be tabulated at all
        (its ends in ``t`` are equal, or ``t = 1``, in floating point)."""
        if not all(SMALLEST ** (1.0 / p) < TAIL ** (1.0 / p) < 1.0 for p in (a, b)):
            return None, math.inf
        first, last = round(TAIL * CELLS), round((1 - TAIL) * CELLS)
        pieces = last - first
        u = np.append((first + _local(pieces, _nodes(DEGREE)[:-1])).ravel(), last) / CELLS
        x = special.betaincinv(a, b, u)
        if a == b:
            x[u == 0.5] = 0.5  # by symmetry; betaincinv can be 1e-8 off there
        values = x[np.arange(pieces)[:, None] * DEGREE + np.arange(DEGREE + 1)]
        body = np.zeros((DEGREE + 1, CELLS + 1))
        body[:, first:last] = _fit(values)
        _end_at_or_below(body[:, first:last], values[:, -1])
        left, left_error = _Tail.build(a, b)
        right, right_error = _Tail.build(b, a)
        table = cls(body, left, right, (float(x[0]), float(x[-1])))
        check = (first + _local(pieces, np.array([0.5]))).ravel() / CELLS
        body_error = np.max(np.abs(table._body(check) - special.betaincinv(a, b, check)))
        ordered = table._body(np.sort(np.concatenate([u[:-1], check])))
        if not (np.all(np.diff(x) >= 0) and np.all(np.diff(ordered) >= 0)):
            body_error = math.inf
        return table, float(np.max([body_error, left_error, right_error]))

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """The quantiles of the flat array ``u``."""
        kernel = compiled.load("pieces") if DEGREE == 7 else None
        if kernel is not None and u.dtype == np.float64:  # the body, and where the tails are, in one pass
            out = np.empty(u.size)
            low, high = np.empty(u.size, dtype=np.intp), np.empty(u.size, dtype=np.intp)
            n_low, n_high = kernel.pieces_and_tails(self._rows, u, out, float(CELLS), TAIL, low, high)
            low, high = low[:n_low], high[:n_high]
        else:
            out = self._body(u)
            low = np.flatnonzero(u < TAIL)
            high = np.flatnonzero(u >= 1.0 - TAIL)
        if low.size:
            out[low] = np.minimum(self.left(u[low]), self.edges[0])
        if high.size:
            out[high] = np.maximum(1.0 - self.right(1.0 - u[high]), self.edges[1])
        return out

    @functools.cached_property
    def _rows(self) -> np.ndarray:
        """The body's coefficients one piece per row (pieces, DEGREE + 1), for the compiled loop."""
        return np.ascontiguousarray(self.body.T)

    def _body(self, u: np.ndarray) -> np.ndarray:
        """The body's pieces at every ``u`` of a flat array (meaningless in the tails), by
        numpy: the build's checks, and calls without compiled loops (``__call__`` has the
        compiled pass)."""
        n = u.size
        out = np.empty(n)
        size = min(n, BLOCK)
        r, tmp, i = np.empty(size), np.empty(size), np.empty(size, dtype=np.intp)
        with np.errstate(invalid="ignore"):  # a NaN uniform: its index is junk, its value NaN
            for start in range(0, n, BLOCK):
                stop = min(n, start + BLOCK)
                m = stop - start
                np.multiply(u[start:stop], CELLS, out=r[:m])
                np.floor(r[:m], out=tmp[:m])
                np.copyto(i[:m], tmp[:m], casting="unsafe")
                r[:m] -= tmp[:m]
                _horner(self.body, i[:m], r[:m], out[start:stop], tmp[:m])
        return out


@dataclass(frozen=True, eq=False)
class BetaQuantile:
    """The inverse CDF of Beta(a, b) on [0, 1], as a table of polynomial pieces.

    Get one from :func:`beta_quantile`, which keeps the tables it builds, and call it
    on uniforms. The module's Notes give the method and its accuracy.

    Parameters
    ----------
    a, b : float
        The shape parameters (positive).
    table : _Table or None
        The polynomial pieces; None when they failed the build's check, and
        ``scipy.special.betaincinv`` gives the values instead.
    error : float
        The largest error the build's check found: absolute in the body, relative to
        ``x`` (``1 - x``) in the left (right) tail; ``inf`` if the check failed.

    Examples
    --------
    >>> import numpy as np
    >>> q = beta_quantile(2.0, 5.0)
    >>> q.tabulated, q.error < 1e-12
    (True, True)
    >>> round(float(q(0.5)), 6)
    0.26445
    >>> q(np.array([0.0, 1.0, 1.5]))
    array([ 0.,  1., nan])
    """

    a: float
    b: float
    table: _Table | None
    error: float

    @property
    def tabulated(self) -> bool:
        """Whether values come from the table (True) or from ``betaincinv`` (False)."""
        return self.table is not None

    @classmethod
    def build(cls, a: float, b: float) -> BetaQuantile:
        """Build and check the table for Beta(a, b); without one if the check fails.

        Examples
        --------
        >>> BetaQuantile.build(3.0, 3.0).tabulated
        True
        >>> BetaQuantile.build(0.01, 2.0).tabulated  # x spans 150 orders of magnitude
        False
        """
        table, error = _Table.build(a, b)
        if table is not None and error <= TOLERANCE:
            return cls(a, b, table, error)
        return cls(a, b, None, math.inf)

    def __call__(self, u: np.ndarray | float | list[float]) -> np.ndarray:
        """The quantiles of the uniforms ``u``: an array of the same shape as ``u``.

        ``u`` outside [0, 1], or NaN, gives NaN.

        Examples
        --------
        >>> q = beta_quantile(3.0, 3.0)
        >>> q([0.25, 0.5, 0.75]).round(6)
        array([0.359436, 0.5     , 0.640564])
        """
        u = np.asarray(u, dtype=float)
        if self.table is None:
            return special.betaincinv(self.a, self.b, u)
        out = self.table(u.ravel()).reshape(u.shape)
        return out if out.ndim else out[()]


@functools.lru_cache(maxsize=4096)
def beta_quantile(a: float, b: float) -> BetaQuantile:
    """The inverse CDF of Beta(a, b), built on first use and kept for the next.

    Keeps the 4,096 shapes used last: a model with that many different Beta or PERT
    shapes builds each once (a few milliseconds each).

    Parameters
    ----------
    a, b : float
        Positive shape parameters.

    Examples
    --------
    >>> q = beta_quantile(1.5, 4.5)  # a PERT with its mode an eighth of the way up
    >>> q is beta_quantile(1.5, 4.5)
    True
    """
    return BetaQuantile.build(float(a), float(b))
