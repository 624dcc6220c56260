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
from finmodel.core.limits import MAX_AMOUNT, MAX_DEPTH, max_trials
from finmodel.core.names import check_name
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
    >>> check_number(1e300, "Cost 'IT': amounts[0]")
    Traceback (most recent call last):
    ...
    finmodel.core.errors.AmountError: Cost 'IT': amounts[0] is 1e+300; a number in a model may be at most 1e+15 in size (give amounts in larger units)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise AmountError(f"{where} is {_shown(value)}; expected a number")
    try:
        number = float(value)
    except OverflowError:
        raise AmountError(f"{where} is a whole number too large for an amount (above 1.8e308)") from None
    if not math.isfinite(number):
        raise AmountError(f"{where} is {number}; amounts must be finite numbers")
    if abs(number) > MAX_AMOUNT:
        raise AmountError(
            f"{where} is {number:g}; a number in a model may be at most {MAX_AMOUNT:g} in size "
            "(give amounts in larger units)"
        )
    return number


def _shown(value: Any) -> str:
    """``repr(value)``, cut short for a message."""
    text = repr(value) if not isinstance(value, str) or len(value) <= 80 else repr(value[:77]) + "..."
    return text if len(text) <= 120 else text[:117] + "..."


def _sample_size(n: Any, who: str) -> int:
    """``n`` draws, refused if it is not a whole number from 0 to the limit on trials."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise AmountError(f"{who}: sample size n ({n!r}) must be a whole number >= 0")
    if n > max_trials():
        raise AmountError(
            f"{who}: sample size n ({int(n):,}) is more than finmodel draws at once ({max_trials():,}); "
            "see finmodel.core.limits"
        )
    return int(n)


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
        n = _sample_size(n, self.describe())
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


def _bounds(x: Amount | float) -> tuple[float, float]:
    return x.bounds() if isinstance(x, Amount) else (x, x)


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


def _interval_mul(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    with np.errstate(invalid="ignore"):
        products = [x * y for x in a for y in b]
    products = [0.0 if math.isnan(p) else p for p in products]
    return min(products), max(products)


def _interval_div(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    if b[0] <= 0 <= b[1]:
        return -math.inf, math.inf
    return _interval_mul(a, (1 / b[1], 1 / b[0]))


_ZERO = (0.0, 0.0)
Interval = tuple[float, float]
#: How an operand moves the result, given both operands' bounds: +1, -1, 0 (either way),
#: or None (not at all: it is multiplied by exactly zero).
Factors = tuple[int | None, int | None]

# One table drives the arithmetic: symbol -> (function, interval rule, how each operand moves the result).
_OPS: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Interval, Interval], Interval], Callable[[Interval, Interval], Factors]]] = {
    "+": (operator.add, lambda a, b: (a[0] + b[0], a[1] + b[1]), lambda a, b: (1, 1)),
    "-": (operator.sub, lambda a, b: (a[0] - b[1], a[1] - b[0]), lambda a, b: (1, -1)),
    "*": (
        operator.mul,
        _interval_mul,
        lambda a, b: (None if b == _ZERO else _sign_of(b), None if a == _ZERO else _sign_of(a)),
    ),
    "/": (operator.truediv, _interval_div, lambda a, b: (_sign_of(b), None if a == _ZERO else -_sign_of(a))),
}

#: Characters of an expression shown in a message before it is cut short.
DESCRIBED = 400


@dataclass(frozen=True, eq=False, repr=False)
class Expr(Amount):
    """A lazy arithmetic expression over amounts and numbers (built by ``+ - * /``).

    Building one is constant work whatever the size of its operands: nothing is
    described or walked until asked for, and every walk over the tree (its leaves,
    bounds, signs, value and description) is a loop, not a recursion, that visits a
    sub-expression used twice once. So ``sum()`` of 10,000 inputs builds in linear
    time, and an expression may be nested up to
    :data:`~finmodel.core.limits.MAX_DEPTH` operations deep.

    Examples
    --------
    >>> import finmodel as fm
    >>> existing, transformed = fm.Range(28, 30), fm.Range(21, 23)
    >>> benefit = existing - transformed
    >>> benefit.case("low"), benefit.case("high")
    (7.0, 7.0)
    >>> benefit.bounds()
    (5.0, 9.0)
    >>> total = sum(fm.Range(i, i + 1) for i in range(10_000))
    >>> total.depth, total.bounds()
    (10000, (49995000.0, 50005000.0))
    """

    op: str
    left: Amount | float
    right: Amount | float
    name: str | None = field(default=None, kw_only=True)
    #: Operations nested below and including this one (1 for ``a + b``).
    depth: int = field(init=False)
    #: Intermediate results an evaluation holds at most (the Strahler number of the tree).
    need: int = field(init=False)

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise AmountError(f"Expr: op ({self.op!r}) must be one of {', '.join(_OPS)}")
        for side in ("left", "right"):
            value = getattr(self, side)
            if not isinstance(value, Amount):
                object.__setattr__(self, side, check_number(value, f"Expr: {side}"))
        if self.name is not None:
            _check_amount_name(self.name, "Expr")
        (ld, ln), (rd, rn) = _size(self.left), _size(self.right)
        depth = 1 + max(ld, rd)
        if depth > MAX_DEPTH:
            raise AmountError(
                f"an expression of amounts may be nested at most {MAX_DEPTH:,} operations deep; "
                "this one would be nested deeper"
            )
        object.__setattr__(self, "depth", depth)
        object.__setattr__(self, "need", max(ln, rn) if ln != rn else ln + 1)

    def leaves(self) -> tuple[Leaf, ...]:
        return tuple(_leaves_in_order(self, lambda node: (node.left, node.right)))

    def evaluate(self, values: Mapping[Leaf, Value]) -> Value:
        # operands are computed heavier first, so at most ``need`` results are held at once;
        # a sub-expression used twice is computed once and dropped after its last use
        order = _post_order(self, heavier_first=True)
        uses: dict[Expr, int] = {}
        for node in order:
            for part in (node.left, node.right):
                if isinstance(part, Expr):
                    uses[part] = uses.get(part, 0) + 1
        done: dict[Expr, Value] = {}

        def take(part: Amount | float) -> Value:
            if not isinstance(part, Expr):
                return part.evaluate(values) if isinstance(part, Amount) else part
            uses[part] -= 1
            return done.pop(part) if uses[part] == 0 else done[part]

        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # callers check what comes out
            for node in order:
                left = take(node.left)
                done[node] = _OPS[node.op][0](left, take(node.right))
        return done[self]

    def bounds(self) -> tuple[float, float]:
        return _all_bounds(self)[self]

    def signs(self) -> dict[Leaf, int]:
        found = _all_bounds(self)

        def moving(node: Expr) -> list[tuple[Amount | float, int]]:
            """The operands that move ``node``, each with how it moves it."""
            factors = _OPS[node.op][2](_bound(node.left, found), _bound(node.right, found))
            return [(x, f) for x, f in zip((node.left, node.right), factors, strict=True) if f is not None]

        # how the root moves with each node, over every path from the root (parents first)
        seen: dict[Any, set[int]] = {self: {1}}
        for node in reversed(_post_order(self)):
            for part, factor in moving(node) if node in seen else ():
                if isinstance(part, Amount):
                    seen.setdefault(part, set()).update(factor * s for s in seen[node])
        leaves = _leaves_in_order(self, lambda node: [x for x, _ in moving(node)])
        return {leaf: next(iter(seen[leaf])) if len(seen[leaf]) == 1 else 0 for leaf in leaves}

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
        # written left to right from a stack, and cut short after DESCRIBED characters
        parts: list[str] = []
        size = 0
        stack: list[Amount | float | str] = [self.right, f" {self.op} ", self.left]
        while stack and size <= DESCRIBED:
            item = stack.pop()
            if isinstance(item, Expr) and item.name is None:
                stack += [")", item.right, f" {item.op} ", item.left]
                text = "("
            elif isinstance(item, Amount):
                text = item.describe()
            else:
                text = item if isinstance(item, str) else fmt_number(item)
            parts.append(text)
            size += len(text)
        text = "".join(parts)
        return text if not stack and size <= DESCRIBED else text[:DESCRIBED] + " ..."

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as a flat table, so a deep expression pickles without deep recursion
        order = _post_order(self)
        index = {node: i for i, node in enumerate(order)}

        def ref(x: Amount | float) -> tuple[str, Any]:
            return ("node", index[x]) if isinstance(x, Expr) else ("value", x)

        return _rebuild, ([(node.op, ref(node.left), ref(node.right), node.name) for node in order],)


def _rebuild(table: list[tuple[str, tuple[str, Any], tuple[str, Any], str | None]]) -> Expr:
    """An expression from the table :meth:`Expr.__reduce__` makes (its nodes, operands first)."""
    built: list[Expr] = []
    for op, left, right, name in table:
        a, b = (built[v] if kind == "node" else v for kind, v in (left, right))
        built.append(Expr(op, a, b, name=name))
    return built[-1]


def _size(x: Amount | float) -> tuple[int, int]:
    """Depth and evaluation need of an operand (0 and 0 for an input or a number)."""
    return (x.depth, x.need) if isinstance(x, Expr) else (0, 0)


def _post_order(root: Expr, heavier_first: bool = False) -> list[Expr]:
    """Every sub-expression of ``root`` once, each after its operands (``root`` last)."""
    order: list[Expr] = []
    seen: set[Expr] = set()
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        first, second = node.left, node.right
        if heavier_first and _size(second)[1] > _size(first)[1]:
            first, second = second, first
        stack += [(x, False) for x in (second, first) if isinstance(x, Expr) and x not in seen]
    return order


def _leaves_in_order(root: Expr, operands: Callable[[Expr], Iterable[Amount | float]]) -> dict[Leaf, None]:
    """The inputs reached from ``root`` through ``operands``, each once, in order of first use."""
    found: dict[Leaf, None] = {}
    seen: set[Expr] = set()
    stack: list[Amount | float] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, Expr):
            if item not in seen:
                seen.add(item)
                stack += reversed(list(operands(item)))
        elif isinstance(item, Amount):
            found.update(dict.fromkeys(item.leaves()))
    return found


def _bound(x: Amount | float, found: Mapping[Expr, Interval]) -> Interval:
    return found[x] if isinstance(x, Expr) else _bounds(x)


def _all_bounds(root: Expr) -> dict[Expr, Interval]:
    """The bounds of ``root`` and of every sub-expression (interval arithmetic)."""
    found: dict[Expr, Interval] = {}
    for node in _post_order(root):
        found[node] = _OPS[node.op][1](_bound(node.left, found), _bound(node.right, found))
    return found


def _binary(symbol: str, reflected: bool) -> Callable[[Amount, Any], Any]:
    def method(self: Amount, other: Any) -> Any:
        if not isinstance(other, Amount):
            if isinstance(other, bool) or not isinstance(other, (int, float, np.integer, np.floating)):
                return NotImplemented
            try:
                other = float(other)
            except OverflowError:
                other = math.inf
            if not abs(other) <= MAX_AMOUNT:  # the message, which describes self, only when refusing
                other = check_number(other, f"{self.describe()} {symbol} {fmt_number(other)}: the number")
        return Expr(symbol, other, self) if reflected else Expr(symbol, self, other)

    return method


for _symbol, _dunder in (("+", "add"), ("-", "sub"), ("*", "mul"), ("/", "truediv")):
    setattr(Amount, f"__{_dunder}__", _binary(_symbol, reflected=False))
    setattr(Amount, f"__r{_dunder}__", _binary(_symbol, reflected=True))


def _check_amount_name(name: Any, who: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise AmountError(f"{who}: name ({name!r}) must be a non-empty string")
    check_name(name, who, error=AmountError)


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
        if self.name is not None:
            _check_amount_name(self.name, type(self).__name__)
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
        n = _sample_size(n, self.describe())
        gen = generator(seed)
        with np.errstate(over="ignore", invalid="ignore"):
            draws = self.ppf(uniform_open(gen, n))
        if not np.isfinite(draws).all():
            raise self._refuse(
                f"a draw is {draws[~np.isfinite(draws)][0]}; the parameters are too large for float64 "
                "(give the amounts in larger units)"
            )
        return draws

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
        who = f"{self.kind} {self.name!r}" if self.name is not None else self.kind
        try:
            return check_number(value, field_name)
        except AmountError:
            finite = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
            if finite and (isinstance(value, int) or math.isfinite(value)):
                raise AmountError(
                    f"{who}: {field_name} ({_shown(value) if isinstance(value, int) else fmt_number(float(value))}) "
                    f"may be at most {MAX_AMOUNT:g} in size (give amounts in larger units)"
                ) from None
            raise AmountError(f"{who}: {field_name} ({_shown(value)}) must be a finite number") from None


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
