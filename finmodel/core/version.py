"""The version of finmodel, as installed (one place: ``pyproject.toml``)."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["VERSION"]

try:
    #: The installed version, e.g. ``"0.1.0"``: recorded in every result's provenance.
    VERSION: str = version("finmodel")
except PackageNotFoundError:  # pragma: no cover - run from a source tree that is not installed
    VERSION = "unknown"
