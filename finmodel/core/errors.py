"""The error types finmodel raises.

Every refusal of bad input is a :class:`FinmodelError`, which is also a
:class:`ValueError`, so ``except ValueError`` keeps working for callers that do not
know finmodel. Messages name the object, the field and the value, e.g.
``Range 'Quick wins run rate': low (17) exceeds high (8)``.
"""

from __future__ import annotations


class FinmodelError(ValueError):
    """Base class of every error finmodel raises for bad input.

    Examples
    --------
    >>> import finmodel as fm
    >>> try:
    ...     fm.Range(17, 8)
    ... except fm.FinmodelError as err:
    ...     print(err)
    Range(low=17, high=8): low exceeds high
    """


class YearError(FinmodelError):
    """A financial-year label or timeline that cannot be read.

    Examples
    --------
    >>> import finmodel as fm
    >>> try:
    ...     fm.Timeline("2018/20", 4)
    ... except fm.YearError as err:
    ...     print(err)
    Timeline: start '2018/20' is not a financial year (expected '2018/19' or '18/19')
    """


class AmountError(FinmodelError):
    """An uncertain amount with invalid parameters (low > high, NaN, p < 0, ...).

    Examples
    --------
    >>> import finmodel as fm
    >>> try:
    ...     fm.Chance(1.5)
    ... except fm.AmountError as err:
    ...     print(err)
    Chance(p=1.5): p must lie in [0, 1]
    """


class ProfileError(FinmodelError):
    """A phasing profile that is invalid or does not fit the timeline.

    Examples
    --------
    >>> import finmodel as fm
    >>> try:
    ...     fm.Profile.increments([0, 0])
    ... except fm.ProfileError as err:
    ...     print(err)
    Profile.increments([0, 0]): the increments sum to 0; nothing to phase
    """


class ModelError(FinmodelError):
    """A line, plan or case that is inconsistent (wrong length, re-profiling not summing to zero).

    Examples
    --------
    >>> import finmodel as fm
    >>> try:
    ...     fm.Reprofile("Transformation savings", [15, -8.5, -3.5])
    ... except fm.ModelError as err:
    ...     print(err)
    Reprofile 'Transformation savings': amounts sum to 3 (15 - 8.5 - 3.5), not zero; a re-profiling only moves amounts between years
    """


class CorrelationError(FinmodelError):
    """A correlation matrix that is not a valid correlation matrix.

    Examples
    --------
    >>> import finmodel as fm
    >>> a, b = fm.Range(0, 1), fm.Range(0, 1)
    >>> try:
    ...     fm.correlate([a, b], [[1, 2], [2, 1]])
    ... except fm.CorrelationError as err:
    ...     print(err)
    correlate: matrix[0][1] (2) lies outside [-1, 1]
    """


class ScenarioError(FinmodelError):
    """A scenario that cannot be applied to a model (unknown name, ambiguous worst case).

    Examples
    --------
    >>> import finmodel as fm
    >>> try:
    ...     fm.Scenario("plan B", {"Quick wins": "ten"})
    ... except fm.ScenarioError as err:
    ...     print(err)
    Scenario 'plan B': override 'Quick wins' = 'ten' is not a number or a list of numbers
    """
