"""Figures of theorems: families build them here, reports serialize them.

matplotlib without a display, serialized once per run.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # reports are written on machines without a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

__all__ = ["new_figure", "to_svg", "to_pdf", "thin", "MAX_POINTS", "running_mean_figure",
           "histogram_figure",
           "spectrum_figure", "class_minimum_figure"]

STYLE = {"figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3, "font.size": 10,
         "svg.hashsalt": "mathdl", "svg.fonttype": "path"}


def new_figure(width: float = 6.0, height: float = 3.6):
    """A figure and its axes in the report style."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def to_svg(fig) -> str:
    """The figure as an inline SVG element (no XML prolog, no DOCTYPE, stable ids)."""
    buf = io.StringIO()
    with plt.rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = re.sub(r"^.*?(<svg)", r"\1", svg, flags=re.S)
    return svg


def to_pdf(fig) -> bytes:
    """The figure as PDF bytes (for the LaTeX report)."""
    buf = io.BytesIO()
    with plt.rc_context(STYLE):
        fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "ModDate": None})
    return buf.getvalue()


def close(fig) -> None:
    plt.close(fig)


def running_mean_figure(losses: np.ndarray, exact: float, title: str, z: float = 2.0):
    """Monte Carlo running mean with a +-z standard-error band, against the exact value."""
    losses = np.asarray(losses, dtype=float)
    count = np.arange(1, losses.size + 1)
    mean = np.cumsum(losses) / count
    second = np.cumsum(losses**2) / count
    se = np.sqrt(np.maximum(second - mean**2, 0.0) / np.maximum(count - 1, 1))
    fig, ax = new_figure()
    ax.fill_between(count, mean - z * se, mean + z * se, alpha=0.3,
                    label=f"running mean +- {z:g} standard errors")
    ax.plot(count, mean, lw=1.2)
    ax.axhline(exact, color="black", ls="--", lw=1, label="closed form")
    ax.set_xscale("log")
    ax.set_xlabel("number of masks")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend(loc="best")
    return fig


def histogram_figure(values: np.ndarray, reference: float, title: str, xlabel: str,
                     reference_label: str = "global value"):
    """Histogram of final losses as relative excess over a reference value (line at 0).

    Relative excess keeps runs that reach the reference to round-off (1e-13) and runs
    stuck far above it readable on one axis.
    """
    fig, ax = new_figure()
    excess = (np.asarray(values, dtype=float) - reference) / max(abs(reference), 1e-300)
    span = max(float(np.ptp(excess)), float(np.max(np.abs(excess))), 1e-16)
    bins = np.linspace(min(excess.min(), 0.0) - 0.05 * span, excess.max() + 0.05 * span, 31)
    ax.hist(excess, bins=bins, color="tab:blue", alpha=0.8)
    ax.axvline(0.0, color="black", ls="--", lw=1, label=f"{reference_label} ({reference:.6g})")
    ax.set_xlabel(f"{xlabel}: relative excess over the reference")
    ax.set_ylabel("runs")
    ax.set_title(title)
    ax.legend(loc="best")
    return fig


def spectrum_figure(series: dict[str, Sequence[float]], title: str):
    """Several spectra (singular values) on one axis, index on x."""
    fig, ax = new_figure()
    for label, values in series.items():
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, values.size + 1), values, marker="o", label=label)
    ax.set_xlabel("index i")
    ax.set_ylabel("singular value")
    ax.set_title(title)
    ax.legend(loc="best")
    return fig


def class_minimum_figure(labels: Sequence[str], minima: Sequence[float], title: str,
                         rtol: float = 1e-9):
    """One bar per class: the minimum Hessian eigenvalue (symlog scale, zero line).

    Values within ``rtol * max |value|`` of zero count as zero (green, like positive).
    """
    fig, ax = new_figure()
    minima = np.asarray(minima, dtype=float)
    zero = rtol * float(np.max(np.abs(minima)))
    colors = ["tab:green" if v >= -zero else "tab:red" for v in minima]
    ax.bar(np.arange(len(labels)), minima, color=colors)
    ax.set_xticks(np.arange(len(labels)), labels, rotation=30, ha="right")
    ax.axhline(0.0, color="black", lw=0.8)
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_ylabel("minimum Hessian eigenvalue")
    ax.set_title(title)
    return fig


MAX_POINTS = 1500  # per curve: a 100,000-mask running mean drawn in full makes a 1 MB SVG


def _kept(n: int, k: int, log: bool) -> np.ndarray:
    """k of n indices, evenly spaced (log-spaced on a log axis), first and last kept."""
    grid = np.geomspace(1, n, k) - 1 if log else np.linspace(0, n - 1, k)
    return np.unique(np.concatenate([[0, n - 1], np.round(grid).astype(int)]))


def thin(fig, max_points: int = MAX_POINTS) -> str:
    """Downsample every curve and filled band of ``fig`` to at most about ``max_points`` points.

    Returns a note for the caption ("curves drawn at 1,210 of 100,000 points"), or "" when
    nothing was thinned.  Points are spaced evenly along the x axis's scale (log-spaced on
    a log axis), so the shape of a running mean is kept.

    >>> import numpy as np
    >>> fig = running_mean_figure(np.random.default_rng(0).random(20_000), 0.5, "t")
    >>> thin(fig, max_points=300).startswith("curves drawn at ")
    True
    """
    if max_points < 10:
        raise ValueError(f"max_points: expected at least 10, got {max_points!r}")
    drawn, total = 0, 0
    for ax in fig.axes:
        log = ax.get_xscale() == "log"
        for line in ax.get_lines():
            x, y = (np.asarray(v) for v in line.get_data())
            if x.size > max_points:
                keep = _kept(x.size, max_points, log)
                line.set_data(x[keep], y[keep])
                drawn, total = max(drawn, keep.size), max(total, x.size)
        for coll in ax.collections:
            paths = coll.get_paths() if hasattr(coll, "set_verts") else []
            if not paths or max(len(p.vertices) for p in paths) <= 2 * max_points:
                continue
            verts = []
            for path in paths:
                v = path.vertices
                half = _kept(max(len(v) // 2, 2), max_points, log)
                keep = np.unique(np.concatenate([half, len(v) - 1 - half]))
                verts.append(v[keep[(keep >= 0) & (keep < len(v))]])
            coll.set_verts(verts)
    return f"curves drawn at {drawn:,} of {total:,} points" if total else ""
