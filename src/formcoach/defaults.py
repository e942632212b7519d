"""The defaults every command and the Python API share, decided by measurement on every
shared clip (the table is docs/default_path.md). A light module: the command line reads it
to write its help before anything heavy is imported."""

from __future__ import annotations

# People MediaPipe looks for. One: MediaPipe's VIDEO mode then follows that person from
# frame to frame itself, the fastest and steadiest tracking; a second person is noticed by
# a separate check (see people.py), not by tracking two.
DEFAULT_PEOPLE = 1
# Model calls on every frame ("full") or fewer while the body is still ("adaptive").
DEFAULT_SAMPLING = "full"
# Ray batches: inputs up to this many MB travel to the workers through Ray's object store
# (larger ones are read from shared storage), and a task whose worker died is run again
# this many times before it is reported as failed.
DEFAULT_RAY_SHIP_MB = 64.0
DEFAULT_RAY_RETRIES = 2
