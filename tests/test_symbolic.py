"""The canonicalizer and the Bernoulli expectation operator, against brute force."""

import itertools
import zlib

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import IndexedBase, KroneckerDelta, Rational, Sum, symbols

from theorems.derivation import EXPAND, Derivation, Step, Transform, search_counterexample
from theorems.symbolic import Expectation, bernoulli_cumulant, bernoulli_moments, canonical
from theorems.symbolic.expectation import linearity

a, b, i, j, q = symbols("a b i j q", integer=True, positive=True)
m, n, d = symbols("m n d", integer=True, positive=True)
x, y, U, V, X, r = (IndexedBase(s) for s in ("x", "y", "U", "V", "X", "r"))
theta = sympy.Symbol("theta", positive=True)


def numeric_value(expr, sizes, seed=0):
    """Instantiate sizes, expand the sums, give every entry a seeded integer.

    An entry's value depends only on its name and the seed, so two expressions
    holding different sets of entries still agree on the ones they share.
    """
    out = sympy.sympify(expr).subs(sizes).doit()
    atoms = out.atoms(sympy.Indexed)
    return out.xreplace({atom: zlib.crc32(f"{seed}:{atom}".encode()) % 9 - 4 for atom in atoms})


TRUE_IDENTITIES = [
    (Sum(x[i], (i, 1, d)) ** 2, Sum(x[i] * x[j], (i, 1, d), (j, 1, d))),
    (Sum(KroneckerDelta(i, j) * x[i] * y[j], (i, 1, d), (j, 1, d)), Sum(x[i] * y[i], (i, 1, d))),
    (Sum(theta, (i, 1, d)), d * theta),
    (Sum(x[i], (i, 1, d)) * Sum(y[j], (j, 1, n)), Sum(x[j] * y[i], (i, 1, n), (j, 1, d))),
    (Sum((X[a, b] - Sum(U[a, i] * V[b, i], (i, 1, d))) ** 2, (a, 1, m), (b, 1, n)),
     Sum(X[a, b] ** 2, (a, 1, m), (b, 1, n))
     - 2 * Sum(X[a, b] * U[a, i] * V[b, i], (a, 1, m), (b, 1, n), (i, 1, d))
     + Sum(Sum(U[a, i] * U[a, j], (a, 1, m)) * Sum(V[b, i] * V[b, j], (b, 1, n)),
           (i, 1, d), (j, 1, d))),
]

FALSE_IDENTITIES = [
    (Sum(x[i], (i, 1, d)) ** 2, Sum(x[i] ** 2, (i, 1, d))),
    (Sum(KroneckerDelta(i, j) * x[i] * y[j], (i, 1, d), (j, 1, d)),
     Sum(x[i], (i, 1, d)) * Sum(y[j], (j, 1, d))),
    # a delta between indices over different ranges must not be collapsed
    (Sum(KroneckerDelta(i, j) * x[i] * y[j], (i, 1, d), (j, 1, n)), Sum(x[i] * y[i], (i, 1, d))),
    (Sum(theta, (i, 1, d)), n * theta),
    (Sum(x[i] * y[i], (i, 1, d)), Sum(x[i] * y[j], (i, 1, d), (j, 1, d))),
]

SIZES = [{m: 2, n: 3, d: 2}, {m: 1, n: 2, d: 3}, {m: 3, n: 1, d: 1}]


@pytest.mark.parametrize(("lhs", "rhs"), TRUE_IDENTITIES)
def test_true_identities_have_equal_normal_forms(lhs, rhs):
    assert canonical(lhs) == canonical(rhs)
    for sizes in SIZES:
        assert numeric_value(lhs, sizes) == numeric_value(rhs, sizes)


@pytest.mark.parametrize(("lhs", "rhs"), FALSE_IDENTITIES)
def test_false_identities_are_told_apart(lhs, rhs):
    assert canonical(lhs) != canonical(rhs)
    assert any(numeric_value(lhs, s, seed) != numeric_value(rhs, s, seed)
               for s in SIZES for seed in range(3))


# A small grammar of sum expressions; the normal form must keep their value.
leaves = st.sampled_from([x[i], y[i], x[j], U[i, j], U[j, i], theta, Rational(1, 2),
                          KroneckerDelta(i, j)])


@st.composite
def sum_expressions(draw, depth=2):
    if depth == 0:
        return draw(leaves)
    kind = draw(st.sampled_from(["leaf", "add", "mul", "pow", "sum"]))
    if kind == "leaf":
        return draw(leaves)
    left = draw(sum_expressions(depth=depth - 1))
    if kind == "pow":
        return left ** 2
    if kind == "sum":
        var = draw(st.sampled_from([i, j]))
        return Sum(left, (var, 1, d))
    right = draw(sum_expressions(depth=depth - 1))
    return left + right if kind == "add" else left * right


@settings(max_examples=40)
@given(sum_expressions(depth=3), st.integers(1, 3))
def test_normal_form_keeps_the_value(expr, size):
    closed = Sum(Sum(expr, (i, 1, d)), (j, 1, d))  # bind i, j so only d is free
    sizes = {d: size}
    form = canonical(closed).to_expr()
    before = sympy.sympify(numeric_value(closed, sizes)).subs(theta, Rational(1, 3))
    after = sympy.sympify(numeric_value(form, sizes)).subs(theta, Rational(1, 3))
    assert sympy.simplify(before - after) == 0


def brute_force_moment(pattern, keep):
    """E[prod r_{pattern[l]}] by enumerating every outcome of the distinct variables."""
    variables = sorted(set(pattern))
    total = sympy.S.Zero
    for outcome in itertools.product((0, 1), repeat=len(variables)):
        value = dict(zip(variables, outcome, strict=True))
        prob = sympy.Mul(*[keep if o else 1 - keep for o in outcome])
        total += prob * sympy.Mul(*[value[p] for p in pattern])
    return sympy.expand(total)


@pytest.mark.parametrize("length", [1, 2, 3, 4])
def test_bernoulli_moments_match_enumeration_for_every_index_pattern(length):
    idx = symbols(f"k1:{length + 1}", integer=True)
    formula = bernoulli_moments(Expectation(sympy.Mul(*[r[s] for s in idx])), {r: theta})
    for pattern in itertools.product(range(1, length + 1), repeat=length):
        value = formula.xreplace(dict(zip(idx, pattern, strict=True)))
        assert sympy.expand(value - brute_force_moment(pattern, theta)) == 0, pattern


def test_cumulants_of_bernoulli():
    assert sympy.expand(bernoulli_cumulant(1, theta) - theta) == 0
    assert sympy.expand(bernoulli_cumulant(2, theta) - theta * (1 - theta)) == 0
    assert sympy.expand(bernoulli_cumulant(3, theta) - theta * (1 - theta) * (1 - 2 * theta)) == 0
    with pytest.raises(ValueError, match="k"):
        bernoulli_cumulant(0, theta)


def test_linearity_keeps_deterministic_factors_outside():
    expr = Expectation(Sum(x[i] * r[i] + y[i], (i, 1, d)))
    pushed = linearity(expr, {r})
    assert canonical(pushed) == canonical(Sum(x[i] * Expectation(r[i]) + y[i], (i, 1, d)))


def _moment_step(moment2):
    start = Expectation(Sum(x[i] * x[j] * r[i] * r[j], (i, 1, d), (j, 1, d)))
    moments = Transform("Bernoulli moments", lambda e: bernoulli_moments(linearity(e, {r}),
                                                                       {r: theta}))
    return Derivation("moment", start,
                      [Step(Sum(x[i] * x[j] * moment2, (i, 1, d), (j, 1, d)), moments)],
                      sizes={d: 2}, values={theta: Rational(1, 3)})


def test_derivation_accepts_the_right_moment_and_refutes_the_wrong_one():
    right = _moment_step(theta**2 + theta * (1 - theta) * KroneckerDelta(i, j)).check()
    assert right.valid is True
    # the BernoulliProcess trap: E[r_i r_j] = theta^2 for symbolic i, j is wrong when i = j
    wrong = _moment_step(theta**2).check()
    assert wrong.valid is False
    assert wrong.steps[0].counterexample is not None


def test_equality_rules_do_not_justify_inequalities():
    der = Derivation("ineq", x[i] ** 2, [Step(x[i] ** 2, EXPAND, relation="<=")])
    assert der.check().valid is False


def test_counterexample_search_gives_up_honestly():
    # sqrt(x^2) = |x| is true but outside the polynomial normal form: no false refutation
    lhs, rhs = sympy.sqrt(Sum(x[i] ** 2, (i, 1, d)) ** 2), sympy.Abs(Sum(x[i] ** 2, (i, 1, d)))
    assert search_counterexample(lhs, rhs, {d: 2}, {}) is None


def test_linearity_keeps_random_factors_with_free_indices_inside():
    # regression: with i, j free (no sum) the random factors sat in the term's
    # coefficient and were pulled out of the expectation
    pushed = linearity(Expectation(x[i] * r[i] * r[j]), {r})
    assert pushed == x[i] * Expectation(r[i] * r[j])
    value = bernoulli_moments(pushed, {r: theta})
    assert sympy.expand(value.subs({i: 1, j: 1}) - x[1] * theta) == 0
    assert sympy.expand(value.subs({i: 1, j: 2}) - x[1] * theta**2) == 0


def test_zero_and_constants_have_the_empty_or_scalar_normal_form():
    assert canonical(sympy.S.Zero).is_zero()
    assert (canonical(x[i]) - canonical(2 * x[i] - x[i])).is_zero()
    assert canonical(Sum(x[i], (i, 1, d)) - Sum(x[j], (j, 1, d))).is_zero()


def test_constrained_lemma_gets_no_random_counterexample():
    # orthonormality is a relation on the entries: random integers would violate it, so
    # a failed constrained lemma reports its own reason, not a meaningless instance
    from theorems.derivation import Lemma, run_derivation

    a, m = symbols("a m", integer=True, positive=True)
    A = IndexedBase("A")
    norm = Sum(A[a] ** 2, (a, 1, m))
    wrong = Lemma("unit column", lambda before, after, rel: (after == 1, "claimed 2, not 1"),
                  constrained=True)
    free = Lemma("unit column", wrong.check_fn)
    for lemma, random_search in ((wrong, False), (free, True)):
        d = Derivation("||a||^2", norm, [Step(sympy.Integer(2), lemma)], sizes={m: 2})
        ev = run_derivation(d, "unit column")
        assert ev.passed is False
        assert ("entries" in ev.counterexample) is random_search
        if not random_search:
            assert "claimed 2, not 1" in ev.counterexample["detail"]


def test_sums_inside_functions_have_their_own_normal_form():
    a, b, i, m, r = symbols("a b i m r", integer=True, positive=True)
    U = IndexedBase("U")
    norms = [Sum(sympy.sqrt(Sum(U[v, i] ** 2, (v, 1, m))), (i, 1, r)) for v in (a, b)]
    assert canonical(norms[0]) == canonical(norms[1])  # inner dummies renamed
    expanded = sympy.sqrt(Sum(U[a, 1] ** 2 + 2 * U[a, 1] + 1, (a, 1, m)))
    assert canonical(expanded) == canonical(sympy.sqrt(Sum((U[b, 1] + 1) ** 2, (b, 1, m))))
    # renaming the outer dummy must not capture the inner one: U[a, i] is not U[a, a]
    diagonal = Sum(sympy.sqrt(Sum(U[a, a] ** 2, (a, 1, m))), (i, 1, r))
    assert canonical(norms[0]) != canonical(diagonal)
    inner = canonical(norms[0]).to_expr().atoms(Sum)
    bound = {lim[0] for s in inner for lim in s.limits}
    assert len(bound) == 2  # one name per level
