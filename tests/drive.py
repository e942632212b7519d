"""Driving one analyzer directly with hand-made poses, for the exercises' rule tests (the
whole assembly is `tests/replay.py`'s job)."""

from __future__ import annotations

from formcoach.exercises import create

FPS = 30.0


def run(exercise, segments):
    """segments: (seconds, pose or None); returns the analyzer and the last verdict."""
    ex = create(exercise)
    t, verdict = 0.0, None
    for seconds, pose in segments:
        for _ in range(round(seconds * FPS)):
            verdict = ex.update(pose, t)
            t += 1 / FPS
    ex.finish()
    return ex, verdict


def failing(verdict):
    return {c.rule for c in verdict.checks if c.ok is False}
