"""The standard normal quantile and CDF, and the Gaussian copula's coupling step built on them.

Unlike the other loops here, these implement functions of their own rather than repeat
numpy's operations, so they are held to a stated accuracy, not to equality
(``tests/test_normal.py``):

* :func:`quantile`, Wichura's algorithm AS241 (PPND16; Applied Statistics 37, 1988): a
  rational function of ``0.180625 - (p - 1/2)**2`` in the centre (``|p - 1/2| <= 0.425``)
  and of ``sqrt(-log(min(p, 1 - p)))`` in the tails. Within 1e-15 of the exact value
  relatively, and within 2e-15 of scipy's ``ndtri``, for ``p`` from ``2**-54`` to
  ``1 - 2**-53``.
* :func:`cdf`, ``Phi(-|x|) = exp(-x**2 / 2) M(|x|)`` with ``M(a) = Phi(-a) exp(a**2 / 2)``,
  a smooth function from 1/2 down to 0.07 on ``[0, 4 sqrt(2)]``, taken there as one
  rational function of degree 8 over 8 with positive coefficients (fitted by
  ``tools/fit_normal_cdf.py``: relative error 4.4e-17); beyond, W. J. Cody's asymptotic
  ``erfc`` (Math. Comp. 23, 1969; netlib specfun CALERF) at ``|x| / sqrt(2)``.
  ``exp(-x**2 / 2)`` is taken as ``exp(-h**2 / 2) exp(-(|x| - h)(|x| + h) / 2)``, ``h``
  being ``|x|`` cut to a multiple of 1/512 and the first factor read from a table:
  ``x**2`` is never rounded, so the lower tail keeps its relative accuracy. Within 1e-15
  of the exact value relatively wherever that is a normal double (``x >= -37.5``).
  scipy's ``ndtr`` rounds ``x / sqrt(2)`` before squaring, so its own error grows as
  ``x**2 2**-52`` (1e-13 at ``x = -23``): the two agree within ``(8 + 2 x**2) 2**-52``.

Their polynomials are evaluated by Horner's rule, each step one fused multiply-add
(LLVM's ``llvm.fma``: rounded once, as IEEE 754 defines it, so every machine gives the
same number, by its own instruction or by a library call where it has none).

Both are written so that the compiler turns the common case into vector instructions:
the CDF has one formula up to ``|x| = 4 sqrt(2)``, the quantile one for its centre and
one for its near tails, and the logarithm is computed from the bits of the double
(fdlibm's method) rather than called.
The quantile's tails (about 15% of uniform values) are gathered, 8 values at a time by
:func:`~finmodel.core.compiled.vectors.packer` (a compress instruction where the
processor has one), and done in a pass of their own, so only they pay for the logarithm,
the square root and a second division.
The rare far tails (``min(p, 1 - p) < 1.4e-11``, ``|x| > 4 sqrt(2)``) and anything that
is not a probability or not finite go through a scalar pass afterwards.

:func:`couple_rows` is the coupling step of
:class:`finmodel.core.correlation.CorrelationGroup`: per trial, the members' normal
quantiles, mixed by the group's matrix and mapped back by the CDF, in blocks of trials
that stay in the processor's cache. Its results differ from the scipy path (compiled
loops off) in the last bits; the bound those differences obey is tested.
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from .vectors import packer, wide

__all__ = ["cdf", "couple", "couple_rows", "quantile"]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")
_inline = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")

SMALLEST = 2.0**-54  # a uniform of 0 is read as half a step of 2**-53
LARGEST = 1.0 - 2.0**-53  # the largest double below 1: a CDF that rounds up to 1 is kept below it
_BLOCK = 512  # trials per block in couple_rows: its work arrays stay in the first-level cache

# AS241 (PPND16): the centre, a rational function of t = 0.180625 - q**2 ...
_A = (
    2.5090809287301226727e3,
    3.3430575583588128105e4,
    6.7265770927008700853e4,
    4.5921953931549871457e4,
    1.3731693765509461125e4,
    1.9715909503065514427e3,
    1.3314166789178437745e2,
    3.3871328727963666080e0,
)
_B = (
    5.2264952788528545610e3,
    2.8729085735721942674e4,
    3.9307895800092710610e4,
    2.1213794301586595867e4,
    5.3941960214247511077e3,
    6.8718700749205790830e2,
    4.2313330701600911252e1,
    1.0,
)
# ... the tails, of r - 1.6 for r = sqrt(-log(min(p, 1 - p))) <= 5 ...
_C = (
    7.74545014278341407640e-4,
    2.27238449892691845833e-2,
    2.41780725177450611770e-1,
    1.27045825245236838258e0,
    3.64784832476320460504e0,
    5.76949722146069140550e0,
    4.63033784615654529590e0,
    1.42343711074968357734e0,
)
_D = (
    1.05075007164441684324e-9,
    5.47593808499534494600e-4,
    1.51986665636164571966e-2,
    1.48103976427480074590e-1,
    6.89767334985100004550e-1,
    1.67638483018380384940e0,
    2.05319162663775882187e0,
    1.0,
)
# ... and the far tails, of r - 5 for r > 5.
_E = (
    2.01033439929228813265e-7,
    2.71155556874348757815e-5,
    1.24266094738807843860e-3,
    2.65321895265761230930e-2,
    2.96560571828504891230e-1,
    1.78482653991729133580e0,
    5.46378491116411436990e0,
    6.65790464350110377720e0,
)
_F = (
    2.04426310338993978564e-15,
    1.42151175831644588870e-7,
    1.84631831751005468180e-5,
    7.86869131145613259100e-4,
    1.48753612908506148525e-2,
    1.36929880922735805310e-1,
    5.99832206555887937690e-1,
    1.0,
)

# Phi(-a) exp(a**2 / 2) = P(a) / Q(a) for 0 <= a <= 4 sqrt(2): a rational function of
# degree 8 over 8 fitted to this scaled Mills ratio by tools/fit_normal_cdf.py (relative
# error of these doubles 4.4e-17); every coefficient is positive, so Horner's rule adds
# no cancellation ...
_MILLS_P = (
    1.3903200553685614e-12,
    1.5310196151967784e-05,
    0.0003618890235115177,
    0.003994801319115037,
    0.02655914730292119,
    0.11486900244829996,
    0.3255763461067472,
    0.5684473162137296,
    0.5,
)
_MILLS_Q = (
    3.837719788758887e-05,
    0.0009071140824893863,
    0.010052005354442896,
    0.06747886207952715,
    0.2978954333808325,
    0.8806310175645388,
    1.694883139054691,
    1.9347791932303215,
    1.0,
)
# ... and beyond, Cody's erfc(y) = exp(-y**2) / y (1 / sqrt(pi) - z P(z) / Q(z)), y = a / sqrt(2),
# z = 1 / y**2.
_FAR_P = (
    1.63153871373020978e-2,
    3.05326634961232344e-1,
    3.60344899949804439e-1,
    1.25781726111229246e-1,
    1.60837851487422766e-2,
    6.58749161529837803e-4,
)
_FAR_Q = (
    1.0,
    2.56852019228982242e0,
    1.87295284992346047e0,
    5.27905102951428412e-1,
    6.05183413124413191e-2,
    2.33520497626869185e-3,
)
_SQRT_HALF = 0.70710678118654752440
_MIDDLE = 4.0 / _SQRT_HALF  # |x| up to which P / Q applies: the vector pass's range
_STEP = 512.0  # exp(-x**2 / 2) splits |x| at a multiple of 1 / _STEP
# exp(-(k / 512)**2 / 2): the argument is exact; math.exp rounds it once
_HALF_SQUARES = np.array([math.exp(-0.5 * (k / _STEP) ** 2) for k in range(int(_MIDDLE * _STEP) + 2)])
_TOP = _HALF_SQUARES.shape[0] - 1
# exp(-d) for 0 <= d < 0.0111 (d = (|x| - h) (|x| + h) / 2 with |x| <= _MIDDLE): Taylor to d**6, error < 4e-18
_EXP = tuple(1.0 / math.factorial(k) * (-1.0) ** k for k in range(6, -1, -1))

_LN2_HI = 6.93147180369123816490e-01  # ln 2 in two parts: k * _LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_LOG = (
    1.479819860511658591e-01,
    1.531383769920937332e-01,
    1.818357216161805012e-01,
    2.222219843214978396e-01,
    2.857142874366239149e-01,
    3.999999999940941908e-01,
    6.666666666666735130e-01,
)


def _bitcast(to: Any) -> Any:
    """An intrinsic that reads a 64-bit value as ``to`` without conversion."""
    target = ir.IntType(64) if to == types.int64 else ir.DoubleType()

    def typer(typingctx: Any, x: Any) -> Any:
        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            return builder.bitcast(args[0], target)

        return to(types.float64 if to == types.int64 else types.int64), codegen

    return intrinsic(typer)


_bits: Any = _bitcast(types.int64)  # the 64 bits of a double, as an integer
_double: Any = _bitcast(types.float64)  # the double whose 64 bits are the integer


def _fused(typingctx: Any, a: Any, b: Any, c: Any) -> Any:
    """An intrinsic: ``a * b + c`` rounded once (LLVM's ``llvm.fma``), as IEEE 754 defines
    it: the processor's fused multiply-add where it has one, a correctly rounded library
    call where it does not, the same number either way."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.fma(*args)

    return types.float64(types.float64, types.float64, types.float64), codegen


_fma: Any = intrinsic(_fused)


@_inline
def _horner(t: float, coefficients: tuple[float, ...]) -> float:
    """The polynomial with ``coefficients`` (highest power first) at ``t``, each step one
    fused multiply-add."""
    total = coefficients[0]
    for c in coefficients[1:]:
        total = _fma(total, t, c)
    return total


@_inline
def _log(x: float) -> float:
    """Natural logarithm of a positive normal double, within one unit in the last place.

    The method of fdlibm's ``log``: ``x = 2**k (1 + f)`` with ``1 + f`` in [sqrt(2)/2,
    sqrt(2)), then ``log(1 + f) = 2 atanh(s)``, ``s = f / (2 + f)``, as ``f - f**2/2 +
    s (f**2/2 + R(s**2))``. Written with integer operations on the bits, not a call, so
    that a loop of it is vectorised.
    """
    bits = _bits(x)
    mantissa = bits & 0x000FFFFFFFFFFFFF
    up = (mantissa + 0x00095F6400000000) & 0x0010000000000000  # set when 1 + f >= sqrt(2): halve it
    f = _double(mantissa | (up ^ 0x3FF0000000000000)) - 1.0
    k = float((bits >> 52) - 1023 + (up >> 52))
    s = f / (2.0 + f)
    z = s * s
    r = z * _horner(z, _LOG)
    half_square = 0.5 * f * f
    return k * _LN2_HI - ((half_square - (s * (half_square + r) + k * _LN2_LO)) - f)


@_inline
def _centre(p: float) -> float:
    """AS241's central approximation; the quantile for ``|p - 1/2| <= 0.425``."""
    q = p - 0.5
    t = 0.180625 - q * q
    return q * _horner(t, _A) / _horner(t, _B)


@_inline
def _tail(p: float) -> float:
    """AS241's tail approximations: the quantile for ``|p - 1/2| > 0.425``, ``p`` a normal
    double below 1."""
    r = math.sqrt(-_log(min(p, 1.0 - p)))
    near = r <= 5.0
    t = r - (1.6 if near else 5.0)
    z = (_horner(t, _C) if near else _horner(t, _E)) / (_horner(t, _D) if near else _horner(t, _F))
    return -z if p < 0.5 else z


@_inline
def _near_tail(p: float) -> float:
    """:func:`_tail` where ``1.4e-11 <= p <= 1 - 1.4e-11`` (so ``r <= 5``); wrong beyond."""
    t = math.sqrt(-_log(min(p, 1.0 - p))) - 1.6
    z = _horner(t, _C) / _horner(t, _D)
    return -z if p < 0.5 else z


@_jit
def _quantile_one(p: float) -> float:
    """The quantile of one probability, whatever it is: 0 and 1 give -inf and inf, a value
    outside [0, 1] or NaN gives NaN, as ``ndtri``."""
    wide()
    if not 0.0 < p < 1.0:
        if p == 0.0:
            return -math.inf
        return math.inf if p == 1.0 else math.nan
    if abs(p - 0.5) <= 0.425:
        return _centre(p)
    if p < 2.0**-1022:  # below the normal doubles, where _log's reading of the bits fails
        t = math.sqrt(-math.log(p)) - 5.0
        return -_horner(t, _E) / _horner(t, _F)
    return _tail(p)


_NEAR = 1.4e-11  # above exp(-25): sqrt(-log(p)) <= 5 from here to 1 - _NEAR
_pack_tails: Any = packer(0.5, 0.425)  # p with |p - 1/2| > 0.425, gathered 8 at a time


@_jit
def _quantile_into(
    out: np.ndarray, p: np.ndarray, tails: np.ndarray, scratch: np.ndarray, least: float = -math.inf
) -> None:
    """``out[i]`` the quantile of ``max(p[i], least)``; ``tails`` (intp) and ``scratch``
    (float64) are work space of ``p``'s length.

    Two passes the compiler vectorises, the centre for every element and the tails for
    the tail elements gathered in ``scratch``; gathering the tails 8 at a time
    (``packer``); putting their quantiles in place. The far tails and anything that is
    not a probability are then done one by one.
    """
    wide()
    n = p.shape[0]
    if tails.shape[0] < n or scratch.shape[0] < n:
        raise ValueError("_quantile_into: work space shorter than the probabilities")
    for i in range(n):
        out[i] = _centre(p[i])
    m = 0
    whole = n - n % 8
    for i in range(0, whole, 8):  # the tails and their positions, 8 at a time
        m = _pack_tails(p, i, tails, scratch, m)
    for i in range(whole, n):  # the last few, without a branch
        x = p[i]
        tails[m] = i
        scratch[m] = x
        m += abs(x - 0.5) > 0.425
    odd = 0
    for j in range(m):
        x = scratch[j]
        scratch[j] = _near_tail(x)
        odd += not _NEAR <= x <= 1.0 - _NEAR
    for j in range(m):
        out[tails[j]] = scratch[j]
    if odd:
        for j in range(m):
            x = p[tails[j]]
            if not _NEAR <= x <= 1.0 - _NEAR:
                out[tails[j]] = _quantile_one(max(x, least))


@_inline
def _phi(x: float) -> float:
    """Phi(x) for ``|x| <= 4 sqrt(2)``; wrong beyond (and for NaN).

    ``Phi(-|x|) = exp(-x**2 / 2) P(|x|) / Q(|x|)``, with ``exp(-x**2 / 2)`` in two factors;
    ``Phi(x) = 1 - Phi(-x)`` for ``x >= 0``."""
    ax = abs(x)
    k = int((ax if ax < _MIDDLE else _MIDDLE) * _STEP)
    h = k * (1.0 / _STEP)
    d = 0.5 * ((ax - h) * (ax + h))
    v = (_HALF_SQUARES[k] * _horner(d, _EXP)) * _horner(ax, _MILLS_P) / _horner(ax, _MILLS_Q)
    return v if x < 0.0 else 1.0 - v


@_jit
def _cdf_one(x: float) -> float:
    """Phi(x) for any ``x``: 0 and 1 at -inf and inf, NaN for NaN, as ``ndtr``."""
    wide()
    ax = abs(x)
    if ax <= _MIDDLE:
        return _phi(x)
    if not ax <= 40.0:  # Phi(-38.5) is already below the smallest double
        return math.nan if ax != ax else (0.0 if x < 0.0 else 1.0)
    y = ax * _SQRT_HALF
    z = 1.0 / (y * y)
    h = math.floor(ax * _STEP) / _STEP
    e = math.exp(-0.5 * h * h) * math.exp(-0.5 * ((ax - h) * (ax + h)))
    v = 0.5 * e * ((0.56418958354775628695 - z * _horner(z, _FAR_P) / _horner(z, _FAR_Q)) / y)
    return v if x < 0.0 else 1.0 - v


@_jit
def _cdf_into(out: np.ndarray, x: np.ndarray, top: float) -> None:
    """``out[i] = min(Phi(x[i]), top)``. Vectorised, then the values beyond ``4 sqrt(2)``
    (and NaN) one by one. ``out`` may be ``x``, but LLVM then runs the loop without vectors
    (its check that the two do not overlap fails), several times slower."""
    wide()
    n = x.shape[0]
    far = 0
    for i in range(n):
        v = x[i]
        far += not abs(v) <= _MIDDLE
        out[i] = min(_phi(v), top)
    if far:
        for i in range(n):
            v = x[i]
            if not abs(v) <= _MIDDLE:
                out[i] = min(_cdf_one(v), top)


@_jit
def _quantile_flat(p: np.ndarray) -> np.ndarray:
    wide()
    out = np.empty_like(p)
    _quantile_into(out, p, np.empty(p.shape[0], np.intp), np.empty_like(p))
    return out


@_jit
def _cdf_flat(x: np.ndarray) -> np.ndarray:
    wide()
    out = np.empty_like(x)
    _cdf_into(out, x, 1.0)
    return out


def quantile(p: np.ndarray) -> np.ndarray:
    """The standard normal quantile (inverse CDF) of each probability in ``p``.

    Parameters
    ----------
    p : array_like of float
        Probabilities, any shape.

    Returns
    -------
    numpy.ndarray
        ``Phi^-1(p)``, float64, of ``p``'s shape: ``-inf`` at 0, ``inf`` at 1, NaN
        outside [0, 1] or for NaN, as ``scipy.special.ndtri``.

    Notes
    -----
    Wichura's AS241 (see the module's notes): within 1e-15 of the exact quantile and
    2e-15 of ``scipy.special.ndtri`` relatively, for ``p`` from ``2**-54`` to ``1 - 2**-53``.

    Examples
    --------
    >>> quantile(np.array([0.025, 0.5, 0.975, 0.0])).round(6).tolist()
    [-1.959964, 0.0, 1.959964, -inf]
    """
    p = np.asarray(p, dtype=np.float64)
    return _quantile_flat(np.ascontiguousarray(p).ravel()).reshape(p.shape)


def cdf(x: np.ndarray) -> np.ndarray:
    """The standard normal CDF of each value in ``x``.

    Parameters
    ----------
    x : array_like of float
        Values, any shape.

    Returns
    -------
    numpy.ndarray
        ``Phi(x)``, float64, of ``x``'s shape: 0 at ``-inf``, 1 at ``inf``, NaN for
        NaN, as ``scipy.special.ndtr``.

    Notes
    -----
    ``exp(-x**2 / 2)`` times a rational function of ``|x|`` up to ``|x| = 4 sqrt(2)``,
    Cody's asymptotic ``erfc`` beyond (see the module's notes): within 1e-15 of the exact
    value relatively where that is a normal double (``x >= -37.5``), and within
    ``(8 + 2 x**2) 2**-52`` of ``scipy.special.ndtr``, whose own error grows as
    ``x**2 2**-52``.

    Examples
    --------
    >>> cdf(np.array([-1.959963984540054, 0.0, 1.0])).round(6).tolist()
    [0.025, 0.5, 0.841345]
    >>> float(cdf(np.array([-30.0]))[0])  # the lower tail keeps its relative accuracy
    4.90671392714819e-198
    """
    x = np.asarray(x, dtype=np.float64)
    return _cdf_flat(np.ascontiguousarray(x).ravel()).reshape(x.shape)


@_jit
def couple_rows(rows: tuple[np.ndarray, ...], mixing: np.ndarray) -> None:
    """Correlate the uniforms in ``rows`` (one array of trials per member), in place.

    For each trial ``i``: ``z = Phi^-1(max(u[:, i], 2**-54))`` over the members,
    ``y = mixing @ z`` (each row summed in the order of the columns, zeros skipped), and
    ``u[:, i] = min(Phi(y), 1 - 2**-53)``: a uniform of 0 is read as half a step, and
    no result reaches 1. A member whose row of ``mixing`` is a single 1 on the diagonal
    (the first, for a Cholesky factor) keeps its uniform, so read, as
    ``Phi(Phi^-1(u)) = u``. Trials go in blocks that stay in the first-level cache.

    The rows are written in place so that the engine keeps its arrays (and their memory)
    from chunk to chunk; :func:`couple` is the form that leaves its argument alone.

    Examples
    --------
    >>> rows = (np.array([0.5, 0.9, 0.0]), np.array([0.5, 0.1, 0.0]))
    >>> couple_rows(rows, np.linalg.cholesky([[1.0, 0.5], [0.5, 1.0]]))
    >>> [row.round(6).tolist() for row in rows]
    [[0.5, 0.9, 0.0], [0.5, 0.319506, 0.0]]
    >>> bool(rows[0][2] == 2.0**-54)  # a uniform of 0, read as half a step
    True
    """
    wide()
    members = len(rows)
    n = rows[0].shape[0]
    unit = np.zeros(members, np.bool_)  # a row of mixing that is a single 1
    for j in range(members):
        unit[j] = mixing[j, j] == 1.0 and np.count_nonzero(mixing[j]) == 1
    # each row's terms after the first: the columns whose entry is not 0 (a Cholesky
    # factor's upper triangle drops out), in order
    terms = np.zeros((members, members), np.intp)
    count = np.zeros(members, np.intp)
    for j in range(members):
        for k in range(1, members):
            if mixing[j, k] != 0.0:
                terms[j, count[j]] = k
                count[j] += 1
    z = np.empty((members, _BLOCK))
    y = np.empty(_BLOCK)
    tails = np.empty(_BLOCK, np.intp)
    scratch = np.empty(_BLOCK)
    for start in range(0, n, _BLOCK):
        width = min(_BLOCK, n - start)
        for j in range(members):
            _quantile_into(z[j, :width], rows[j][start : start + width], tails, scratch, SMALLEST)
        for j in range(members):
            if unit[j]:  # Phi(Phi^-1(u)) = u, computed as such
                row = rows[j]
                for i in range(start, start + width):
                    row[i] = min(max(row[i], SMALLEST), LARGEST)
                continue
            # y = c0 z0 + c1 z1 + ..., added left to right, two terms a pass
            c = mixing[j, 0]
            if count[j] == 0:
                for i in range(width):
                    y[i] = c * z[0, i]
            else:
                a = terms[j, 0]
                d = mixing[j, a]
                for i in range(width):
                    y[i] = c * z[0, i] + d * z[a, i]
            for t in range(1, count[j], 2):
                a = terms[j, t]
                c = mixing[j, a]
                if t + 1 < count[j]:
                    b = terms[j, t + 1]
                    d = mixing[j, b]
                    for i in range(width):
                        y[i] = (y[i] + c * z[a, i]) + d * z[b, i]
                else:
                    for i in range(width):
                        y[i] += c * z[a, i]
            _cdf_into(rows[j][start : start + width], y[:width], LARGEST)


def couple(uniforms: np.ndarray, mixing: np.ndarray) -> np.ndarray:
    """Correlated uniforms from independent ones by a Gaussian copula.

    For each trial (column) ``i``: ``z = Phi^-1(max(u[:, i], 2**-54))``, ``y = mixing @ z``
    and the result ``min(Phi(y), 1 - 2**-53)`` (see :func:`couple_rows`).

    Parameters
    ----------
    uniforms : numpy.ndarray, shape (members, n)
        Independent uniforms in [0, 1).
    mixing : numpy.ndarray, shape (members, members)
        The mixing matrix (a Cholesky factor of the normal correlations).

    Returns
    -------
    numpy.ndarray, shape (members, n)
        Correlated uniforms in (0, 1); ``uniforms`` is left as it was.

    Notes
    -----
    scipy's ``min(ndtr(mixing @ ndtri(max(u, 2**-54))), 1 - 2**-53)`` within the
    error that the bounds of :func:`quantile` and :func:`cdf` propagate to, not bit for
    bit (``tests/test_normal.py``).

    Examples
    --------
    >>> mixing = np.linalg.cholesky([[1.0, 0.5], [0.5, 1.0]])
    >>> couple(np.array([[0.5, 0.9], [0.5, 0.1]]), mixing).round(6).tolist()
    [[0.5, 0.9], [0.5, 0.319506]]
    """
    out = np.array(uniforms, dtype=np.float64, order="C")  # a copy
    m = np.ascontiguousarray(mixing, dtype=np.float64)
    if out.ndim != 2 or m.shape != (out.shape[0], out.shape[0]):
        raise ValueError(f"couple: uniforms of shape {out.shape} and mixing of shape {m.shape} do not match")
    couple_rows(tuple(out), m)
    return out
