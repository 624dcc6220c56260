"""The documentation site builds without warnings, and its code examples are right.

Code examples
-------------
Every ```` ```python ```` block in ``docs/*.md`` and ``docs/howto/*.md`` is run, the
blocks of one page in order and in one namespace, as a reader would run them in one notebook.
A ```` ```text ```` block that follows a python block directly (nothing but blank
lines between) is the output that block prints, and is compared with it, line by
line, ignoring trailing spaces.

A block is skipped when the line just above its opening fence is the comment
``<!-- docs-test: skip -->``; use it only for a fragment that cannot run on its own
(and say why next to it), never to hide an example that fails. Output that varies
from run to run (timings, say) is shown in a block of another kind, such as
```` ```console ````, which is not compared.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted([*DOCS.glob("*.md"), *DOCS.glob("howto/*.md")])
SKIP = "<!-- docs-test: skip -->"
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")


@dataclass
class Block:
    lang: str
    line: int  # line number of the opening fence (1-based)
    code: str
    skip: bool
    output: Block | None = None


def code_blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown page, each python block with the output after it."""
    lines = text.splitlines()
    blocks: list[Block] = []
    previous_end = -2  # index of the closing fence of the last block
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i].strip())
        if not match:
            i += 1
            continue
        fence, start = match.group("fence"), i
        i += 1
        body = []
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i])
            i += 1
        indent = len(lines[start]) - len(lines[start].lstrip())
        code = "\n".join(line[indent:] for line in body) + "\n"
        above = lines[start - 1].strip() if start > 0 else ""
        block = Block(match.group("lang").lower(), start + 1, code, above == SKIP)
        follows = previous_end >= 0 and all(not s.strip() for s in lines[previous_end + 1 : start])
        if block.lang == "text" and follows and blocks and blocks[-1].lang == "python":
            blocks[-1].output = block
        else:
            blocks.append(block)
        previous_end = i
        i += 1
    return [b for b in blocks if b.lang == "python"]


def _page_id(page: Path) -> str:
    return page.relative_to(DOCS).as_posix()


def test_code_blocks_are_found() -> None:
    """The parser sees the examples (a broken parser would make every page pass)."""
    blocks = code_blocks((DOCS / "getting-started.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    assert any(b.output is not None for b in blocks)


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_code_examples_run(page: Path) -> None:
    matplotlib.use("Agg")
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    for block in code_blocks(page.read_text(encoding="utf-8")):
        if block.skip:
            continue
        where = f"{_page_id(page)}:{block.line}"
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(block.code, where, "exec"), namespace)
        except Exception:
            pytest.fail(
                f"docs/{where}: this example fails against the current API:\n{block.code}\n"
                f"{traceback.format_exc()}",
                pytrace=False,
            )
        if block.output is not None:
            got = [line.rstrip() for line in printed.getvalue().rstrip("\n").splitlines()]
            want = [line.rstrip() for line in block.output.code.rstrip("\n").splitlines()]
            if got != want:
                diff = "\n".join(difflib.unified_diff(want, got, "page", "printed", lineterm=""))
                pytest.fail(
                    f"docs/{where}: the example prints something else than the ```text block "
                    f"under it (line {block.output.line}) shows:\n{diff}",
                    pytrace=False,
                )


def test_site_builds_without_warnings(tmp_path: Path) -> None:
    """``mkdocs build --strict``: no broken link, missing page or docstring warning."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, (
        "mkdocs build --strict failed (docs dependencies come with pip install -e '.[test]'):\n"
        + result.stdout
        + result.stderr
    )
    # the API reference was generated from the numpydoc docstrings, sections and all
    reference = (tmp_path / "site" / "api" / "running" / "index.html").read_text(encoding="utf-8")
    assert 'id="finmodel.evaluate"' in reference
    assert '<span class="doc-section-title">Parameters:</span>' in reference
    assert seconds < 120, f"the site took {seconds:.0f} s to build"


def test_every_command_in_getting_started_runs(tmp_path: Path) -> None:
    """The page's shell commands, run as a reader would from the repository (in a copy of
    its scenarios folder), with this environment's programs for ``.venv/bin/``.

    Making the environment and installing into it is what this suite runs in already; the
    test suite itself is not run again from inside it; the kernel is registered in a
    temporary prefix rather than the user's.
    """
    import shlex

    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    commands = [part for block in blocks for line in block.strip().splitlines() for part in line.split(" && ")]
    programs = Path(sys.executable).parent
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    ran = []
    for command in commands:
        words = shlex.split(command)
        program = words[0].removeprefix(".venv/bin/")
        if words[:3] == ["python3", "-m", "venv"]:
            continue
        if program == "pip":
            assert words[-1] in (".", ".[test]") and "-e" in words, command  # finmodel from this checkout
            continue
        if words[1:3] == ["-m", "pytest"]:
            continue
        if words[1:3] == ["-m", "ipykernel"]:
            words = [w if w != "--user" else f"--prefix={tmp_path / 'jupyter'}" for w in words]
        done = subprocess.run([str(programs / program), *words[1:]], cwd=tmp_path, capture_output=True,
                              text=True, timeout=600, check=False)
        assert done.returncode == 0, f"docs/getting-started.md: {command!r} fails:\n{done.stdout[-2000:]}{done.stderr}"
        ran.append(command)
    assert any("finmodel run" in c for c in ran) and any("finmodel report" in c for c in ran)
    assert (tmp_path / "report" / "report.html").exists() and (tmp_path / "report" / "report.xlsx").exists()
