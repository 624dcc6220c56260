"""Seeds: the one place where ``seed`` (an int, a SeedSequence, a Generator or None) is read.

Every function that draws takes ``seed`` and passes it here; nothing draws from numpy's
global random state.
"""

from __future__ import annotations

import numpy as np

from finmodel.core.errors import FinmodelError

__all__ = ["SeedLike", "generator", "seed_sequence"]

SeedLike = int | np.random.SeedSequence | np.random.Generator | None


def seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Normalise ``seed`` to a :class:`numpy.random.SeedSequence`.

    An int or None seeds a new sequence; a Generator contributes a child of its own
    seed sequence (so successive calls with one Generator differ, as they should).

    Examples
    --------
    >>> seed_sequence(2018).entropy
    2018
    >>> seed_sequence(None).entropy > 0
    True
    >>> seed_sequence(-1)
    Traceback (most recent call last):
    ...
    finmodel.core.errors.FinmodelError: seed (-1) must be a non-negative int, a numpy Generator, a SeedSequence or None
    """
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        parent = seed.bit_generator.seed_seq
        if not isinstance(parent, np.random.SeedSequence):
            return np.random.SeedSequence(seed.integers(0, 2**63, size=4))
        return parent.spawn(1)[0]
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.SeedSequence(int(seed))
    raise FinmodelError(f"seed ({seed!r}) must be a non-negative int, a numpy Generator, a SeedSequence or None")


def generator(seed: SeedLike) -> np.random.Generator:
    """A Generator for ``seed``: the Generator itself if one is given, else a new one.

    Examples
    --------
    >>> float(generator(1).random()) == float(np.random.default_rng(1).random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.Generator(np.random.PCG64(seed_sequence(seed)))
