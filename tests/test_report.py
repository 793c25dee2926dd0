"""Reports as a person sees them: files, escaping, atomic writes, LaTeX, headless Chromium."""

import html
import html.parser
import importlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy

import theorems
from theorems.core import Check, Evidence, Reference, Theorem
from theorems.report import parse_formats, render, write_report

catalog_module = importlib.import_module("theorems.catalog")
INSTALL_HINT = "install Debian's packages: apt-get install chromium texlive-latex-base " \
    "texlive-latex-recommended (make test does this when run as root)"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    verdicts = theorems.verify(["dropout.matrix_factorization", "dropout.doubling"],
                               seed=0, profile="quick")
    write_report(verdicts, out, command="mathdl report dropout.matrix_factorization "
                                        "dropout.doubling --profile quick")
    return out


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k in ("href", "src")]


def parse(path):
    parser = Links()
    parser.feed(path.read_text())
    return parser


def test_pages_in_three_formats(report):
    names = {p.name for p in report.iterdir()}
    for slug in ("dropout.matrix_factorization", "dropout.doubling"):
        assert {f"{slug}.html", f"{slug}.md", f"{slug}.tex"} <= names
    assert {"index.html", "index.md"} <= names
    assert not [n for n in names if n.startswith(".report-")]  # no staging left behind


def test_html_is_self_contained_with_math_and_figures(report):
    page = report / "dropout.matrix_factorization.html"
    parsed = parse(page)
    assert "math" in parsed.tags and "svg" in parsed.tags
    assert "script" not in parsed.tags
    text = page.read_text()
    assert "PROVED" in text and "collapse Kronecker delta" in text
    assert "reproduce with" in text and "seed 0" in text and "profile quick" in text
    for href in parsed.hrefs:
        assert not href.startswith(("http:", "https:", "//")), href
        assert (report / href.split("#")[0]).exists(), f"broken link {href}"
    for href in parse(report / "index.html").hrefs:
        assert (report / href).exists(), f"broken link {href}"


def test_markdown_uses_dollar_math_and_figure_files(report):
    text = (report / "dropout.matrix_factorization.md").read_text()
    assert "$$" in text and r"\mathbb{E}" in text
    for line in text.splitlines():
        if line.startswith("!["):
            target = line.split("](", 1)[1].rstrip(")")
            assert (report / target).is_file()


@pytest.fixture
def hostile(monkeypatch):
    evil = "<script>alert('x')</script> & 50% $x_1$ | {b}"
    theorem = Theorem("test.hostile", evil, None, [evil], [Reference(evil, evil, "v", 2020)],
                      "proofs_notes/dropout.md",
                      [Check(evil, "numeric", lambda ctx: Evidence("numeric", evil, True))])
    table = dict(catalog_module._load())
    table[theorem.id] = theorem
    monkeypatch.setattr(catalog_module, "_cache", table)
    return evil


def test_user_text_is_escaped_everywhere(tmp_path, hostile):
    write_report(theorems.verify(["test.hostile"]), tmp_path, command="mathdl <x>")
    page = (tmp_path / "test.hostile.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<x>" not in page
    md = (tmp_path / "test.hostile.md").read_text()
    assert "<script>" not in md and r"\<script\>" in md
    tex = (tmp_path / "test.hostile.tex").read_text()
    assert r"50\% \$x\_1\$" in tex


def test_an_interrupted_run_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    verdicts = theorems.verify(["dropout.doubling"], profile="quick")
    write_report(verdicts, tmp_path, command="first")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def interrupted(page):
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "latex_page", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_report(verdicts, tmp_path, command="second")
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


def test_formats_are_validated():
    assert parse_formats("md, html") == ("md", "html")
    with pytest.raises(ValueError, match="--format"):
        parse_formats("pdf")


def test_notebook_reprs():
    verdict = theorems.verify("dropout.doubling", profile="quick")[0]
    assert "<table>" in verdict._repr_html_()
    assert "<math" in theorems.get("dropout.doubling")._repr_html_()


def test_verify_prints_nothing_extra_on_stderr_when_it_is_not_a_terminal():
    proc = subprocess.run([sys.executable, "-m", "theorems", "verify", "dropout.doubling",
                           "--profile", "quick"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stderr == ""


def _require(tool):
    path = shutil.which(tool)
    if path is None:
        # a missing tool fails: a skip would hide that the reports were never looked at
        pytest.fail(f"{tool} not found: {INSTALL_HINT}")
    return path


def test_latex_reports_compile(report, tmp_path):
    pdflatex = _require("pdflatex")
    for tex in ("dropout.matrix_factorization.tex", "dropout.doubling.tex"):
        proc = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                               f"-output-directory={tmp_path}", tex], cwd=report,
                              capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stdout[-2000:]
        assert (tmp_path / tex.replace(".tex", ".pdf")).stat().st_size > 10_000


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _chromium(tmp_path, *args):
    chromium = _require("chromium")
    profile = tmp_path / "chromium-profile"
    return subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("page", ["index.html", "dropout.matrix_factorization.html"])
def test_pages_render_in_headless_chromium(report, tmp_path, page):
    url = (report / page).as_uri()
    dom = _chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    if page == "index.html":
        assert "dropout.matrix_factorization.html" in dom.stdout
    else:
        assert dom.stdout.count("<math") >= 5  # statement and every derivation step
        assert "<svg" in dom.stdout and "<figure" in dom.stdout
    shot = tmp_path / "shot.png"
    result = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", url)
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    from matplotlib.image import imread

    pixels = imread(shot)
    # a blank page is one colour; a rendered one has text, rules and a coloured banner
    assert pixels[..., :3].std() > 0.05
    import numpy as np

    colours = np.unique((pixels[..., :3] * 255).astype(int).reshape(-1, 3), axis=0)
    assert len(colours) > 5


def test_report_command_and_make_verify_target(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "theorems", "report", "dropout.doubling",
                           "--profile", "quick", "--out", str(tmp_path), "--format", "md"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "dropout.doubling.md").is_file()
    assert not (tmp_path / "dropout.doubling.html").exists()
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    assert "mathdl verify --all --report reports" in makefile


def test_every_catalog_page_links_correctly_and_compiles(tmp_path):
    """The whole catalog: every link resolves, every LaTeX page compiles."""
    out = tmp_path / "all"
    write_report(theorems.verify(seed=0, profile="quick"), out, command="mathdl report --all")
    for theorem in theorems.catalog():
        page = out / f"{theorem.id}.html"
        parsed = parse(page)
        assert "math" in parsed.tags or not theorem.statement, theorem.id
        for href in parsed.hrefs:
            assert (out / href.split("#")[0]).exists(), f"{theorem.id}: broken link {href}"
    pdflatex = _require("pdflatex")
    for tex in sorted(out.glob("*.tex")):
        proc = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                               f"-output-directory={tmp_path}", tex.name], cwd=out,
                              capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, f"{tex.name}: {proc.stdout[-1500:]}"


# -- the mathematics on the pages: bound indices and free symbols, read back from MathML ---

MATH_NS = "{http://www.w3.org/1998/Math/MathML}"
MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.S)
XML_ENTITIES = {"lt", "gt", "amp", "quot", "apos"}
BIG_OPERATORS = {"\u2211", "\u220f"}


@pytest.fixture(scope="module")
def catalog_report(tmp_path_factory):
    """The whole catalog at seed 0, quick profile, in every format."""
    out = tmp_path_factory.mktemp("catalog")
    verdicts = theorems.verify(seed=0, profile="quick")
    write_report(verdicts, out, command="mathdl report --all --profile quick")
    return out, verdicts


def _math_elements(page_text):
    """Each ``<math>`` element of a page, parsed by xml.etree (named entities resolved)."""
    def entity(match):
        return match.group(0) if match.group(1) in XML_ENTITIES else html.unescape(match.group(0))

    elements = []
    for text in MATH_ELEMENT.findall(page_text):
        try:
            elements.append(ET.fromstring(re.sub(r"&(\w+);", entity, text)))
        except ET.ParseError as exc:  # malformed MathML is wrong mathematics too
            elements.append(exc)
    return elements


def _text(element):
    return "".join(element.itertext()).replace("\u2062", "").replace(" ", "")


def _undummy(bounds):
    """Dummy indices are numbered per call (_k1440): compare them by their stem."""
    return sorted(tuple(re.sub(r"^_?([A-Za-z]+)\d+$", r"\1#", part) for part in bound)
                  for bound in bounds)


def _shown_bounds(root):
    """(index, lower, upper) of every big operator the MathML shows."""
    bounds = []
    for el in root.iter(f"{MATH_NS}munderover"):
        op, under, upper = list(el)
        if op.tag == f"{MATH_NS}mo" and _text(op) in BIG_OPERATORS:
            parts = list(under)
            assert len(parts) == 3 and _text(parts[1]) == "=", ET.tostring(under)
            bounds.append((_text(parts[0]), _text(parts[2]), _text(upper)))
    return sorted(bounds)


def _printed(expr):
    from theorems.report.mathml import mathml

    return _text(ET.fromstring(mathml(expr)))


def _sympy_bounds(expr):
    """(index, lower, upper) of every limit of every Sum and Product, as SymPy has them."""
    bounds = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Sum | sympy.Product):
            bounds += [tuple(_printed(x) for x in limit) for limit in node.limits]
    return sorted(bounds)


def _free_names(expr):
    names = set()
    for sym in expr.free_symbols:
        if isinstance(sym, sympy.Indexed):
            continue
        names.add(_printed(sym.label if isinstance(sym, sympy.IndexedBase) else sym))
    return names


def _shape_only_names(expr):
    """Sizes of 0, 1 and identity matrices: SymPy counts them free, no one prints them."""
    shapes = set()
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.ZeroMatrix | sympy.OneMatrix | sympy.Identity):
            shapes |= {_printed(s) for s in node.free_symbols}
    return shapes


def _page_expressions(theorem):
    """What a page shows in MathML, in order: the statement, then each derivation."""
    from theorems.symbolic.printing import notate

    exprs = [notate(st) for st in render.statements(theorem)]
    for factory in theorem.derivations.values():
        der = factory() if callable(factory) else factory  # some families store Derivations
        exprs += [notate(der.start)] + [notate(step.expr) for step in der.steps]
    return exprs


def test_mathml_shows_every_bound_index_and_free_symbol(catalog_report):
    out, _ = catalog_report
    wrong = []
    for theorem in theorems.catalog():
        shown = _math_elements((out / f"{theorem.id}.html").read_text())
        exprs = _page_expressions(theorem)
        assert len(shown) >= len(exprs), theorem.id
        for k, (expr, root) in enumerate(zip(exprs, shown, strict=False)):
            if isinstance(root, Exception):
                wrong.append(f"{theorem.id} #{k}: not well-formed MathML: {root}")
                continue
            if _undummy(_shown_bounds(root)) != _undummy(_sympy_bounds(expr)):
                wrong.append(f"{theorem.id} #{k}: bounds {_shown_bounds(root)} "
                             f"!= {_sympy_bounds(expr)}")
            texts = {_text(el) for el in root.iter()}
            missing = _free_names(expr) - texts - _shape_only_names(expr)
            if missing:
                wrong.append(f"{theorem.id} #{k}: free symbols {sorted(missing)} not shown")
            words = {_text(el) for el in root.iter(f"{MATH_NS}mi")} & SPELLED_OUT
            if words:
                wrong.append(f"{theorem.id} #{k}: spelled out {sorted(words)}")
    assert not wrong, "\n".join(wrong)


SPELLED_OUT = {"order", "product", "theta", "lambda", "sigma", "kappa", "tau", "rho", "delta"}


def test_mathml_printer_fixes():
    """Multi-index sums, O(.), products, Greek function names, minus signs, snake_case."""
    from theorems.report.mathml import mathml

    a, b, m, n, t, d, H = sympy.symbols("a b m n t d H")
    X = sympy.IndexedBase("X")
    root = ET.fromstring(mathml(sympy.Sum(X[a, b], (a, 1, m), (b, 1, n))))
    assert _shown_bounds(root) == [("a", "1", "m"), ("b", "1", "n")]
    order = _text(ET.fromstring(mathml(sympy.O(t**(2 * H + 2), (t, 0)))))
    assert order.startswith("O(") and "order" not in order
    assert _shown_bounds(ET.fromstring(mathml(sympy.Product(t, (t, 1, H))))) == [("t", "1", "H")]
    assert "θ" in _text(ET.fromstring(mathml(sympy.Function("theta")(d))))
    assert "-" not in _text(ET.fromstring(mathml(t - 1)))
    pred = ET.fromstring(mathml(sympy.Symbol("globally_optimal")))
    assert [el.text for el in pred.iter(f"{MATH_NS}mtext")] == ["globally optimal"]
    assert not list(pred.iter(f"{MATH_NS}msub"))


OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\)")
MAX_OVERFULL_PT = 5.0  # a few points of a long word into the margin are invisible; more is cut
MAX_PAGE_BYTES = 1_000_000


def test_every_latex_page_compiles_without_overfull_boxes(catalog_report, tmp_path):
    out, _ = catalog_report
    pdflatex = _require("pdflatex")
    wide = []
    for tex in sorted(out.glob("*.tex")):
        proc = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                               f"-output-directory={tmp_path}", tex.name], cwd=out,
                              capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, f"{tex.name}: {proc.stdout[-1500:]}"
        log = (tmp_path / tex.with_suffix(".log").name).read_text(errors="replace")
        wide += [f"{tex.name}: {pt} pt" for pt in OVERFULL.findall(log)
                 if float(pt) > MAX_OVERFULL_PT]
    assert not wide, "\n".join(wide)


def test_latex_footer_typesets_the_command_as_code(catalog_report):
    out, _ = catalog_report
    tex = (out / "dropout.doubling.tex").read_text()
    # every hyphen is followed by {} so that T1 fonts make no en-dash ligature of "--"
    assert r"\texttt{mathdl report -{}-{}all -{}-{}profile quick}" in tex


def test_html_pages_stay_within_a_megabyte_and_say_how_curves_were_thinned(catalog_report):
    out, _ = catalog_report
    sizes = {p.name: p.stat().st_size for p in out.glob("*.html")}
    assert max(sizes.values()) <= MAX_PAGE_BYTES, sizes
    page = (out / "dropout.matrix_factorization.html").read_text()
    assert re.search(r"curves drawn at [\d,]+ of [\d,]+ points", page)


def test_thinning_keeps_the_ends_and_bounds_the_points():
    import numpy as np

    from theorems import figures

    losses = np.random.default_rng(0).random(100_000)
    fig = figures.running_mean_figure(losses, 0.5, "t")
    note = figures.thin(fig, max_points=500)
    assert note.endswith("of 100,000 points")
    line = max(fig.axes[0].get_lines(), key=lambda ln: len(ln.get_xdata()))
    x = line.get_xdata()
    assert len(x) <= 500 + 2 and x[0] == 1 and x[-1] == 100_000
    assert len(figures.to_svg(fig)) < 200_000
    figures.close(fig)


@pytest.fixture
def refuted(monkeypatch):
    """A theorem whose second check fails with a counterexample."""
    def failing(ctx):
        return Evidence("numeric", "relative error of the claim", False, 0.426, 1e-10,
                        counterexample={"X": [[0.123456789012345, -2.0]], "seed": ctx.seed})

    theorem = Theorem("test.refuted", "A false claim", sympy.Eq(sympy.Symbol("x"), 1),
                      ["x > 0"], [], "proofs_notes/dropout.md",
                      [Check("fine", "numeric", lambda ctx: Evidence("numeric", "fine", True)),
                       Check("claim", "numeric", failing)])
    table = dict(catalog_module._load())
    table[theorem.id] = theorem
    monkeypatch.setattr(catalog_module, "_cache", table)
    return theorem


def test_a_refuted_page_leads_with_its_counterexample(tmp_path, refuted):
    verdicts = theorems.verify(["test.refuted"], profile="quick")
    write_report(verdicts, tmp_path, command="mathdl report test.refuted")
    for name, statement in (("test.refuted.html", "<h2>Statement"),
                            ("test.refuted.md", "## Statement"),
                            ("test.refuted.tex", r"\subsection*{Statement}")):
        text = (tmp_path / name).read_text().replace(r"\>", ">")
        assert text.index("Counterexample") < text.index(statement), name
        assert "relative error of the claim" in text[:text.index(statement)], name
        assert "measured 0.426 &gt; tolerance 1e-10" in text or \
            "measured 0.426 > tolerance 1e-10" in text or \
            r"measured 0.426 \textgreater{} tolerance 1e-10" in text, name
    view = verdicts[0]._repr_html_()
    assert view.index("Counterexample") < view.index("<table>")
    markdown = verdicts[0]._repr_markdown_()
    assert markdown.index("Failing check") < markdown.index("| |")
    assert "None" not in markdown and "0.123456789" not in markdown
    assert "0.123" in markdown
    assert "measured 0.426 > tolerance 1e-10" in verdicts[0].summary()
    assert len(repr(verdicts[0])) < 120 and "\n" not in repr(verdicts[0])
    assert "failing check" in verdicts[0]._repr_latex_()


def test_theorem_latex_view():
    latex = theorems.get("dropout.matrix_factorization")._repr_latex_()
    assert latex.startswith("$$") and r"\sum" in latex


def test_the_index_merges_with_the_pages_already_in_the_folder(tmp_path):
    write_report(theorems.verify(["dropout.doubling"], profile="quick"), tmp_path,
                 command="first run")
    write_report(theorems.verify(["dropout.linear_regression"], profile="quick"), tmp_path,
                 command="second run")
    index = (tmp_path / "index.html").read_text()
    for slug in ("dropout.doubling", "dropout.linear_regression"):
        assert f'href="{slug}.html"' in index, slug
    assert "first run" in index and "second run" in index
    md = (tmp_path / "index.md").read_text()
    assert "`first run`" in md and "`second run`" in md
    for href in parse(tmp_path / "index.html").hrefs:
        assert (tmp_path / href).exists(), f"broken link {href}"


def test_a_claim_verdict_gets_a_page(tmp_path):
    from theorems.report import write_claim_report

    x = sympy.Symbol("x", positive=True)
    claim = theorems.Claim("my.square", (x + 1) ** 2, x**2 + 1)
    verdict = theorems.falsify(claim, max_examples=20)
    write_report(theorems.verify(["dropout.doubling"], profile="quick"), tmp_path,
                 command="catalog run")
    write_claim_report(claim, verdict, tmp_path, command="mathdl falsify --report DIR")
    page = (tmp_path / "my.square.html").read_text()
    assert verdict.status.value.upper() in page and "Counterexample" in page
    root = _math_elements(page)[0]
    assert "x" in {_text(el) for el in root.iter()}
    index = (tmp_path / "index.html").read_text()
    assert 'href="my.square.html"' in index and 'href="dropout.doubling.html"' in index
    pdflatex = _require("pdflatex")
    proc = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                           f"-output-directory={tmp_path}", "my.square.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-1500:]
    with pytest.raises(ValueError, match="verdict"):
        write_claim_report(theorems.Claim("other", x, x), verdict, tmp_path)


PROBE = """<script>
addEventListener("load", () => {
  const maths = [...document.querySelectorAll("math")];
  const empty = maths.filter(m => { const r = m.getBoundingClientRect();
                                    return !(r.width > 0 && r.height > 0); }).length;
  document.body.setAttribute("data-probe", JSON.stringify({maths: maths.length, empty,
    scroll: document.documentElement.scrollWidth, view: window.innerWidth}));
});
</script>"""


def test_every_math_element_has_a_box_and_no_page_scrolls_sideways(catalog_report, tmp_path):
    """Chromium renders MathML Core: each <math> gets a box, and a 1280 px window suffices."""
    import json

    out, _ = catalog_report
    bad = []
    for page in sorted(out.glob("*.html")):
        probe = out / f".probe-{page.name}"  # beside the page, so figures and links resolve
        probe.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
        try:
            dom = _chromium(tmp_path, "--dump-dom", "--window-size=1280,1000", probe.as_uri())
        finally:
            probe.unlink()
        found = re.search(r"data-probe=\"([^\"]*)\"", dom.stdout)
        assert found, f"{page.name}: no probe result: {dom.stderr[-500:]}"
        result = json.loads(html.unescape(found.group(1)))
        if result["empty"] or result["scroll"] > result["view"]:
            bad.append(f"{page.name}: {result}")
    assert not bad, "\n".join(bad)


def test_hypotheses_written_as_sympy_print_as_mathematics():
    from theorems.report import notebook

    x = sympy.Symbol("x")
    theorem = Theorem("test.math_hypothesis", "t", sympy.Eq(x, x), [
        sympy.Contains(x, sympy.Interval.Lopen(0, 1), evaluate=False), "x_1 in words"], [], "",
        [])
    fragment = render.theorem_html(theorem)
    assert fragment.count("<math") == 2 and "x_1 in words" in fragment
    markdown = notebook.theorem_markdown(theorem)
    assert r"- $x \in \left(0, 1\right]$" in markdown and r"x\_1 in words" in markdown
