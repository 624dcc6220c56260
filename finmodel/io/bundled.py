"""The scenario files that come with finmodel: the repository's ``scenarios/`` folder,
installed with the package as ``finmodel.scenarios``."""

from __future__ import annotations

import importlib.resources
import tomllib
from dataclasses import dataclass
from pathlib import Path

from finmodel.io.errors import ScenarioFileError
from finmodel.io.toml_writer import show

__all__ = ["BundledScenario", "bundled", "scenarios_folder"]


@dataclass(frozen=True)
class BundledScenario:
    """A scenario file shipped in the repository's ``scenarios/`` folder."""

    name: str
    path: Path
    description: str


def scenarios_folder() -> Path:
    """The folder of the bundled scenario files.

    In a checkout installed with ``pip install -e .`` it is the repository's
    ``scenarios/`` folder; from a wheel it is the installed package
    ``finmodel.scenarios``. Either way it holds the same files.

    Examples
    --------
    >>> sorted(p.name for p in scenarios_folder().glob("occ-*.toml"))[0]
    'occ-case-for-change-2018.toml'
    """
    return Path(str(importlib.resources.files("finmodel.scenarios")))


def bundled() -> tuple[BundledScenario, ...]:
    """The bundled scenario files, by name, each with a one-line description (its title).

    Only the title is read; :func:`load` a file to validate it.

    Examples
    --------
    >>> [s.name for s in bundled()]
    ['occ-case-for-change-2018', 'occ-cdc-joint-posts-2019', 'occ-mtfp-2018-22', 'oxford-city-mtfs-2014']
    """
    folder = scenarios_folder()
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ScenarioFileError(f"{path}: cannot be read: {err}") from None
        title = data.get("title")
        if not isinstance(title, str):
            raise ScenarioFileError(f"{path}: title: expected a string, got {show(title)}")
        out.append(BundledScenario(path.stem, path, " ".join(title.split())))
    return tuple(out)
