"""`formcoach history`: the saved sets as a table, a progress plot or a CSV export."""

from __future__ import annotations

import argparse
import sys

from formcoach.cli.output import print_table
from formcoach.store.history import History


def cmd_history(args: argparse.Namespace) -> int:
    from formcoach.store.sets import table_rows

    with History() as history:
        if not history.readable:
            print(
                f"formcoach: error: the history {history.path} is locked by another program "
                "and could not be read; try again when it has finished",
                file=sys.stderr,
            )
            return 1
        sets = history.sets(args.exercise)
        if args.csv is not None:
            n = history.export_csv(args.csv, args.exercise)
            print(f"{n} sets written to {args.csv}")
    if args.plot is not None:
        from formcoach.store.plot import plot_progress

        for path in plot_progress(sets, args.plot):
            print(f"plot written: {path}")
    if not sets:
        print("no sets saved yet: `formcoach live` and `formcoach routine` save each set")
        return 0
    if args.csv is None and args.plot is None:
        columns = ["date", "exercise", "reps", "hold_s", "best_hold_s", "faults", "pain"]
        print_table(table_rows(sets[-args.limit :]), columns)
    return 0
