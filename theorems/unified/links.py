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
from theorems.core import Evidence, Status, Theorem, Verdict, fold_status

__all__ = ["Link", "LINKS", "LINKED_IDS", "default_factory", "link_evidence",
           "unavailable_evidence"]

FAMILIES = {"dropout": dropout_family, "factorization": factorization_family}


@dataclass(frozen=True)
class Link:
    """One link of the chain: a claim backed by (part of) another theorem's verdict.

    ``kinds`` selects the evidence of the linked verdict that backs this link
    (None: all of it); ``observed`` marks a link that evidence can only
    observe, never prove.
    """

    theorem: str
    claim: str
    kinds: tuple[str, ...] | None = None
    observed: bool = False


LINKS: tuple[Link, ...] = (
    Link("dropout.matrix_factorization",
         "dropout training objective = ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2 "
         "(a product-of-weights regularizer)"),
    Link("dropout.induced_regularizer",
         "min over U V^T = M of sum_i ||u_i||^2 ||v_i||^2 = ||M||_*^2 / d"),
    Link("dropout.global_optimum",
         "global optimum = shrinkage of the top rho singular values by tau, matched by CVXPY",
         kinds=("symbolic", "numeric", "convex")),
    Link("dropout.global_optimum",
         "descent and dropout SGD from random starts reach the closed-form value "
         "(no spurious local minima seen)", kinds=("landscape",), observed=True),
    Link("factorization.certificate",
         "a stationary factorization with ||grad loss||_2 <= lam is a global optimum of "
         "loss(U V^T) + lam sum_i ||u_i|| ||v_i|| (the certificate used below, squared loss)"),
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


def _how(link: Link, evidence: list[Evidence]) -> str:
    if link.observed:
        return "observed"
    if any(ev.general and ev.kind == "symbolic" and ev.passed for ev in evidence):
        return "proved symbolically (general sizes)"
    return "checked numerically"


def unavailable_evidence(index: int, link: Link, missing: str) -> Evidence:
    """The evidence of a link whose theorem could not be built: inconclusive, saying why."""
    return Evidence.inconclusive(
        "numeric", f"link {index}: {link.claim}",
        f"{link.theorem} is not available: {missing}; this link is unchecked, "
        "so the chain is inconclusive", theorem=link.theorem, how="unchecked")


def link_evidence(index: int, link: Link, verdict: Verdict) -> Evidence:
    """The evidence of link ``index``: the linked verdict's chosen evidence, folded.

    It is never ``general``: composed from another verdict, the chain itself is
    not proved.  A failing linked check becomes the counterexample, with its theorem.
    """
    name = f"link {index}: {link.claim}"
    chosen = [ev for ev in verdict.evidence if link.kinds is None or ev.kind in link.kinds]
    status = fold_status(chosen)
    how = _how(link, chosen)
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
        details={"theorem": link.theorem, "how": how, "linked_status": status.value,
                 "linked_verdict_status": verdict.status.value,
                 "evidence": [{"kind": ev.kind, "name": ev.name, "passed": ev.passed,
                               "general": ev.general} for ev in chosen]},
        counterexample=cex)
