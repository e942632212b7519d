"""The firm facts of ../shared/clips/truth.tsv as pytest cases: one per check, a known
miss a strict xfail with its reason, a check of an exercise without an analyzer skipped,
and the whole table skipped where the corpus is not beside the project."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pytest

from formcoach.exercises import Exercise
from formcoach.offline import truthtable
from tests.conftest import SHARED_CLIPS

TABLE = SHARED_CLIPS / "truth.tsv"

MissKey = tuple[str, str, str]  # (clip stem, kind, value)


def truth_cases(
    known_misses: Mapping[MissKey, str], kinds: Collection[str] | None = None
) -> list[object]:
    """A case per check of the table (of `kinds`, if given)."""
    if not TABLE.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{TABLE} is not available"))]
    cases = []
    for check in truthtable.load(TABLE):
        if kinds is not None and check.kind not in kinds:
            continue
        marks = []
        reason = known_misses.get((check.stem, check.kind, check.value))
        if check.exercise not in Exercise.registry:
            marks.append(pytest.mark.skip(reason=f"no analyzer for {check.exercise} yet"))
        elif reason is not None:
            marks.append(pytest.mark.xfail(reason=reason, strict=True))
        cases.append(pytest.param(check, marks=marks, id=f"{check.key}:{check.value}"))
    return cases


def assert_misses_are_checks(known_misses: Mapping[MissKey, str]) -> None:
    """Every known miss names a check of the table (a stale entry fails)."""
    if not TABLE.is_file():
        pytest.skip(f"{TABLE} is not available")
    keys = {(c.stem, c.kind, c.value) for c in truthtable.load(TABLE)}
    assert set(known_misses) <= keys
