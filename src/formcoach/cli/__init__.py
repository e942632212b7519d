"""The `formcoach` command, one module per job: `app` (main: run a subcommand, turn errors
into one line and an exit code), `parser` (flags and help, with `analyze_flags` and
`shared_flags`), `commands` (which function runs each subcommand), `output` (what every
command prints), and one module per group of subcommands: `live`, `analyze` (and eval),
`routine`, `history`, `info` (exercises, setup, doctor, models). User-facing text lives
here; the library only logs."""

from formcoach.cli.app import main

__all__ = ["main"]
