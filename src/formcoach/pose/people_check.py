"""Others in view, beside one-person tracking: `PeopleCheck` counts everyone in one frame
a second on a background thread (a PoseLandmarker in IMAGE mode), and `CrowdFollower`
turns its results into looking for everyone while someone else is there
(`crowd_switch`), keeping the person followed among them (`people.PersonTracker`)."""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2

from formcoach.pose.boxes import Box, box_of
from formcoach.pose.crowd_log import CrowdConfig, CrowdLog
from formcoach.pose.crowd_switch import CrowdSwitch
from formcoach.pose.mediapipe_env import landmarks_to_array, quiet_native_stderr, without_display
from formcoach.pose.people import PersonTracker
from formcoach.types import Frame, Pose

log = logging.getLogger(__name__)


# The people check yields the cores to the analysis (decoding runs on a thread beside the
# model): a niceness the check's thread, and the graph threads MediaPipe starts from it,
# run at. The check still runs in the cores' idle time, and `warnings` waits for it.
CHECK_NICENESS = 10

# How many people a check counts, and how many are looked for while others are in view.
CROWD_POSES = 3


def _lower_this_threads_priority() -> None:
    """Lower the calling thread's scheduling priority (Linux: niceness is per thread;
    elsewhere a thread id is not a process id, so nothing is changed)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + CHECK_NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        pass


class PeopleCheck:
    """Counts the people in view now and then, beside one-person tracking.

    A second PoseLandmarker in IMAGE mode (no tracking state) looks for up to
    `max_people` people in one frame per `CrowdConfig.every_s`, on a background thread:
    MediaPipe releases the GIL while it runs, so on a machine with a spare core it costs
    the analysis nothing. Which frames are checked depends on their timestamps only, and
    `warnings` waits for every queued check, so the result is the same however fast the
    machine is."""

    def __init__(
        self,
        model_path: str | Path,
        config: CrowdConfig | None = None,
        max_people: int = CROWD_POSES,
    ) -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        self.log = CrowdLog(config or CrowdConfig())
        self._options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=vision.RunningMode.IMAGE,
            num_poses=max_people,
        )
        self._landmarker: Any = None
        self._failed: BaseException | None = None
        self._ready = threading.Event()
        self._next_s: float | None = None
        self._queue: queue.Queue[tuple[Any, float, Box | None] | None] = queue.Queue(2)
        self._closed = False
        self._warm = False
        self._done = threading.Condition()
        self._results: dict[float, list[Box] | None] = {}  # by check time, until read
        # The model loads on the worker, beside the main model loading on the caller's
        # thread (`wait_ready`): a start-up cost the two cores share instead of adding.
        self._thread = threading.Thread(target=self._work, name="people-check", daemon=True)
        self._thread.start()

    def wait_ready(self) -> None:
        """Until the check's model is loaded; raises what loading it raised."""
        self._ready.wait()
        if self._failed is not None:
            raise self._failed

    def offer(self, frame: Frame, followed: Box | None) -> float | None:
        """Called with every estimated frame; checks one per `every_s` of video time.
        Returns the frame's time when it is checked (see `boxes_at`), else None."""
        t = frame.timestamp_s
        self.log.seen(followed, t)
        if self._closed or (self._next_s is not None and t < self._next_s):
            return None
        start = t if self._next_s is None else self._next_s
        every = self.log.config.every_s
        self._next_s = start + every * (1 + int((t - start) // every))
        rgb = cv2.cvtColor(frame.image_bgr, cv2.COLOR_BGR2RGB)
        self._queue.put((rgb, t, followed))  # blocks only if two checks are still pending
        return t

    def boxes_at(self, t: float) -> list[Box] | None:
        """The people the check of the frame at `t` found (waits for it); None if that
        check failed."""
        with self._done:
            self._done.wait_for(lambda: t in self._results)
            return self._results.pop(t)

    def _check(self, rgb: Any, t: float, followed: Box | None) -> list[Box]:
        """One check: the people in `rgb`, logged at `t`."""
        import mediapipe as mp

        result = self._landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb))
        boxes = [box_of(landmarks_to_array(p)[0]) for p in result.pose_landmarks]
        self.log.check(boxes, followed, t)
        return boxes

    def _load(self) -> None:
        from mediapipe.tasks.python import vision

        _lower_this_threads_priority()  # MediaPipe's graph threads, started here, inherit it
        try:
            with quiet_native_stderr(), without_display():
                self._landmarker = vision.PoseLandmarker.create_from_options(self._options)
        except BaseException as exc:  # re-raised on the caller's thread by wait_ready
            self._failed = exc
        finally:
            self._ready.set()

    def _work(self) -> None:
        self._load()
        while (item := self._queue.get()) is not None:
            rgb, t, followed = item
            boxes: list[Box] | None = None
            try:
                if self._warm:
                    boxes = self._check(rgb, t, followed)
                else:
                    # MediaPipe warns once, natively, on the first image with a person in
                    # it: until then that start-up chatter is hidden like the main model's.
                    with quiet_native_stderr():
                        boxes = self._check(rgb, t, followed)
                    self._warm = bool(boxes)
            except Exception:  # a failed check must not stop the analysis
                log.debug("people check at %.2f s failed", t, exc_info=True)
            finally:
                with self._done:
                    self._results[t] = boxes
                    self._done.notify_all()
                self._queue.task_done()
        self._queue.task_done()

    def warnings(self) -> list[str]:
        if not self._closed:
            self._queue.join()  # every check offered so far is counted
        return self.log.warnings()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join()
        if self._landmarker is not None:
            self._landmarker.close()


def choose(
    tracker: PersonTracker, poses: list[Pose], t_s: float, fits: Callable[[Pose], bool] | None
) -> int | None:
    """The index of the followed person among `poses` (None: not in view)."""
    boxes = [box_of(pose.image_norm) for pose in poses]
    in_posture = [fits(pose) for pose in poses] if fits is not None and len(poses) > 1 else None
    return tracker.choose(boxes, t_s, in_posture)


class CrowdFollower:
    """One-person tracking's help while others are in view (`crowd_switch`): the people
    checks' results, a landmarker that finds everyone (made when others come into view,
    closed when they have gone) and a `PersonTracker` started on the person followed."""

    def __init__(
        self,
        check: PeopleCheck,
        make_landmarker: Callable[[], Any],
        fits: Callable[[Pose], bool] | None,
    ) -> None:
        self.check = check
        self.switch = CrowdSwitch()
        self._make = make_landmarker
        self._fits = fits
        self.landmarker: Any = None
        self._tracker: PersonTracker | None = None
        self._pending: deque[tuple[float, Box | None]] = deque()  # checks not yet applied
        self._followed: tuple[Box, float] | None = None  # the last person followed, when
        self._notes: list[str] = []  # what the trackers of past crowded spans noted

    def looking(self, t_s: float) -> bool:
        """Whether everyone is looked for at `t_s`; starts and ends the crowded spans."""
        after = self.switch.config.apply_after_s
        while self._pending and t_s >= self._pending[0][0] + after:
            checked_s, followed = self._pending.popleft()
            boxes = self.check.boxes_at(checked_s)
            if boxes is not None:
                self.switch.checked(boxes, followed, checked_s)
        on = self.switch.on(t_s)
        if on and self.landmarker is None:
            self.landmarker = self._make()
            self._tracker = PersonTracker()
            if self._followed is not None:
                self._tracker.follow(*self._followed)
        elif not on and self.landmarker is not None:
            self._end_span()
        return on

    def choose(self, poses: list[Pose], t_s: float) -> int | None:
        assert self._tracker is not None
        return choose(self._tracker, poses, t_s, self._fits)

    def offer(self, frame: Frame, followed: Box | None) -> None:
        if followed is not None:
            self._followed = (followed, frame.timestamp_s)
        checked_s = self.check.offer(frame, followed)
        if checked_s is not None:
            self._pending.append((checked_s, followed))

    def _end_span(self) -> None:
        if self._tracker is not None:
            self._notes.extend(self._tracker.notes())
        self._tracker = None
        self.landmarker.close()
        self.landmarker = None

    def warnings(self) -> list[str]:
        out = self.check.warnings()
        if self.switch.spans:
            spans = ", ".join(f"{a:.1f}-{b:.1f}" for a, b in self.switch.spans[:5])
            out.append(
                f"at {spans} s others were in view: everyone was looked for on every frame "
                "and the person followed was kept by where their joints were"
            )
        notes = self._notes + (self._tracker.notes() if self._tracker is not None else [])
        return out + [n for i, n in enumerate(notes) if n not in notes[:i]]

    def close(self) -> None:
        if self.landmarker is not None:
            self._end_span()
