"""Print how formcoach's result on each sample clip agrees with the clip's truth.

Usage: PYTHONPATH=src:. python scripts/sample_agreement.py [CLIP ...]

For every item the truth gives (tests/goldens.py), replayed from the cached track: met,
missed, or a known miss (from `<clip>.golden.json`) and whether it is still missed, with
what formcoach gave. It writes nothing: a known miss's reason is written by hand in the
golden after looking at the replay (scripts/replay.py --signals shows the signals).
"""

from __future__ import annotations

import sys

from tests.agreement import judge_clip
from tests.goldens import clips, known_misses


def main(argv: list[str]) -> int:
    names = argv or clips()
    met = total = 0
    for name in names:
        misses = known_misses(name)
        print(name)
        for j in judge_clip(name):
            total += 1
            met += j.met
            known = j.item.id in misses
            mark = {
                (True, False): "met   ",
                (False, False): "MISSED",
                (False, True): "known ",
                (True, True): "FIXED ",
            }[(j.met, known)]
            print(f"  {mark} {j.item.id:28} {j.item.describe()}; got {j.got}")
    print(f"{met} of {total} items met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
