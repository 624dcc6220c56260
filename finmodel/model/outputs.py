"""Lazily computed per-trial outputs of a model.

A model describes each output (``"net"``, ``"cumulative_gap"``, one per line, ...) as a
function of the other outputs; :class:`Outputs` computes each on first use and keeps
it, so the engine pays only for the metrics a user asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np

__all__ = ["Outputs"]

Maker = Callable[["Outputs"], np.ndarray]


class Outputs(Mapping[str, np.ndarray]):
    """A read-only mapping whose values are computed on first access.

    Values are kept for reuse, except ``transient`` ones (per-line arrays), which are
    recomputed when asked again so that memory stays bounded by a few arrays per chunk
    however many lines a model has.

    Examples
    --------
    >>> out = Outputs({"a": lambda o: np.ones(2), "b": lambda o: o["a"] * 3})
    >>> out["b"].tolist()
    [3.0, 3.0]
    >>> sorted(out)
    ['a', 'b']
    """

    def __init__(
        self, makers: Mapping[str, Maker], transient: Callable[[str], bool] = lambda key: False
    ) -> None:
        self._makers = dict(makers)
        self._transient = transient
        self._done: dict[str, np.ndarray] = {}

    def __getitem__(self, key: str) -> np.ndarray:
        if key in self._done:
            return self._done[key]
        # a division by zero gives inf or NaN here, which the engine refuses with a
        # FinmodelError naming the metric; numpy's warning would only pre-empt that
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            value = self._makers[key](self)
        if not self._transient(key):
            self._done[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __contains__(self, key: object) -> bool:
        return key in self._makers
