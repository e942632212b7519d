"""The `formcoach` command. User-facing text lives here; the library only logs.

Exit codes: 0 success, 2 bad usage or unusable input (one line, no traceback), 1 other
failures, 130 interrupted before anything was measured."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from formcoach.cli.parser import build_parser, eval_argv

log = logging.getLogger("formcoach")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(eval_argv(list(sys.argv[1:] if argv is None else argv)))
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if not args.verbose:
        # MediaPipe's native start-up chatter is hidden (mediapipe_env.quiet_native_stderr).
        os.environ.setdefault("FORMCOACH_QUIET_NATIVE", "1")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="formcoach: %(levelname)s: %(message)s",
    )
    from formcoach.cli.commands import handler as command_handler
    from formcoach.cli.output import CommandError
    from formcoach.pose.models import ModelError
    from formcoach.sources.base import SourceError

    try:
        handler = command_handler(args.command) or args.func
        return int(handler(args))
    except (SourceError, CommandError) as exc:
        print(f"formcoach: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ModelError as exc:
        print(f"formcoach: model error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("formcoach: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # disk full, read-only or unwritable output: one line, exit 1
        log.debug("failure", exc_info=True)
        where = f" ({exc.filename})" if exc.filename else ""
        kept = getattr(exc, "kept", None)
        saved = f"; kept: {', '.join(kept)}" if kept else ""
        print(f"formcoach: file error: {exc.strerror or exc}{where}{saved}", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # the last resort: one line, details with --verbose
        log.debug("failure", exc_info=True)
        print(f"formcoach: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
