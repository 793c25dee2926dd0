"""Falsification benchmarks: times and ratios measured in one process.

Run:  .venv/bin/python benchmarks/bench_falsify.py [--examples 200] [--seed 0]

1. Every gallery claim: seconds to refute it (target < 5 s each), the size of the
   shrunk counterexample, the examples drawn until the first counterexample, and
   how it was re-checked.
2. Every gallery correction with 200 examples: seconds (target < 20 s each).
3. Overhead of falsify over a bare Hypothesis ``@given`` loop evaluating the same
   sides on the same number of examples (ratio; the price of verdicts, shrinking
   bookkeeping and re-checks).
4. Evaluating a symbolic claim (the dropout identity at m = n = d = 2): falsify's
   cached, lambdified instance against SymPy substitution per example (ratio).
"""

from __future__ import annotations

import argparse
import json
import time

from _timing import best_of  # benchmarks/ is on sys.path when run as a script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from theorems.claims import falsify
    from theorems.gallery import GALLERY, entry

    # 1. refuting the gallery
    print("1. gallery claims (default 100 examples; target < 5 s each)")
    worst = 0.0
    for e in GALLERY:
        start = time.perf_counter()
        verdict = falsify(e.claim, seed=args.seed)
        seconds = time.perf_counter() - start
        worst = max(worst, seconds)
        cex = verdict.counterexample or {}
        print(f"   {e.key:38s} {verdict.status.value:9s} {seconds:5.2f} s  "
              f"size {json.dumps(cex.get('size'))}  after {cex.get('examples_until_found')} "
              f"examples  [{cex.get('recheck', '')[:40]}]")
    print(f"   slowest: {worst:.2f} s (target < 5 s)")

    # 2. true claims at the requested number of examples
    print(f"2. gallery corrections, {args.examples} examples (target < 20 s each)")
    worst = 0.0
    for e in GALLERY:
        start = time.perf_counter()
        verdict = falsify(e.corrected, max_examples=args.examples, seed=args.seed)
        seconds = time.perf_counter() - start
        worst = max(worst, seconds)
        print(f"   {e.key:38s} {verdict.status.value:9s} {seconds:5.2f} s")
    print(f"   slowest: {worst:.2f} s (target < 20 s)")

    # 3. overhead against a bare Hypothesis loop on the same sides
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    claim = entry("induced_regularizer_without_1_over_d").corrected
    strategy = claim.strategy()

    def bare() -> None:
        @hseed(args.seed)
        @settings(database=None, max_examples=args.examples, deadline=None,
                  suppress_health_check=list(HealthCheck), phases=(Phase.generate,))
        @given(strategy)
        def loop(instance):
            assert claim.lhs(**instance) >= claim.rhs(**instance) - 1e-9

        loop()

    ours = best_of(lambda: falsify(claim, max_examples=args.examples, seed=args.seed))
    base = best_of(bare)
    print(f"3. falsify vs bare Hypothesis @given, {args.examples} examples "
          f"({claim.name}): {ours:.3f} s vs {base:.3f} s, overhead {ours / base:.2f}x")

    # 4. symbolic evaluation: cached lambdified instance vs SymPy substitution per example
    import numpy as np
    import sympy

    from theorems.claims.instantiate import concrete

    sym = entry("dropout_without_rescaling").corrected
    engine = sym._engine
    rng = np.random.default_rng(args.seed)
    sizes = (2, 2, 2)  # d, m, n (sorted by name)
    inst = engine.instantiate(sizes, ())
    values = [rng.integers(-3, 4, size=len(inst.entries)) for _ in range(50)]
    third = sympy.Rational(1, 3)

    def cached() -> None:
        fn = engine._numeric(inst)
        for v in values:
            fn(*(float(x) for x in v), 1 / 3)

    def substitution() -> None:
        sub = dict(zip(engine.size_syms, sizes, strict=True))
        for v in values:
            lhs = concrete(engine.lhs, sub, engine.random)
            rhs = concrete(engine.rhs, sub, engine.random)
            assign = dict(zip(inst.entries, (sympy.Integer(int(x)) for x in v), strict=True))
            assign[engine.scalar_syms[0]] = third
            (lhs.xreplace(assign) - rhs.xreplace(assign)).evalf()

    engine._numeric(inst)  # compile once, as falsify does on the first example of a size
    fast = best_of(cached)
    slow = best_of(substitution, repeat=1)
    print(f"4. dropout identity at m = n = d = 2, 50 instances: lambdified {fast * 1e3:.2f} ms, "
          f"SymPy substitution {slow:.2f} s, ratio {slow / fast:.0f}x")


if __name__ == "__main__":
    main()
