"""Writing files so that a failed write never destroys a good one.

Every file finmodel writes (scenario files, CSV, JSON, workbooks, reports) goes through
:func:`write_atomic`: the bytes go to a temporary file in the same folder, are flushed
to disk, and the temporary file then replaces the target in one step
(:func:`os.replace`). A write that fails half-way (a full disk, an error while the
content is produced) leaves any earlier file byte-identical and no temporary file
behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_path", "write_atomic"]


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = "") -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; it replaces ``path`` on success.

    For writers that want a file name (``openpyxl``'s ``Workbook.save``, ``matplotlib``'s
    ``savefig``). If the block raises, the temporary file is removed and ``path`` is
    untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = pathlib.Path(folder) / "out.txt"
    ...     with atomic_path(target) as tmp:
    ...         _ = tmp.write_text("done")
    ...     target.read_text()
    'done'
    """
    target = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent or ".")
    os.close(handle)
    temporary = Path(name)
    os.chmod(temporary, _mode(target))  # mkstemp makes it private; the file keeps the usual permissions
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _mode(target: Path) -> int:
    """The permissions the written file gets: those of the file it replaces, else the usual ones (umask)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | Path, content: str | bytes | Callable[[IO[bytes]], None], encoding: str = "utf-8") -> Path:
    """Write ``content`` to ``path`` all at once or not at all; returns the path.

    Parameters
    ----------
    path : str or Path
    content : str, bytes, or callable
        Text (encoded with ``encoding``), bytes, or a function that writes to a binary file.
    encoding : str

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = pathlib.Path(folder) / "a.csv"
    ...     _ = write_atomic(target, "x,y\\n1,2\\n")
    ...     def broken(stream):
    ...         stream.write(b"half a fi")
    ...         raise OSError("disk full")
    ...     try:
    ...         write_atomic(target, broken)
    ...     except OSError:
    ...         pass
    ...     target.read_text(), sorted(p.name for p in pathlib.Path(folder).iterdir())
    ('x,y\\n1,2\\n', ['a.csv'])
    """
    target = Path(path)
    with atomic_path(target) as temporary, open(temporary, "wb") as stream:
        if isinstance(content, str):
            stream.write(content.encode(encoding))
        elif isinstance(content, bytes):
            stream.write(content)
        else:
            content(stream)
    return target
