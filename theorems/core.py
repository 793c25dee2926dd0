"""Theorems, the evidence their checks produce, and the verdict that sums it up.

A :class:`Theorem` is a statement with hypotheses, references and a list of
:class:`Check` objects.  Running the checks gives :class:`Evidence`; the
evidence is folded into a :class:`Verdict` by one rule (see :func:`fold_status`):

* any failed check                 -> ``refuted`` (with the first counterexample);
* else any check without an answer -> ``inconclusive``;
* else the statement itself was derived for symbolic sizes -> ``proved``;
* else                             -> ``verified``.

``proved`` needs more than a valid general derivation: the derivation's first and
last expressions must be the two sides of the theorem's own statement (every
conjunct of it, when the statement is an ``And``).  A derivation records the
conjuncts it establishes in ``details["proves"]`` (see
:func:`theorems.derivation.run_derivation`); a general derivation of something
else counts as ``verified`` evidence only.

A check that raises is recorded as inconclusive with the error, never as passed;
every inconclusive evidence says why (:meth:`Evidence.inconclusive`).
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from theorems.views import _comparison, _md, verdict_latex, verdict_markdown

__all__ = [
    "Status",
    "Profile",
    "PROFILES",
    "Context",
    "Evidence",
    "Check",
    "Reference",
    "Variant",
    "Theorem",
    "Verdict",
    "fold_status",
    "conjunct_count",
    "jsonable",
    "SCHEMA",
]

SCHEMA = "mathdl.verdicts/1"


class Status(StrEnum):
    """The four outcomes of a verification (DESIGN.md)."""

    PROVED = "proved"
    VERIFIED = "verified"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Profile:
    """How much work a verification does.

    Attributes
    ----------
    name : str
        ``quick``, ``standard`` or ``thorough``.
    instances : int
        Random instances per numeric check.
    samples : int
        Monte Carlo samples (dropout masks) per instance.
    starts : int
        Random initializations for landscape experiments.
    """

    name: str
    instances: int
    samples: int
    starts: int


PROFILES: dict[str, Profile] = {
    "quick": Profile("quick", instances=4, samples=20_000, starts=64),
    "standard": Profile("standard", instances=12, samples=100_000, starts=256),
    "thorough": Profile("thorough", instances=40, samples=400_000, starts=1024),
}


def _profile(profile: str | Profile) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile not in PROFILES:
        raise ValueError(
            f"profile: expected one of {', '.join(PROFILES)}, got {profile!r}"
        )
    return PROFILES[profile]


@dataclass(frozen=True)
class Context:
    """What a check receives: the seed, the profile and seeded generators."""

    seed: int
    profile: Profile

    def rng(self, name: str) -> np.random.Generator:
        """A generator that depends only on the seed and ``name``.

        Each check draws from its own stream, so adding or reordering checks
        never changes the instances another check sees.
        """
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])


def jsonable(value: Any) -> Any:
    """Convert NumPy and SymPy values to plain JSON values (NaN/inf become strings)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if math.isfinite(v) else str(v)
    if value is None or isinstance(value, str):
        return value
    return str(value)


@dataclass
class Evidence:
    """The outcome of one check.

    Attributes
    ----------
    kind : str
        ``symbolic``, ``numeric``, ``convex`` or ``landscape``.
    name : str
        What was checked, in a few words.
    passed : bool or None
        True or False; None when no answer could be obtained (inconclusive).
    measured, tolerance : float or None
        The worst measured discrepancy and the tolerance it was held to.
    instances : int
        How many instances (sizes, random draws, starts) the check covered.
    general : bool
        True only for a symbolic derivation valid for symbolic sizes.
    details : dict
        Anything a reader needs to interpret the numbers (JSON values).
    counterexample : dict or None
        For a failed check: an instance that breaks the statement, with the
        seed that reproduces it.
    seconds : float
        Wall time of the check (the only field that varies between runs).
    """

    kind: str
    name: str
    passed: bool | None
    measured: float | None = None
    tolerance: float | None = None
    instances: int = 1
    general: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    counterexample: dict[str, Any] | None = None
    seconds: float = 0.0

    @classmethod
    def inconclusive(cls, kind: str, name: str, reason: str, **details: Any) -> Evidence:
        """Evidence without an answer, with the reason a reader sees (``details["error"]``).

        The one constructor for inconclusive evidence: ``mathdl verify`` prints the
        reason under the check, so an inconclusive verdict always says why.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError("reason: an inconclusive evidence must say why, got "
                             f"{reason!r}")
        return cls(kind, name, None, details={**details, "error": reason})

    @property
    def proves(self) -> frozenset[int]:
        """The statement conjuncts this evidence derives for symbolic sizes (may be empty)."""
        if not (self.general and self.kind == "symbolic" and self.passed is True):
            return frozenset()
        return frozenset(int(i) for i in self.details.get("proves", ()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "passed": self.passed,
            "measured": jsonable(self.measured),
            "tolerance": jsonable(self.tolerance),
            "instances": int(self.instances),
            "general": self.general,
            "details": jsonable(self.details),
            "counterexample": jsonable(self.counterexample),
            "seconds": round(self.seconds, 4),
        }


CheckFn = Callable[[Context], "Evidence | Sequence[Evidence]"]


@dataclass(frozen=True)
class Check:
    """A named function from a :class:`Context` to one or more :class:`Evidence`."""

    name: str
    kind: str
    run: CheckFn
    backed_by: str = ""  # the kernel that does the work, for readers and reports

    def __call__(self, ctx: Context) -> list[Evidence]:
        start = time.perf_counter()
        try:
            out = self.run(ctx)
        except Exception as exc:  # noqa: BLE001 - recorded, never counted as a pass
            out = Evidence.inconclusive(self.kind, self.name, f"{type(exc).__name__}: {exc}")
        evidence = [out] if isinstance(out, Evidence) else list(out)
        elapsed = time.perf_counter() - start
        for ev in evidence:
            ev.seconds = elapsed / max(len(evidence), 1)
        return evidence


@dataclass(frozen=True)
class Reference:
    """A bibliographic reference."""

    authors: str
    title: str
    venue: str
    year: int
    arxiv: str | None = None
    where: str | None = None  # theorem, section or equation number, where known

    def __str__(self) -> str:
        s = f"{self.authors}, \"{self.title}\", {self.venue} {self.year}"
        if self.arxiv:
            s += f", arXiv:{self.arxiv}"
        if self.where:
            s += f" ({self.where})"
        return s


def fold_status(evidence: Iterable[Evidence], conjuncts: int = 1) -> Status:
    """The verdict rule of DESIGN.md: refuted > inconclusive > proved > verified.

    ``proved`` needs the passed general symbolic evidence to derive every one of the
    statement's ``conjuncts`` (:attr:`Evidence.proves`); otherwise passing evidence
    gives ``verified``.
    """
    evidence = list(evidence)
    if not evidence:
        return Status.INCONCLUSIVE
    if any(ev.passed is False for ev in evidence):
        return Status.REFUTED
    if any(ev.passed is None for ev in evidence):
        return Status.INCONCLUSIVE
    derived = frozenset().union(*(ev.proves for ev in evidence))
    if conjuncts >= 1 and derived >= frozenset(range(conjuncts)):
        return Status.PROVED
    return Status.VERIFIED


def conjunct_count(statement: Any) -> int:
    """How many conjuncts a statement has: the arguments of a SymPy ``And``, else 1."""
    if type(statement).__name__ == "And":
        return len(statement.args)
    return 1


@dataclass
class Verdict:
    """The result of verifying one theorem."""

    theorem: str
    title: str
    status: Status
    seed: int
    profile: str
    seconds: float
    evidence: list[Evidence]
    counterexample: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True when the status is proved or verified."""
        return self.status in (Status.PROVED, Status.VERIFIED)

    def to_dict(self) -> dict[str, Any]:
        return {
            "theorem": self.theorem,
            "title": self.title,
            "status": self.status.value,
            "seed": self.seed,
            "profile": self.profile,
            "seconds": round(self.seconds, 4),
            "evidence": [ev.to_dict() for ev in self.evidence],
            "counterexample": jsonable(self.counterexample),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """This verdict as a JSON string (one element of the ``verdicts`` list)."""
        return json.dumps(self.to_dict(), indent=indent)

    def summary(self) -> str:
        """One line per evidence under the status; each comparison printed is the one that holds."""
        lines = [f"{self.theorem}: {self.status.value.upper()} ({self.seconds:.1f} s)"]
        for ev in self.evidence:
            mark = {True: "ok  ", False: "FAIL", None: "??  "}[ev.passed]
            scope = " [general sizes]" if ev.general else ""
            lines.append(f"  {mark} {ev.kind:<9} {ev.name}{scope}{_comparison(ev)}")
            if ev.passed is None and "error" in ev.details:
                lines.append(f"       {ev.details['error']}")
        if self.counterexample:
            lines.append(f"  counterexample: {json.dumps(jsonable(self.counterexample))}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<Verdict {self.theorem}: {self.status.value} (seed {self.seed}, {self.profile})>"

    def _repr_markdown_(self) -> str:
        """Escaped, rounded; a refuted verdict leads with its failing check and counterexample."""
        return verdict_markdown(self)

    def _repr_latex_(self) -> str:
        return verdict_latex(self)


@dataclass(frozen=True)
class Variant:
    """A deliberately wrong version of a theorem, declared next to it as data.

    Parameters
    ----------
    name : str
        A short label (``"no 1/d"``, ``"wrong sign"``).
    build : callable
        Zero-argument factory of the wrong :class:`Theorem` (the family's factory
        called with the wrong claimed constants).
    caught_by : tuple of str
        Names of the checks (evidence names) expected to refute it: the contract
        test asserts that the first failing evidence is one of them.
    why : str
        What is wrong, in words.
    """

    name: str
    build: Callable[[], Theorem]
    caught_by: tuple[str, ...]
    why: str = ""

    def __post_init__(self) -> None:
        if not callable(self.build):
            raise TypeError(f"variant {self.name!r}: build must be callable")
        if isinstance(self.caught_by, str) or not self.caught_by:
            raise ValueError(f"variant {self.name!r}: caught_by must name at least one check")


@dataclass
class Theorem:
    """A statement of deep-learning theory with the checks that back it.

    Parameters
    ----------
    id : str
        ``family.name``, as listed by ``mathdl list``.
    title : str
        A one-line title.
    statement : object
        The statement as a SymPy object (printable as LaTeX or MathML).
    hypotheses : list of str
        What the statement assumes, in words.
    references : list of Reference
    note : str
        Path of the proof note, relative to the project root.
    checks : list of Check
    derivations : dict
        Named zero-argument callables returning :class:`~theorems.derivation.Derivation`
        objects, for readers and reports (their checks are among ``checks``).
    figures : dict
        Named callables ``figure(ctx) -> matplotlib.figure.Figure`` for reports,
        drawn from the same seeded instances as the checks.
    expected : Status
        The status the library expects of the true theorem (the contract test holds
        every catalog theorem to it).
    variants : tuple of Variant
        Wrong versions that must come out refuted.
    """

    id: str
    title: str
    statement: Any
    hypotheses: list[str]
    references: list[Reference]
    note: str
    checks: list[Check]
    derivations: dict[str, Callable[[], Any]] = field(default_factory=dict)
    figures: dict[str, Callable[[Context], Any]] = field(default_factory=dict)
    expected: Status = Status.VERIFIED
    variants: tuple[Variant, ...] = ()

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    def verify(self, seed: int = 0, profile: str | Profile = "standard") -> Verdict:
        """Run every check and fold the evidence into a :class:`Verdict`.

        Parameters
        ----------
        seed : int
            Seeds every random instance; the same seed and profile give the
            same verdict (up to timings).
        profile : {"quick", "standard", "thorough"}
        """
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
        prof = _profile(profile)
        ctx = Context(int(seed), prof)
        start = time.perf_counter()
        evidence: list[Evidence] = []
        for check in self.checks:
            evidence.extend(check(ctx))
        status = fold_status(evidence, conjunct_count(self.statement))
        counterexample = None
        if status is Status.REFUTED:
            failed = next(ev for ev in evidence if ev.passed is False)
            counterexample = dict(failed.counterexample or {"check": failed.name})
            counterexample.setdefault("check", failed.name)
            counterexample.setdefault("seed", int(seed))
        return Verdict(
            theorem=self.id,
            title=self.title,
            status=status,
            seed=int(seed),
            profile=prof.name,
            seconds=time.perf_counter() - start,
            evidence=evidence,
            counterexample=counterexample,
        )

    def with_checks(self, checks: list[Check], **changes: Any) -> Theorem:
        """A copy with other checks (used to build deliberately wrong variants)."""
        return dataclasses.replace(self, checks=checks, **changes)

    def __repr__(self) -> str:
        return f"<Theorem {self.id}: {self.title}>"

    def _repr_markdown_(self) -> str:
        import sympy

        hyp = "\n".join(f"- {_md(h)}" for h in self.hypotheses)
        refs = "\n".join(f"- {_md(r)}" for r in self.references)
        return (f"**{_md(self.id)}**: {_md(self.title)}\n\n$${sympy.latex(self.statement)}$$\n\n"
                f"Hypotheses:\n{hyp}\n\nReferences:\n{refs}\n")

    def _repr_latex_(self) -> str:
        """The statement as display math (SymPy's printer; the facade may attach a finer one)."""
        import sympy

        return f"$${sympy.latex(self.statement)}$$"
