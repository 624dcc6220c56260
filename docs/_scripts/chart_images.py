"""Draw the images of docs/charts.md from the page's own examples.

Runs the page's python blocks in order, in one namespace (as tests/test_docs.py does),
and after each block saves the figure it left in ``fig`` to the image the page shows
next (``![...](img/charts/NAME.png)``). So the pictures are always those of the code
beside them. The site build does not run this; run it after changing a chart or the
page, and commit the images:

    .venv/bin/python docs/_scripts/chart_images.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

DOCS = Path(__file__).resolve().parents[1]
PAGE = DOCS / "charts.md"
SKIP = "<!-- docs-test: skip -->"
IMAGE = re.compile(r"!\[[^\]]*\]\((img/charts/[\w-]+\.png)\)")
#: Resolution of the images on the page (the charts are 8 x 4.5 inches).
DPI = 110


def blocks(text: str) -> list[tuple[str, str | None]]:
    """Each python block that runs, with the image shown after it (before the next block)."""
    lines = text.splitlines()
    found: list[tuple[str, str | None]] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("```python"):
            i += 1
            continue
        skip = i > 0 and lines[i - 1].strip() == SKIP
        start = i + 1
        i = start
        while not lines[i].startswith("```"):
            i += 1
        code = "\n".join(lines[start:i])
        rest = "\n".join(lines[i + 1 :])
        following = rest.split("```python", 1)[0]
        image = IMAGE.search(following)
        if not skip:
            found.append((code, image.group(1) if image else None))
        i += 1
    return found


def main() -> int:
    namespace: dict[str, object] = {"__name__": "docs.charts"}
    saved = []
    for code, image in blocks(PAGE.read_text(encoding="utf-8")):
        namespace.pop("fig", None)
        exec(compile(code, str(PAGE), "exec"), namespace)
        if image is None:
            continue
        fig = namespace.get("fig")
        if fig is None:
            raise SystemExit(f"{PAGE.name}: the block before {image} leaves no figure in `fig`")
        fig.savefig(DOCS / image, dpi=DPI, bbox_inches="tight")  # type: ignore[attr-defined]
        saved.append(image)
    print("\n".join(f"wrote docs/{name}" for name in saved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
