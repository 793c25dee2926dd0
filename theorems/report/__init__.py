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
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from theorems.core import Theorem, Verdict

__all__ = ["FORMATS", "write_report", "write_claim_report", "claim_theorem", "parse_formats"]

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


def _theorem_of(verdict: Verdict, theorems_by_id: Mapping[str, Theorem]) -> Theorem:
    """The theorem a verdict is about: given, else the catalog's, else a stand-in from the verdict.

    A stand-in (a verdict of a claim whose Theorem is not at hand) has the title and
    no statement; its page still shows the evidence and any counterexample.
    """
    from theorems.catalog import get

    if verdict.theorem in theorems_by_id:
        return theorems_by_id[verdict.theorem]
    try:
        return get(verdict.theorem)
    except (KeyError, ValueError):
        return Theorem(verdict.theorem, verdict.title, None, [], [], "", [])


def write_report(verdicts: Sequence[Verdict], out: str | os.PathLike,
                 formats: Iterable[str] = FORMATS, command: str = "mathdl report --all",
                 progress: bool = False,
                 theorems: Mapping[str, Theorem] | None = None) -> list[Path]:
    """Write the report of these verdicts into ``out`` and return the files written.

    ``theorems`` maps verdict ids to the theorems they are about, for verdicts outside
    the catalog (a claim's, see :func:`write_claim_report`).  The index lists every page
    in ``out``: the pages of earlier runs stay listed, each with the run that wrote it
    (``pages.json``, :mod:`theorems.report.index`).

    Everything is first written into a staging folder beside ``out``; files are
    then moved into place one by one with an atomic rename, the index last, so
    an interrupted run leaves the previous report whole.
    """
    import theorems as package
    from theorems.report import index as index_mod
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
            pages.append(render.collect(_theorem_of(verdict, theorems or {}), verdict, command,
                                        package.__version__))
        files: dict[str, bytes] = {}
        for page in pages:
            files.update(_page_files(render, page, formats))
        entries = index_mod.merge(index_mod.load_entries(out),
                                  [index_mod.entry_of(page, formats) for page in pages])
        seed = verdicts[0].seed if verdicts else 0
        profile = verdicts[0].profile if verdicts else "standard"
        index: dict[str, bytes] = {}
        if "html" in formats:
            index["index.html"] = render.html_index(entries, command, package.__version__, seed,
                                                    profile).encode()
        if "md" in formats:
            index["index.md"] = render.markdown_index(entries).encode()
        index[index_mod.MANIFEST] = index_mod.dump(entries).encode()
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


def claim_theorem(claim: Any) -> Theorem:
    """A page's theorem for a claim of :mod:`theorems.claims`: its name, title and relation.

    A symbolic claim's statement is the SymPy relation ``lhs <relation> rhs``; a numeric
    claim (callables) has none, and the page says what was compared in its evidence.
    """
    import sympy

    name, title = str(claim.name), str(getattr(claim, "title", claim.name))
    lhs, rhs = getattr(claim, "lhs", None), getattr(claim, "rhs", None)
    relation = getattr(claim, "relation", "==")
    statement = None
    if isinstance(lhs, sympy.Basic) and isinstance(rhs, sympy.Basic):
        statement = sympy.Rel(lhs, rhs, "==" if relation == "==" else relation)
    hypotheses = [sympy.Contains(symbol, domain, evaluate=False) for symbol, domain in
                  (getattr(claim, "domains", None) or {}).items()]
    return Theorem(name, title, statement, hypotheses, [], "", [])


def write_claim_report(claim: Any, verdict: Verdict, out: str | os.PathLike,
                       formats: Iterable[str] = FORMATS,
                       command: str = "mathdl falsify") -> list[Path]:
    """Write the page of a claim's verdict (:func:`theorems.falsify`) into ``out``.

    The folder's index keeps every page already there and adds this one.
    """
    if verdict.theorem != claim.name:
        raise ValueError(f"verdict: it is about {verdict.theorem!r}, not the claim "
                         f"{claim.name!r}")
    return write_report([verdict], out, formats=formats, command=command,
                        theorems={claim.name: claim_theorem(claim)})
