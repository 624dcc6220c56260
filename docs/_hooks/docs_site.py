"""Build-time additions to the documentation site (an MkDocs hook, see mkdocs.yml).

* The notebooks in ``notebooks/`` (outside ``docs/``) become pages under
  ``notebooks/``, listed in the "Notebooks" section of the navigation, so a new
  notebook appears on the site without editing mkdocs.yml.
* The pages in ``docs/decisions/`` are listed in the "Design decisions" section.
* The API reference follows ``finmodel.__all__``: a public name that no page of
  ``docs/api/`` documents yet is documented on a generated page, "More public names",
  and a ``::: finmodel.NAME`` block for a name that is no longer public is left out
  (with a note in the build log), so a new, renamed or removed object never breaks the
  reference or goes missing from it.
* A page the navigation names but that has not been written yet gets a one-line
  stand-in, so that ``mkdocs build --strict`` passes while it is being written; the
  real file replaces it as soon as it exists.
* Sphinx roles in docstrings (``:class:`~finmodel.Saving```, ``:math:`...```),
  which mkdocstrings prints as they are, are shown as plain code.
"""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.docs_site")

NOTEBOOKS = "Notebooks"
DECISIONS = "Design decisions"
API = "API"
MORE_API = "api/more.md"

#: pages written separately: path in docs/ -> heading of the stand-in page
STAND_INS = {
    "scenario-files.md": "Scenario files",
    "performance.md": "Performance",
    "scale.md": "Scale",
}

#: Docstring problems already reported to the package's owners, as (file, text in the
#: warning). They are shown as INFO rather than failing the strict build; remove an
#: entry once the docstring is fixed. Any other docstring warning fails the build.
KNOWN_DOCSTRING_PROBLEMS: tuple[tuple[str, str], ...] = ()


class _KnownProblems(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno == logging.WARNING and any(
            path in message and text in message for path, text in KNOWN_DOCSTRING_PROBLEMS
        ):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = f"{message} (known, reported)", None
        return True


def _install_filter() -> None:
    logger = logging.getLogger("mkdocs.plugins.griffe")
    if not any(isinstance(f, _KnownProblems) for f in logger.filters):
        logger.addFilter(_KnownProblems())


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _notebooks(config: MkDocsConfig) -> list[Path]:
    return sorted((_root(config) / "notebooks").glob("*.ipynb"))


def _decisions(config: MkDocsConfig) -> list[str]:
    folder = Path(config.docs_dir) / "decisions"
    pages = sorted(p.relative_to(config.docs_dir).as_posix() for p in folder.glob("*.md"))
    return sorted(pages, key=lambda p: p != "decisions/index.md")  # an index page opens the section


_BLOCK = re.compile(r"^::: finmodel\.(\w+)\s*$")


def _public(config: MkDocsConfig) -> list[str]:
    """The names in ``finmodel.__all__``, read from the source (nothing is imported)."""
    source = (_root(config) / "finmodel" / "__init__.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return []


def _undocumented(config: MkDocsConfig) -> list[str]:
    """Names in finmodel.__all__ that no ``::: finmodel.NAME`` block in docs/api/ renders."""
    documented: set[str] = set()
    for page in (Path(config.docs_dir) / "api").glob("*.md"):
        for line in page.read_text(encoding="utf-8").splitlines():
            match = _BLOCK.match(line)
            if match:
                documented.add(match.group(1))
    return [name for name in _public(config) if name not in documented]


def _drop_private(markdown: str, public: set[str], page: str) -> str:
    """Leave out ``::: finmodel.NAME`` blocks (and their indented options) for non-public names."""
    out: list[str] = []
    skipping = False
    for line in markdown.splitlines(keepends=True):
        match = _BLOCK.match(line)
        if match:
            skipping = match.group(1) not in public
            if skipping:
                log.info("%s: finmodel.%s is not in finmodel.__all__; left out", page, match.group(1))
                continue
        elif skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        else:
            skipping = False
        out.append(line)
    return "".join(out)


def _fill(nav: list[Any], title: str, pages: list[Any], *, append: bool = False) -> list[Any]:
    """Set (or, with ``append``, extend) the nav section ``title``; drop it if left empty."""
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict) and title in item:
            content = [*item[title], *pages] if append else pages
            if content:
                out.append({title: content})
        elif isinstance(item, dict):
            out.append(
                {
                    k: _fill(v, title, pages, append=append) if isinstance(v, list) else v
                    for k, v in item.items()
                }
            )
        else:
            out.append(item)
    return out


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _install_filter()
    nav = _fill(config.nav or [], NOTEBOOKS, [f"notebooks/{p.name}" for p in _notebooks(config)])
    nav = _fill(nav, DECISIONS, _decisions(config))
    if _undocumented(config):
        nav = _fill(nav, API, [{"More public names": MORE_API}], append=True)
    config.nav = nav
    folder = str(_root(config) / "notebooks")
    if folder not in config.watch:
        config.watch.append(folder)
    return config


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path in _notebooks(config):
        # a plain File rooted at the repository (mkdocs-jupyter cannot wrap a generated one)
        files.append(
            File(
                f"notebooks/{path.name}",
                src_dir=str(_root(config)),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    for page, heading in STAND_INS.items():
        if files.get_file_from_path(page) is None:
            files.append(
                File.generated(config, page, content=f"# {heading}\n\nThis page is being written.\n")
            )
    missing = _undocumented(config)
    if missing:
        blocks = "\n\n".join(f"::: finmodel.{name}" for name in missing)
        content = f"# More public names\n\nPublic objects not yet placed on another page.\n\n{blocks}\n"
        files.append(File.generated(config, MORE_API, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.startswith("api/"):
        return markdown
    return _drop_private(markdown, set(_public(config)), page.file.src_uri)


_ROLE = re.compile(r":(?:class|func|meth|mod|attr|exc|data|obj):<code>~?([^<]*)</code>")
_MATH = re.compile(r":math:<code>")


def _show_role(match: re.Match[str]) -> str:
    target = match.group(1)
    shown = target.rsplit(".", 1)[-1] if match.group(0).find("<code>~") >= 0 else target
    return f"<code>{shown}</code>"


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.startswith("api/"):
        return html
    return _MATH.sub("<code>", _ROLE.sub(_show_role, html))
