"""The ``mathdl`` command line (also ``python -m theorems``).

Exit status: 0 when every verdict is proved or verified, 1 when any is
refuted, 3 when any is inconclusive and none refuted, 2 for bad usage or bad
input (one line on stderr naming the problem).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence

from theorems.catalog import catalog, get
from theorems.core import PROFILES, SCHEMA, Status, Verdict

EXIT_OK, EXIT_REFUTED, EXIT_USAGE, EXIT_INCONCLUSIVE = 0, 1, 2, 3


class UsageError(Exception):
    """Bad usage or bad input: exit 2 with one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(message)


def _integer_at_least(low: int, what: str):
    """An argparse type: an integer >= low, with one message for every bad value."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low:
            raise argparse.ArgumentTypeError(f"expected a {what} integer, got {text!r}")
        return value

    return parse


_seed = _integer_at_least(0, "non-negative")
_positive = _integer_at_least(1, "positive")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mathdl", description="Executable theorems of deep-learning theory.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p_list = sub.add_parser("list", help="list the theorems of the catalog")
    p_list.add_argument("--json", action="store_true", help="print one JSON document")

    p_verify = sub.add_parser("verify", help="verify theorems and print their verdicts")
    p_verify.add_argument("ids", nargs="*", metavar="ID", help="theorem ids (see `mathdl list`)")
    p_verify.add_argument("--all", action="store_true", help="verify the whole catalog")
    p_verify.add_argument("--seed", type=_seed, default=0, help="seed of every random instance")
    p_verify.add_argument("--profile", choices=list(PROFILES), default="standard")
    p_verify.add_argument("--json", action="store_true", help="print one JSON document")
    p_verify.add_argument("--report", metavar="DIR",
                          help="also write the report of these verdicts into DIR")

    p_report = sub.add_parser("report", help="verify theorems and write their reports")
    p_report.add_argument("ids", nargs="*", metavar="ID", help="theorem ids (see `mathdl list`)")
    p_report.add_argument("--all", action="store_true", help="report on the whole catalog")
    p_report.add_argument("--format", default="html,md,tex",
                          help="comma-separated subset of html,md,tex (default: all three)")
    p_report.add_argument("--out", default="reports", metavar="DIR",
                          help="output folder (default: reports)")
    p_report.add_argument("--seed", type=_seed, default=0, help="seed of every random instance")
    p_report.add_argument("--profile", choices=list(PROFILES), default="standard")

    p_falsify = sub.add_parser("falsify", help="prove or break your own claims (theorems.Claim)")
    p_falsify.add_argument("target", metavar="MODULE:ATTRIBUTE",
                           help="a Claim, a Theorem, or a list of them")
    p_falsify.add_argument("--max-examples", type=_positive, default=None, metavar="N",
                           help="Hypothesis examples per claim (default 100; seeds for a theorem)")
    p_falsify.add_argument("--seed", type=_seed, default=0, help="seed of the search")
    p_falsify.add_argument("--json", action="store_true", help="print one JSON document")
    return parser



def exit_status(verdicts: Sequence[Verdict]) -> int:
    """The exit status for a list of verdicts."""
    statuses = {v.status for v in verdicts}
    if Status.REFUTED in statuses:
        return EXIT_REFUTED
    if Status.INCONCLUSIVE in statuses:
        return EXIT_INCONCLUSIVE
    return EXIT_OK


def verdicts_document(verdicts: Sequence[Verdict]) -> dict:
    """The JSON document of DESIGN.md for these verdicts."""
    return {"schema": SCHEMA, "verdicts": [v.to_dict() for v in verdicts]}


def _cmd_list(args: argparse.Namespace) -> int:
    theorems = catalog()
    if args.json:
        doc = {
            "schema": "mathdl.catalog/1",
            "theorems": [
                {"id": t.id, "title": t.title, "note": t.note,
                 "references": [str(r) for r in t.references]}
                for t in theorems
            ],
        }
        print(json.dumps(doc, indent=2))
    else:
        width = max(len(t.id) for t in theorems)
        for t in theorems:
            print(f"{t.id:<{width}}  {t.title}")
    return EXIT_OK


def _chosen(args: argparse.Namespace) -> list:
    if args.all and args.ids:
        raise UsageError("give theorem ids or --all, not both")
    if not args.all and not args.ids:
        raise UsageError("name at least one theorem id, or use --all (see `mathdl list`)")
    return catalog() if args.all else [get(i) for i in args.ids]


def _run(chosen: list, args: argparse.Namespace, quiet: bool) -> list[Verdict]:
    """Verify in order; a progress bar on stderr only when stderr is a terminal."""
    from tqdm import tqdm

    verdicts = []
    bar = tqdm(chosen, desc="verifying", unit="theorem", file=sys.stderr, leave=False,
               disable=not sys.stderr.isatty())
    for theorem in bar:
        bar.set_postfix_str(theorem.id)
        verdict = theorem.verify(seed=args.seed, profile=args.profile)
        verdicts.append(verdict)
        if not quiet:
            bar.write(verdict.summary(), file=sys.stdout)
    return verdicts


def _counts(verdicts: Sequence[Verdict]) -> str:
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.status.value] = counts.get(v.status.value, 0) + 1
    return "; ".join(f"{n} {s}" for s, n in counts.items())


def _command_line(argv: Sequence[str] | None) -> str:
    words = list(sys.argv[1:] if argv is None else argv)
    return " ".join(["mathdl", *(shlex.quote(w) for w in words)])


def _write_report(verdicts: list[Verdict], out: str, formats: tuple[str, ...],
                  command: str) -> None:
    from theorems.report import write_report

    write_report(verdicts, out, formats=formats, command=command,
                 progress=sys.stderr.isatty())
    print(f"report written to {out}", file=sys.stderr)


def _cmd_verify(args: argparse.Namespace) -> int:
    chosen = _chosen(args)
    verdicts = _run(chosen, args, quiet=args.json)
    if args.json:
        print(json.dumps(verdicts_document(verdicts), indent=2))
    else:
        print(_counts(verdicts))
    if args.report:
        _write_report(verdicts, args.report, ("html", "md", "tex"), args.command_line)
    return exit_status(verdicts)


def _cmd_report(args: argparse.Namespace) -> int:
    from theorems.report import parse_formats

    formats = parse_formats(args.format)
    chosen = _chosen(args)
    verdicts = _run(chosen, args, quiet=False)
    print(_counts(verdicts))
    _write_report(verdicts, args.out, formats, args.command_line)
    return exit_status(verdicts)


def _cmd_falsify(args: argparse.Namespace) -> int:
    from theorems.claims import falsify, resolve

    verdicts = []
    for claim in resolve(args.target):
        verdict = falsify(claim, max_examples=args.max_examples, seed=args.seed)
        if verdict.counterexample is not None:
            command = f"mathdl falsify {args.target} --seed {args.seed}"
            if args.max_examples is not None:
                command += f" --max-examples {args.max_examples}"
            verdict.counterexample["reproduce"] = command
        verdicts.append(verdict)
        if not args.json:
            print(verdict.summary(), flush=True)
    if args.json:
        print(json.dumps(verdicts_document(verdicts), indent=2))
    else:
        print(_counts(verdicts))
    return exit_status(verdicts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        args.command_line = _command_line(argv)
        handler = {"list": _cmd_list, "verify": _cmd_verify, "report": _cmd_report,
                   "falsify": _cmd_falsify}[args.command]
        return handler(args)
    except (UsageError, ValueError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"mathdl: error: {message}", file=sys.stderr)
        return EXIT_USAGE


def console_main() -> None:
    """Entry point of the ``mathdl`` console script."""
    sys.exit(main())
