"""The links of the unified chain, the theorems that back them, and their evidence.

Each link names a theorem of another family, imported from that family's
package (``theorems.dropout``, ``theorems.factorization``), never through the
catalog: the chain sits above those families and below the catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from theorems import dropout as dropout_family
from theorems import factorization as factorization_family
from theorems import generalization as generalization_family
from theorems.core import Evidence, Status, Theorem, Verdict, fold_status

__all__ = ["Link", "LINKS", "LINKED_IDS", "SEED_LINKS", "HOWS", "default_factory",
           "link_evidence", "link_name", "unavailable_evidence"]

FAMILIES = {"dropout": dropout_family, "factorization": factorization_family,
            "generalization": generalization_family}

SEED_LINKS: tuple[str, ...] = (
    "dropout is a product-of-weights regularizer",
    "product-of-weights regularizers have no spurious local minima",
    "product-of-weights regularizers generalize well",
)
"""The three links of the seed's slide "Toward a Unified Theory?", in its words."""

HOWS: tuple[str, ...] = (
    "proved symbolically (general sizes)",
    "proved in part symbolically (general sizes), the rest checked numerically",
    "checked numerically",
    "observed",
)
"""How a link is known, strongest first (:func:`link_evidence` picks one)."""


@dataclass(frozen=True)
class Link:
    """One link of the chain: a claim backed by (part of) another theorem's verdict.

    ``seed`` is the link of the seed's slide (1, 2 or 3, :data:`SEED_LINKS`) it
    serves; ``kinds`` selects the evidence of the linked verdict that backs this
    link (None: all of it); ``observed`` marks a link that evidence can only
    observe (a landscape, a statistical test), never prove.
    """

    theorem: str
    claim: str
    seed: int
    kinds: tuple[str, ...] | None = None
    observed: bool = False

    def __post_init__(self) -> None:
        if self.seed not in range(1, len(SEED_LINKS) + 1):
            raise ValueError(f"seed: expected a link of the seed's slide, 1 to "
                             f"{len(SEED_LINKS)}, got {self.seed!r}")


LINKS: tuple[Link, ...] = (
    Link("dropout.matrix_factorization",
         "dropout training objective = ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2 "
         "(a product-of-weights regularizer)", seed=1),
    Link("dropout.induced_regularizer",
         "min over U V^T = M of sum_i ||u_i||^2 ||v_i||^2 = ||M||_*^2 / d", seed=1),
    Link("dropout.global_optimum",
         "global optimum = shrinkage of the top rho singular values by tau, matched by CVXPY",
         seed=2, kinds=("symbolic", "numeric", "convex")),
    Link("dropout.global_optimum",
         "descent and dropout SGD from random starts reach the closed-form value "
         "(no spurious local minima seen)", seed=2, kinds=("landscape",), observed=True),
    Link("factorization.certificate",
         "a stationary factorization with ||grad loss||_2 <= lam is a global optimum of "
         "loss(U V^T) + lam sum_i ||u_i|| ||v_i|| (the certificate used below, squared loss)",
         seed=2),
    Link("generalization.path_norm",
         "the path norm phi_p (dynamic programming = path enumeration) is invariant under "
         "node rescalings, phi_2 <= prod_l ||W_l||_F and |f(x)| <= phi_1 ||x||_inf", seed=3),
    Link("generalization.rademacher_linear",
         "the exact R_S of {x -> w.x : ||w||_2 <= B} lies between (B/(sqrt2 m)) "
         "sqrt(sum ||x_i||^2) and (B/m) sqrt(sum ||x_i||^2)", seed=3),
    Link("generalization.jacobian_margin",
         "input margin >= min(r, o(x)/(sqrt2 L)) when ||J||_2 <= L on the ball; "
         "L <= prod_l ||W_l||_2 for ReLU networks", seed=3),
    Link("generalization.margin_bound_coverage",
         "the margin bound at confidence 1 - delta fails on at most a delta fraction of "
         "draws (exact binomial test)", seed=3, observed=True),
)
LINKED_IDS: tuple[str, ...] = tuple(dict.fromkeys(link.theorem for link in LINKS))


def default_factory(theorem_id: str) -> tuple[Callable[[], Theorem] | None, str | None]:
    """The factory of ``theorem_id`` in its family's ``THEOREMS``, or (None, why not).

    Factories are named as the id's suffix (``dropout.global_optimum`` ->
    ``global_optimum``); a factory of another name is found by the id it builds.
    """
    family_name, _, name = theorem_id.partition(".")
    family = FAMILIES.get(family_name)
    if family is None:
        return None, f"the chain links no family {family_name!r}"
    factories = list(getattr(family, "THEOREMS", ()))
    for factory in factories:
        if getattr(factory, "__name__", None) == name:
            return factory, None
    for factory in factories:
        if factory().id == theorem_id:
            return factory, None
    return None, f"not among theorems.{family_name}.THEOREMS"


def _how(link: Link, evidence: list[Evidence], verdict: Verdict) -> str:
    """One of :data:`HOWS`: proved only when the linked theorem is proved (every conjunct
    of its statement derived for symbolic sizes) and the chosen evidence is proved."""
    if link.observed:
        return HOWS[3]
    if verdict.status is Status.PROVED and fold_status(evidence) is Status.PROVED:
        return HOWS[0]
    if any(ev.general and ev.kind == "symbolic" and ev.passed for ev in evidence):
        return HOWS[1]
    return HOWS[2]


def link_name(index: int, link: Link) -> str:
    """The name of link ``index``'s evidence, before its bracketed status."""
    return f"link {index} (seed link {link.seed}): {link.claim}"


def unavailable_evidence(index: int, link: Link, missing: str) -> Evidence:
    """The evidence of a link whose theorem could not be built: inconclusive, saying why."""
    return Evidence.inconclusive(
        "numeric", link_name(index, link),
        f"{link.theorem} is not available: {missing}; this link is unchecked, "
        "so the chain is inconclusive", theorem=link.theorem, how="unchecked")


def link_evidence(index: int, link: Link, verdict: Verdict) -> Evidence:
    """The evidence of link ``index``: the linked verdict's chosen evidence, folded.

    It is never ``general``: composed from another verdict, the chain itself is
    not proved.  A failing linked check becomes the counterexample, with its theorem.
    """
    name = link_name(index, link)
    chosen = [ev for ev in verdict.evidence if link.kinds is None or ev.kind in link.kinds]
    status = fold_status(chosen)
    how = _how(link, chosen, verdict)
    passed = {Status.REFUTED: False, Status.INCONCLUSIVE: None}.get(status, True)
    kind = ("landscape" if link.observed else
            "symbolic" if how.startswith("proved") else
            "convex" if any(ev.kind == "convex" for ev in chosen) else "numeric")
    failed = next((ev for ev in chosen if ev.passed is False), None)
    cex = None
    if failed is not None:
        cex = {"theorem": link.theorem, "linked_check": failed.name,
               **(failed.counterexample or {})}
    return Evidence(
        kind, f"{name} [{how}; {link.theorem}: {status.value}]", passed,
        instances=sum(ev.instances for ev in chosen),
        general=False,  # composed from another verdict: the chain itself is not proved
        details={"theorem": link.theorem, "how": how, "seed_link": link.seed,
                 "seed_claim": SEED_LINKS[link.seed - 1], "linked_status": status.value,
                 "linked_verdict_status": verdict.status.value,
                 "evidence": [{"kind": ev.kind, "name": ev.name, "passed": ev.passed,
                               "general": ev.general} for ev in chosen]},
        counterexample=cex)
