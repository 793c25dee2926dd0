"""Reports: one page per theorem in HTML, Markdown and LaTeX, plus an index.

>>> import tempfile, theorems
>>> from theorems.report import write_report
>>> with tempfile.TemporaryDirectory() as out:
...     verdicts = theorems.verify(["dropout.doubling"], profile="quick")
...     paths = write_report(verdicts, out, formats=("md",), command="doctest")
...     sorted(p.name for p in paths if p.suffix == ".md")
['dropout.doubling.md', 'dropout.md', 'index.md']
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from theorems.core import Verdict

__all__ = ["FORMATS", "write_report", "parse_formats"]

FORMATS = ("html", "md", "tex")


def parse_formats(text: str) -> tuple[str, ...]:
    """'md,html' -> ('md', 'html'); ValueError naming an unknown format."""
    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if not chosen or unknown:
        raise ValueError(f"--format: expected a comma-separated subset of {','.join(FORMATS)}, "
                         f"got {text!r}")
    return chosen


def _page_files(render, page, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The files of one page (its formats, its figures, its note), by relative name."""
    files: dict[str, bytes] = {}
    writers = {"html": render.html_page, "md": render.markdown_page, "tex": render.latex_page}
    for fmt in formats:
        files[f"{page.slug}.{fmt}"] = writers[fmt](page).encode()
    for fig in page.figures:
        if "md" in formats:
            files[f"figures/{fig.stem}.svg"] = fig.svg.encode()
        if "tex" in formats:
            files[f"figures/{fig.stem}.pdf"] = fig.pdf
    if page.note_text is not None:
        files[f"notes/{Path(page.theorem.note).name}"] = page.note_text.encode()
    return files


def write_report(verdicts: Sequence[Verdict], out: str | os.PathLike,
                 formats: Iterable[str] = FORMATS, command: str = "mathdl report --all",
                 progress: bool = False) -> list[Path]:
    """Write the report of these verdicts into ``out`` and return the files written.

    Everything is first written into a staging folder beside ``out``; files are
    then moved into place one by one with an atomic rename, the index last, so
    an interrupted run leaves the previous report whole.
    """
    import theorems
    from theorems.catalog import get
    from theorems.report import render

    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"formats: unknown {unknown}; expected a subset of {FORMATS}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".report-", dir=out))
    try:
        pages = []
        iterator = verdicts
        if progress:
            from tqdm import tqdm

            iterator = tqdm(verdicts, desc="report", unit="page", leave=False)
        for verdict in iterator:
            pages.append(render.collect(get(verdict.theorem), verdict, command,
                                        theorems.__version__))
        files: dict[str, bytes] = {}
        for page in pages:
            files.update(_page_files(render, page, formats))
        seed = verdicts[0].seed if verdicts else 0
        profile = verdicts[0].profile if verdicts else "standard"
        index: dict[str, bytes] = {}
        if "html" in formats:
            index["index.html"] = render.html_index(pages, command, theorems.__version__, seed,
                                                    profile).encode()
        if "md" in formats:
            index["index.md"] = render.markdown_index(pages).encode()
        for name, data in {**files, **index}.items():
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        written = []
        for name in [*files, *index]:  # the index moves last
            final = out / name
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / name, final)
            written.append(final)
        return written
    finally:
        shutil.rmtree(stage, ignore_errors=True)
