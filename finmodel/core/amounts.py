"""Uncertain amounts and the lazy arithmetic that combines them.

An *amount* is anything that can stand where a number stands in a model: a plain
number, an uncertain input (a :class:`Leaf` such as ``Range(21, 33)``) or an
expression built from them with ``+ - * /``. Expressions are lazy: they describe a
calculation and are evaluated by the engine, trial by trial, in one vectorised pass.

The shared-draw rule
--------------------
**The same amount object used twice is ONE quantity.** Within a trial every use of it
sees the same draw, so ``x - x`` is 0 in every trial, and one demand-growth rate
feeding both a pressure and a saving correlates them exactly. Two separately
constructed amounts are independent even if their parameters are equal:
``Range(1, 2) - Range(1, 2)`` is *not* zero. To share, build the amount once and use
the variable twice.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from finmodel.core.errors import AmountError
from finmodel.core.seeds import SeedLike, generator

__all__ = [
    "Amount",
    "AmountLike",
    "Case",
    "Expr",
    "Fixed",
    "Leaf",
    "as_amount",
    "fmt_number",
    "merge_signs",
    "unique_leaves",
]

Case = Literal["low", "central", "high"]
CASES: tuple[Case, ...] = ("low", "central", "high")

Value = np.ndarray | float


def fmt_number(x: float) -> str:
    """Format a number for an error message: ``17``, ``0.25``, ``1.2e+06``.

    Examples
    --------
    >>> fmt_number(17.0), fmt_number(0.25), fmt_number(1_200_000.0)
    ('17', '0.25', '1.2e+06')
    """
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e6:
        return str(int(x))
    return f"{x:g}"


def check_number(value: Any, where: str) -> float:
    """Return ``value`` as a finite float, or raise :class:`AmountError` naming ``where``.

    Examples
    --------
    >>> check_number(3, "Cost 'IT': amounts[0]")
    3.0
    >>> check_number(float("nan"), "Cost 'IT': amounts[0]")
    Traceback (most recent call last):
    ...
    finmodel.core.errors.AmountError: Cost 'IT': amounts[0] is nan; amounts must be finite numbers
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise AmountError(f"{where} is {value!r}; expected a number")
    number = float(value)
    if not math.isfinite(number):
        raise AmountError(f"{where} is {number}; amounts must be finite numbers")
    return number


class Amount:
    """Base of every uncertain amount and of every expression built from them.

    Amounts compare and hash by identity: the same object is the same quantity (see
    the shared-draw rule in this module's documentation).

    Examples
    --------
    >>> import finmodel as fm
    >>> growth = fm.Range(0.02, 0.04, name="demand growth")
    >>> pressure = 10 * growth
    >>> pressure.case("high")
    0.4
    >>> (growth - growth).case("low")
    0.0
    """

    name: str | None

    # -- what every amount provides -------------------------------------------------
    def leaves(self) -> tuple[Leaf, ...]:
        """The uncertain inputs this amount depends on, each once, in order of first use."""
        raise NotImplementedError

    def evaluate(self, values: Mapping[Leaf, Value]) -> Value:
        """Evaluate with each leaf's value (an array of trials, or a float) taken from ``values``."""
        raise NotImplementedError

    def bounds(self) -> tuple[float, float]:
        """The smallest and largest value this amount can take (may be infinite)."""
        raise NotImplementedError

    def signs(self) -> dict[Leaf, int]:
        """How this amount moves with each leaf: +1 rises, -1 falls, 0 not monotone."""
        raise NotImplementedError

    # -- derived ------------------------------------------------------------------------
    def case(self, which: Case) -> float:
        """The value with every uncertain input at its ``low``, ``central`` or ``high`` case.

        Examples
        --------
        >>> import finmodel as fm
        >>> (fm.Range(21, 33) + fm.Range(8, 17)).case("high")
        50.0
        """
        if which not in CASES:
            raise AmountError(f"case {which!r}: expected one of 'low', 'central', 'high'")
        values = {leaf: np.array([leaf.cases[which]]) for leaf in self.leaves()}
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            result = float(np.asarray(self.evaluate(values), dtype=float).reshape(-1)[0])
        if not math.isfinite(result):
            raise AmountError(
                f"{self.describe()}: the {which} case is {result}; the expression divides by zero "
                "or overflows"
            )
        return result

    def sample(self, n: int, seed: SeedLike = None) -> np.ndarray:
        """Draw ``n`` values of this amount (shared inputs drawn once per trial).

        Examples
        --------
        >>> import finmodel as fm
        >>> x = fm.Range(1, 2)
        >>> draws = (x - x).sample(1_000, seed=1)
        >>> bool((draws == 0).all())
        True
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise AmountError(f"{self.describe()}: sample size n ({n!r}) must be a whole number >= 0")
        rng = generator(seed)
        values = {leaf: leaf.sample(n, rng) for leaf in self.leaves()}
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            draws = np.broadcast_to(np.asarray(self.evaluate(values), dtype=float), (n,)).copy()
        if not np.isfinite(draws).all():
            raise AmountError(
                f"{self.describe()}: a draw is {draws[~np.isfinite(draws)][0]}; the expression divides "
                "by zero or overflows"
            )
        return draws

    def describe(self) -> str:
        """A short description for messages and tables."""
        return repr(self)

    def __neg__(self) -> Expr:
        return Expr("*", -1.0, self)

    def __pos__(self) -> Amount:
        return self

    if TYPE_CHECKING:  # the binary operators are generated from _OPS below

        def __add__(self, other: AmountLike) -> Expr: ...
        def __radd__(self, other: AmountLike) -> Expr: ...
        def __sub__(self, other: AmountLike) -> Expr: ...
        def __rsub__(self, other: AmountLike) -> Expr: ...
        def __mul__(self, other: AmountLike) -> Expr: ...
        def __rmul__(self, other: AmountLike) -> Expr: ...
        def __truediv__(self, other: AmountLike) -> Expr: ...
        def __rtruediv__(self, other: AmountLike) -> Expr: ...

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other

    def __bool__(self) -> bool:
        raise AmountError(
            f"{self.describe()}: an uncertain amount has no single truth value; "
            "compare its cases (.case('low'), .case('high')) or its simulated samples instead"
        )


AmountLike = Amount | int | float


def as_amount(x: Any, where: str) -> Amount | float:
    """Accept an :class:`Amount` or a plain finite number; refuse anything else.

    Examples
    --------
    >>> as_amount(2, "Cost 'IT': amounts[0]")
    2.0
    >>> as_amount("21m", "Benefit 'QW': run_rate")
    Traceback (most recent call last):
    ...
    finmodel.core.errors.AmountError: Benefit 'QW': run_rate is '21m'; expected a number
    """
    if isinstance(x, Amount):
        return x
    return check_number(x, where)


def plus(a: Amount | float, b: Amount | float) -> Amount | float:
    """Add two amounts or numbers (a number when both are numbers).

    Examples
    --------
    >>> plus(1.0, 2.0)
    3.0
    """
    if isinstance(a, Amount):
        return a + b
    if isinstance(b, Amount):
        return b.__radd__(a)
    return a + b


def _value(x: Amount | float, values: Mapping[Leaf, Value]) -> Value:
    return x.evaluate(values) if isinstance(x, Amount) else x


def _bounds(x: Amount | float) -> tuple[float, float]:
    return x.bounds() if isinstance(x, Amount) else (x, x)


def _signs(x: Amount | float) -> dict[Leaf, int]:
    return x.signs() if isinstance(x, Amount) else {}


def _sign_of(bounds: tuple[float, float]) -> int:
    lo, hi = bounds
    if lo >= 0:
        return 1
    if hi <= 0:
        return -1
    return 0


def merge_signs(*parts: Mapping[Leaf, int]) -> dict[Leaf, int]:
    """Combine how several parts move with each input: a sign where they agree, 0 where not.

    Examples
    --------
    >>> import finmodel as fm
    >>> x = fm.Range(0, 1)
    >>> merge_signs({x: 1}, {x: 1}), merge_signs({x: 1}, {x: -1})
    ({Range(low=0, high=1): 1}, {Range(low=0, high=1): 0})
    """
    out: dict[Leaf, int] = {}
    for part in parts:
        for leaf, sign in part.items():
            out[leaf] = sign if out.get(leaf, sign) == sign else 0
    return out


def _scale(signs: dict[Leaf, int], by: int) -> dict[Leaf, int]:
    return {leaf: s * by for leaf, s in signs.items()}


def _interval_mul(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    with np.errstate(invalid="ignore"):
        products = [x * y for x in a for y in b]
    products = [0.0 if math.isnan(p) else p for p in products]
    return min(products), max(products)


def _interval_div(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    if b[0] <= 0 <= b[1]:
        return -math.inf, math.inf
    return _interval_mul(a, (1 / b[1], 1 / b[0]))


def _mul_signs(a: Amount | float, b: Amount | float) -> dict[Leaf, int]:
    bb = _bounds(b)
    sa = {} if bb == (0.0, 0.0) else _scale(_signs(a), _sign_of(bb))
    ab = _bounds(a)
    sb = {} if ab == (0.0, 0.0) else _scale(_signs(b), _sign_of(ab))
    return merge_signs(sa, sb)


def _div_signs(a: Amount | float, b: Amount | float) -> dict[Leaf, int]:
    sa = _scale(_signs(a), _sign_of(_bounds(b)))
    ab = _bounds(a)
    sb = {} if ab == (0.0, 0.0) else _scale(_signs(b), -_sign_of(ab))
    return merge_signs(sa, sb)


# One table drives the arithmetic: symbol -> (function, interval rule, sign rule).
_OPS: dict[
    str, tuple[Callable[[Any, Any], Any], Callable[..., tuple[float, float]], Callable[..., dict[Leaf, int]]]
] = {
    "+": (
        operator.add,
        lambda a, b: (a[0] + b[0], a[1] + b[1]),
        lambda x, y: merge_signs(_signs(x), _signs(y)),
    ),
    "-": (
        operator.sub,
        lambda a, b: (a[0] - b[1], a[1] - b[0]),
        lambda x, y: merge_signs(_signs(x), _scale(_signs(y), -1)),
    ),
    "*": (operator.mul, _interval_mul, _mul_signs),
    "/": (operator.truediv, _interval_div, _div_signs),
}


@dataclass(frozen=True, eq=False, repr=False)
class Expr(Amount):
    """A lazy arithmetic expression over amounts and numbers (built by ``+ - * /``).

    Examples
    --------
    >>> import finmodel as fm
    >>> existing, transformed = fm.Range(28, 30), fm.Range(21, 23)
    >>> benefit = existing - transformed
    >>> benefit.case("low"), benefit.case("high")
    (7.0, 7.0)
    >>> benefit.bounds()
    (5.0, 9.0)
    """

    op: str
    left: Amount | float
    right: Amount | float
    name: str | None = field(default=None, kw_only=True)

    def leaves(self) -> tuple[Leaf, ...]:
        seen: dict[Leaf, None] = {}
        for part in (self.left, self.right):
            if isinstance(part, Amount):
                seen.update(dict.fromkeys(part.leaves()))
        return tuple(seen)

    def evaluate(self, values: Mapping[Leaf, Value]) -> Value:
        func = _OPS[self.op][0]
        result = func(_value(self.left, values), _value(self.right, values))
        return result

    def bounds(self) -> tuple[float, float]:
        return _OPS[self.op][1](_bounds(self.left), _bounds(self.right))

    def signs(self) -> dict[Leaf, int]:
        return _OPS[self.op][2](self.left, self.right)

    def named(self, name: str) -> Expr:
        """The same expression with a name, used in messages and sensitivity tables.

        Examples
        --------
        >>> import finmodel as fm
        >>> (fm.Range(1, 2) * 3).named("three lots").describe()
        "'three lots'"
        """
        return Expr(self.op, self.left, self.right, name=name)

    def describe(self) -> str:
        if self.name is not None:
            return repr(self.name)
        return repr(self)

    def __repr__(self) -> str:
        def show(x: Amount | float) -> str:
            if isinstance(x, Expr) and x.name is None:
                return f"({x!r})"
            return x.describe() if isinstance(x, Amount) else fmt_number(x)

        return f"{show(self.left)} {self.op} {show(self.right)}"


def _binary(symbol: str, reflected: bool) -> Callable[[Amount, Any], Any]:
    def method(self: Amount, other: Any) -> Any:
        if not isinstance(other, Amount):
            if isinstance(other, bool) or not isinstance(other, (int, float, np.integer, np.floating)):
                return NotImplemented
            other = check_number(other, f"{self.describe()} {symbol} {other!r}")
        return Expr(symbol, other, self) if reflected else Expr(symbol, self, other)

    return method


for _symbol, _dunder in (("+", "add"), ("-", "sub"), ("*", "mul"), ("/", "truediv")):
    setattr(Amount, f"__{_dunder}__", _binary(_symbol, reflected=False))
    setattr(Amount, f"__r{_dunder}__", _binary(_symbol, reflected=True))


def uniform_open(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` uniforms on the open interval (0, 1): every inverse CDF stays finite.

    ``Generator.random`` returns ``k / 2**53``; adding half a step gives
    ``(k + 0.5) / 2**53``, which is never 0 or 1.

    Examples
    --------
    >>> u = uniform_open(np.random.default_rng(0), 5)
    >>> bool(((u > 0) & (u < 1)).all())
    True
    """
    u = rng.random(n)
    u += 2.0**-54
    np.minimum(u, 1.0 - 2.0**-53, out=u)  # the largest k would round up to 1
    return u


@dataclass(frozen=True, eq=False, repr=False)
class Leaf(Amount):
    """An uncertain input: it draws its own samples and has named cases.

    Subclasses implement :meth:`ppf` (the inverse cumulative distribution function)
    and set ``cases`` (``low``, ``central``, ``high``) and ``support``. Every way the
    engine draws a leaf (plain random, Latin hypercube, a correlated group) goes
    through ``ppf`` of uniforms, so one mechanism serves them all.
    """

    kind: ClassVar[str] = "Leaf"
    name: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if self.name is not None and (not isinstance(self.name, str) or not self.name.strip()):
            raise AmountError(f"{type(self).__name__}: name ({self.name!r}) must be a non-empty string")
        self._validate()

    # subclasses -----------------------------------------------------------------
    def _validate(self) -> None:
        """Check parameters; raise :class:`AmountError` via :meth:`_refuse`."""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: map uniforms in [0, 1) to draws of this amount."""
        raise NotImplementedError

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        """Draws for the uniforms ``u``, an array the caller hands over.

        The same numbers as :meth:`ppf`, computed in ``u``'s own memory where the
        distribution can (``u`` may be overwritten and returned), so the engine turns a
        chunk of uniforms into draws without another array. Inputs that cannot work in
        place return :meth:`ppf`.
        """
        return self.ppf(u)

    @property
    def cases(self) -> dict[str, float]:
        """The named cases ``low``, ``central`` and ``high``."""
        raise NotImplementedError

    @property
    def support(self) -> tuple[float, float]:
        """The smallest and largest value a draw can take (may be infinite)."""
        raise NotImplementedError

    def params(self) -> dict[str, Any]:
        """The parameters as given, for messages and files."""
        raise NotImplementedError

    # shared ------------------------------------------------------------------------
    def sample(self, n: int, seed: SeedLike = None) -> np.ndarray:
        """Draw ``n`` independent values: this input's inverse CDF applied to uniforms.

        Parameters
        ----------
        n : int
            Number of draws.
        seed : int, numpy.random.Generator or None
            Source of randomness (an int or None seeds a new generator).

        Examples
        --------
        >>> import numpy as np, finmodel as fm
        >>> draws = fm.Range(21, 33).sample(10_000, seed=0)
        >>> bool(draws.min() >= 21 and draws.max() <= 33)
        True
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise AmountError(f"{self.describe()}: sample size n ({n!r}) must be a whole number >= 0")
        gen = generator(seed)
        return self.ppf(uniform_open(gen, int(n)))

    def leaves(self) -> tuple[Leaf, ...]:
        return (self,)

    def evaluate(self, values: Mapping[Leaf, Value]) -> Value:
        return values[self]

    def bounds(self) -> tuple[float, float]:
        return self.support

    def signs(self) -> dict[Leaf, int]:
        return {self: 1}

    def named(self, name: str) -> Leaf:
        """A copy of this input with a name (a new, independent quantity).

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Range(8, 17).named("Quick wins run rate").describe()
        "Range 'Quick wins run rate'"
        """
        from dataclasses import replace

        return replace(self, name=name)

    def describe(self) -> str:
        if self.name is not None:
            return f"{self.kind} {self.name!r}"
        return repr(self)

    def __repr__(self) -> str:
        args = ", ".join(
            f"{k}={fmt_number(v) if isinstance(v, float) else repr(v)}" for k, v in self.params().items()
        )
        name = f", name={self.name!r}" if self.name is not None else ""
        return f"{self.kind}({args}{name})"

    def _refuse(self, message: str, named_message: str | None = None) -> AmountError:
        """An error naming this input: ``Range(low=17, high=8): low exceeds high``
        or, when named, ``Range 'Quick wins': low (17) exceeds high (8)``."""
        if self.name is not None:
            return AmountError(f"{self.kind} {self.name!r}: {named_message or message}")
        args = ", ".join(
            f"{k}={fmt_number(v) if isinstance(v, float) else repr(v)}" for k, v in self.params().items()
        )
        return AmountError(f"{self.kind}({args}): {message}")

    def _number(self, field_name: str, value: Any) -> float:
        try:
            return check_number(value, field_name)
        except AmountError:
            who = f"{self.kind} {self.name!r}" if self.name is not None else self.kind
            raise AmountError(f"{who}: {field_name} ({value!r}) must be a finite number") from None


@dataclass(frozen=True, eq=False, repr=False)
class Fixed(Leaf):
    """A certain amount with a name, so it can be overridden by a scenario.

    A plain number is accepted anywhere an amount is; use ``Fixed`` when the number
    should appear by name in scenarios, sensitivity tables or files.

    Parameters
    ----------
    value : float
        The amount.
    name : str, optional
        Used in messages, scenario overrides and sensitivity tables.

    Examples
    --------
    >>> import finmodel as fm
    >>> base = fm.Fixed(17.0, name="investment")
    >>> base.case("low"), base.case("high")
    (17.0, 17.0)
    """

    kind: ClassVar[str] = "Fixed"
    value: float

    def _validate(self) -> None:
        object.__setattr__(self, "value", self._number("value", self.value))

    def params(self) -> dict[str, Any]:
        return {"value": self.value}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), self.value)

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        u.fill(self.value)
        return u

    @property
    def cases(self) -> dict[str, float]:
        return dict.fromkeys(CASES, self.value)

    @property
    def support(self) -> tuple[float, float]:
        return self.value, self.value


def unique_leaves(amounts: Iterable[Amount | float]) -> tuple[Leaf, ...]:
    """The leaves of several amounts, each once, in order of first appearance.

    Examples
    --------
    >>> import finmodel as fm
    >>> x, y = fm.Range(0, 1), fm.Range(1, 2)
    >>> len(unique_leaves([x + y, x * 2, 3.0]))
    2
    """
    seen: dict[Leaf, None] = {}
    for amount in amounts:
        if isinstance(amount, Amount):
            seen.update(dict.fromkeys(amount.leaves()))
    return tuple(seen)
