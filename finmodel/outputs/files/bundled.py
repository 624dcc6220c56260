"""The scenario files that come with finmodel, in the repository's ``scenarios/`` folder."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from finmodel.outputs.files.errors import ScenarioFileError
from finmodel.outputs.files.toml_writer import show

__all__ = ["BundledScenario", "bundled", "scenarios_folder"]


@dataclass(frozen=True)
class BundledScenario:
    """A scenario file shipped in the repository's ``scenarios/`` folder."""

    name: str
    path: Path
    description: str


def scenarios_folder() -> Path:
    """The repository's ``scenarios/`` folder.

    finmodel is installed editable (``pip install -e .``) from its repository, so the
    folder is found next to the package: ``<repository>/scenarios``, where
    ``<repository>`` holds ``finmodel/``.

    Examples
    --------
    >>> scenarios_folder().name
    'scenarios'
    """
    return Path(__file__).resolve().parents[3] / "scenarios"  # finmodel/outputs/files/bundled.py


def bundled() -> tuple[BundledScenario, ...]:
    """The bundled scenario files, by name, each with a one-line description (its title).

    Returns an empty tuple when the package is not run from a repository checkout
    (no ``scenarios/`` folder beside it). Only the title is read; :func:`load` a file to
    validate it.

    Examples
    --------
    >>> [s.name for s in bundled()]
    ['occ-case-for-change-2018', 'occ-cdc-joint-posts-2019', 'occ-mtfp-2018-22', 'oxford-city-mtfs-2014']
    """
    folder = scenarios_folder()
    if not folder.is_dir():
        return ()
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
