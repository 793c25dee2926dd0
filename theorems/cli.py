"""The ``mathdl`` command line (also ``python -m theorems``).

Exit status: 0 when every verdict is proved or verified, 1 when any is
refuted, 3 when any is inconclusive and none refuted, 2 for bad usage or bad
input (one line on stderr naming the problem).
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from theorems.catalog import catalog, check_ids, get, index
from theorems.core import PROFILES, SCHEMA, Status, Verdict

EXIT_OK, EXIT_REFUTED, EXIT_USAGE, EXIT_INCONCLUSIVE = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that every ``finally`` runs (no staging left).

    A BaseException, like KeyboardInterrupt: a check's ``except Exception`` (which records
    a failing check as inconclusive) must not swallow it.
    """


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


def _out_folder(text: str) -> str:
    """An argparse type for --out/--report: a folder that exists or can be made, writable.

    Probed before any verification, so a bad folder costs nothing (the error names it).
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a folder name, got an empty string")
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} exists and is not a folder")
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r}: {str(probe)!r} is not a folder")
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        raise argparse.ArgumentTypeError(
            f"cannot write into {str(probe)!r} ({exc.strerror or exc})") from None
    return text


class _Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """--help shows every default that is a value (not None, False or a required one)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default is None or action.default is False or action.required \
                or not action.option_strings:
            return action.help or ""
        return super()._get_help_string(action)


def _version() -> str:
    from theorems import __version__

    return f"mathdl {__version__}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mathdl", description="Executable theorems of deep-learning theory.",
                     formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p_list = sub.add_parser("list", help="list the theorems of the catalog",
                            formatter_class=_Formatter)
    p_list.add_argument("--json", action="store_true", help="print one JSON document")

    p_verify = sub.add_parser("verify", help="verify theorems and print their verdicts",
                              formatter_class=_Formatter)
    p_verify.add_argument("ids", nargs="*", metavar="ID", help="theorem ids (see `mathdl list`)")
    p_verify.add_argument("--all", action="store_true", help="verify the whole catalog")
    p_verify.add_argument("--seed", type=_seed, default=0, help="seed of every random instance")
    p_verify.add_argument("--profile", choices=list(PROFILES), default="standard",
                          help="how much work each check does")
    p_verify.add_argument("--json", action="store_true", help="print one JSON document")
    p_verify.add_argument("--report", metavar="DIR", type=_out_folder,
                          help="also write the report of these verdicts into DIR")

    p_report = sub.add_parser("report", help="verify theorems and write their reports",
                              formatter_class=_Formatter)
    p_report.add_argument("ids", nargs="*", metavar="ID", help="theorem ids (see `mathdl list`)")
    p_report.add_argument("--all", action="store_true", help="report on the whole catalog")
    p_report.add_argument("--format", default="html,md,tex",
                          help="comma-separated subset of html,md,tex")
    p_report.add_argument("--out", default="reports", metavar="DIR", type=_out_folder,
                          help="output folder")
    p_report.add_argument("--seed", type=_seed, default=0, help="seed of every random instance")
    p_report.add_argument("--profile", choices=list(PROFILES), default="standard",
                          help="how much work each check does")

    p_falsify = sub.add_parser("falsify", help="prove or break your own claims (theorems.Claim)",
                               formatter_class=_Formatter)
    p_falsify.add_argument("target", metavar="MODULE:ATTRIBUTE",
                           help="a Claim, a Theorem, or a list of them")
    p_falsify.add_argument("--max-examples", type=_positive, default=None, metavar="N",
                           help="Hypothesis examples per claim (default 100; seeds for a theorem)")
    p_falsify.add_argument("--seed", type=_seed, default=0, help="seed of the search")
    p_falsify.add_argument("--json", action="store_true", help="print one JSON document")
    _add_sweep(sub)
    return parser


def _seeds(text: str):
    from theorems.sweeps import parse_seeds

    try:
        return parse_seeds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--seeds: ")) from None


def _add_sweep(sub) -> None:
    p = sub.add_parser("sweep", help="verify (or falsify) over many seeds on Dask, resumable",
                       formatter_class=_Formatter)
    p.add_argument("ids", nargs="*", metavar="ID", help="theorem ids (see `mathdl list`)")
    p.add_argument("--all", action="store_true", help="sweep the whole catalog")
    p.add_argument("--falsify", metavar="MODULE:ATTRIBUTE", default=None,
                   help="sweep the claims of a falsify target instead of theorems")
    p.add_argument("--seeds", type=_seeds, required=True, metavar="A:B",
                   help="seeds A, A+1, ..., B-1")
    p.add_argument("--profile", choices=list(PROFILES), default="quick",
                   help="how much work each check does")
    p.add_argument("--max-examples", type=_positive, default=None, metavar="N",
                   help="Hypothesis examples per falsification")
    p.add_argument("--workers", type=_positive, default=2,
                   help="processes of the local Dask cluster")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="a running Dask scheduler (tcp://host:8786) instead of a local cluster")
    p.add_argument("--store", default="mathdl-sweep.sqlite", metavar="PATH",
                   help="SQLite file of the results: a rerun skips what it holds")
    p.add_argument("--json", action="store_true", help="print one JSON document")



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
    rows = index()  # metadata only: no family is imported
    if args.json:
        print(json.dumps({"schema": "mathdl.catalog/1", "theorems": rows}, indent=2))
    else:
        width = max(len(row["id"]) for row in rows)
        for row in rows:
            print(f"{row['id']:<{width}}  {row['title']}")
    return EXIT_OK


def _chosen(args: argparse.Namespace) -> list:
    if args.all and args.ids:
        raise UsageError("give theorem ids or --all, not both")
    if not args.all and not args.ids:
        raise UsageError("name at least one theorem id, or use --all (see `mathdl list`)")
    return catalog() if args.all else [get(i) for i in check_ids(args.ids)]


def _run(chosen: list, args: argparse.Namespace, quiet: bool) -> list[Verdict]:
    """Verify in order; a progress bar on stderr only when stderr is a terminal."""
    from tqdm import tqdm

    verdicts = args.finished  # kept for an interrupted run
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

    verdicts = args.finished  # kept for an interrupted run
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


def _cmd_sweep(args: argparse.Namespace) -> int:
    from theorems.sweeps import sweep

    if args.falsify is None and args.all == bool(args.ids):
        raise UsageError("give theorem ids, --all or --falsify TARGET")
    if args.falsify is not None and (args.all or args.ids):
        raise UsageError("give theorem ids or --all, or --falsify TARGET, not both")
    result = sweep(None if args.all else args.ids, seeds=args.seeds, profile=args.profile,
                   falsify=args.falsify, max_examples=args.max_examples,
                   workers=args.workers, scheduler=args.scheduler, store=args.store,
                   progress=sys.stderr.isatty())
    if args.json:
        print(json.dumps(result.document(), indent=2))
    else:
        print("\n".join(result.lines()))
        print(f"{result.ran} task(s) run, {result.reused} from {args.store}")
    statuses = result.statuses
    if "refuted" in statuses:
        return EXIT_REFUTED
    return EXIT_INCONCLUSIVE if "inconclusive" in statuses else EXIT_OK


def _interrupted(args: argparse.Namespace | None, code: int, what: str) -> int:
    """One line on stderr; the verdicts already finished are kept (printed, or as JSON)."""
    done = list(getattr(args, "finished", []) or [])
    if done and getattr(args, "json", False):
        print(json.dumps(verdicts_document(done), indent=2))
    elif done:
        print(_counts(done))
    print(f"mathdl: {what}: stopped after {len(done)} finished verdict(s)", file=sys.stderr)
    return code


def _on_sigterm(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Ctrl-C exits 130 and SIGTERM 143, each with one line and no traceback; the
    verdicts finished so far are printed (or written as JSON with ``--json``).
    """
    args = None
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if _main_thread() else None
    try:
        args = build_parser().parse_args(argv)
        args.command_line = _command_line(argv)
        args.finished = []
        handler = {"list": _cmd_list, "verify": _cmd_verify, "report": _cmd_report,
                   "falsify": _cmd_falsify, "sweep": _cmd_sweep}[args.command]
        return handler(args)
    except (UsageError, ValueError, OSError, ImportError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"mathdl: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return _interrupted(args, EXIT_INTERRUPTED, "interrupted")
    except Terminated:
        return _interrupted(args, EXIT_TERMINATED, "terminated")
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def console_main() -> None:
    """Entry point of the ``mathdl`` console script."""
    sys.exit(main())
