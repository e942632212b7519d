"""Pose estimators: MediaPipe's Tasks PoseLandmarker, and a replay of cached tracks.

This is the only module that speaks MediaPipe. BGR -> RGB happens here, and MediaPipe's
lists of landmark objects become numpy arrays here, once.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from formcoach.landmarks import NUM_LANDMARKS
from formcoach.pose.crowd_switch import CrowdSwitch
from formcoach.pose.people import Box, CrowdConfig, CrowdLog, PersonTracker, box_of
from formcoach.types import FloatArray, Frame, Pose

log = logging.getLogger(__name__)


class _WhileAnyIn:
    """A change to the process (a file descriptor, the environment) made by the first
    caller to enter and undone by the last to leave: safe to nest and to use from two
    threads at once (the people check starts and warms up its model on its own)."""

    def __init__(self, make: Callable[[], Any], undo: Callable[[Any], None]) -> None:
        self._make, self._undo = make, undo
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: Any = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._saved = self._make()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    self._undo(self._saved)
                    self._saved = None


def _stderr_to_devnull() -> int:
    sys.stderr.flush()
    saved = os.dup(2)
    with Path(os.devnull).open("wb") as devnull:
        os.dup2(devnull.fileno(), 2)
    return saved


def _stderr_back(saved: int) -> None:
    os.dup2(saved, 2)
    os.close(saved)


_QUIET = _WhileAnyIn(_stderr_to_devnull, _stderr_back)
_NO_DISPLAY = _WhileAnyIn(
    lambda: {k: os.environ.pop(k) for k in ("DISPLAY", "WAYLAND_DISPLAY") if k in os.environ},
    os.environ.update,
)


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Hide what native code writes to stderr (file descriptor 2) for a moment.

    MediaPipe's C++ side prints start-up chatter (GPU probing, delegate creation, one
    warning on the first frame) that no logging setting reaches. The CLI asks for quiet
    (FORMCOACH_QUIET_NATIVE=1) unless --verbose; library use is unaffected. Safe to nest
    and across threads (`_WhileAnyIn`)."""
    if os.environ.get("FORMCOACH_QUIET_NATIVE") != "1":
        yield
        return
    with _QUIET.held():
        yield


@contextmanager
def without_display() -> Iterator[None]:
    """Hide the desktop from MediaPipe while it starts a graph.

    With DISPLAY (or WAYLAND_DISPLAY) set, MediaPipe probes for a GPU: Mesa opens a GL
    context, looks the user up in the system's user database (nsswitch, which may be a
    network directory) and writes a shader cache under ~/.cache. formcoach runs the model
    on the CPU, so none of that is needed; the window, opened afterwards, still sees the
    display. Safe to nest and across threads (`_WhileAnyIn`)."""
    with _NO_DISPLAY.held():
        yield


class PoseEstimator(Protocol):
    """Turns a frame into the main person's pose, or None when nobody is found."""

    def estimate(self, frame: Frame) -> Pose | None: ...

    def close(self) -> None: ...


def mask_2d(mask: FloatArray) -> FloatArray:
    """A segmentation mask as (H, W): 0.10.21 gives (H, W), mediapipe 1.x gives (H, W, 1)."""
    return mask[..., 0] if mask.ndim == 3 else mask


def _landmarks_to_array(landmarks: Any) -> tuple[FloatArray, FloatArray, FloatArray]:
    arr = np.array(
        [(lm.x, lm.y, lm.z, lm.visibility or 0.0, lm.presence or 0.0) for lm in landmarks],
        dtype=np.float64,
    )
    return arr[:, :3], arr[:, 3], arr[:, 4]


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
        boxes = [box_of(_landmarks_to_array(p)[0]) for p in result.pose_landmarks]
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


class MediaPipeEstimator:
    """Tasks PoseLandmarker in VIDEO mode (cheaper and steadier than IMAGE mode).

    With `num_poses` 1 MediaPipe follows one person itself (the region found in the last
    frame), and `people_check` (a `PeopleCheck`, on by default) counts the people in view
    once a second: the report says when others were there, and while they are, everyone
    is found on every frame and the person followed is kept among them
    (`crowd_switch.CrowdSwitch`). With 2 or more, every person in view is returned on
    every frame and `people` (a `PersonTracker`) keeps following the same one, and says
    when that was ambiguous; MediaPipe then runs its person detector on every frame
    (about 1.7x the time).
    """

    def __init__(
        self,
        model_path: str | Path,
        num_poses: int = 1,
        min_detection_confidence: float = 0.5,
        min_presence_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        threads: int | None = None,
        people_check: bool = True,
        fits: Callable[[Pose], bool] | None = None,
    ) -> None:
        if threads is not None:
            # XNNPACK reads this when the graph starts; batch workers use one thread each.
            os.environ.setdefault("TFLITE_NUM_THREADS", str(threads))
        from mediapipe.tasks.python import BaseOptions, vision

        def options(poses: int) -> Any:
            return vision.PoseLandmarkerOptions(
                base_options=BaseOptions(model_asset_path=str(model_path)),
                running_mode=vision.RunningMode.VIDEO,
                num_poses=poses,
                min_pose_detection_confidence=min_detection_confidence,
                min_pose_presence_confidence=min_presence_confidence,
                min_tracking_confidence=min_tracking_confidence,
            )

        # The people check's model loads on its thread while this one loads here.
        self.people_check = PeopleCheck(model_path) if num_poses == 1 and people_check else None
        try:
            self._landmarker = _landmarker(options(num_poses))
            if self.people_check is not None:
                self.people_check.wait_ready()
        except BaseException:
            if self.people_check is not None:
                self.people_check.close()
            raise
        self._last_ms = -1
        self.calls = 0
        self.people = PersonTracker() if num_poses > 1 else None
        self._fits = fits  # whether a person is in the exercise's posture (people.py)
        self._crowd = (
            _CrowdFollower(self.people_check, lambda: _landmarker(options(CROWD_POSES)), fits)
            if self.people_check is not None
            else None
        )

    def estimate(self, frame: Frame) -> Pose | None:
        import mediapipe as mp

        # VIDEO mode needs strictly increasing integer milliseconds.
        t_ms = max(round(frame.timestamp_s * 1000.0), self._last_ms + 1)
        self._last_ms = t_ms
        t_s = frame.timestamp_s
        crowd = self._crowd is not None and self._crowd.looking(t_s)
        landmarker = self._crowd.landmarker if self._crowd is not None and crowd else None
        rgb = cv2.cvtColor(frame.image_bgr, cv2.COLOR_BGR2RGB)
        with quiet_native_stderr() if self.calls == 0 else nullcontext():
            result = (landmarker or self._landmarker).detect_for_video(
                mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), t_ms
            )
        self.calls += 1
        poses = [
            _pose_of(image, world, frame.size_px)
            for image, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=True)
        ]
        if self._crowd is not None and crowd:
            index = self._crowd.choose(poses, t_s)
        else:
            index = self._main_person(poses, t_s)
        followed = box_of(poses[index].image_norm) if index is not None else None
        if self._crowd is not None:
            self._crowd.offer(frame, followed)
        elif self.people_check is not None:
            self.people_check.offer(frame, followed)
        return poses[index] if index is not None else None

    def _main_person(self, poses: list[Pose], t_s: float) -> int | None:
        if self.people is None:
            return 0 if poses else None
        return choose(self.people, poses, t_s, self._fits)

    def warnings(self) -> list[str]:
        """What the report should say about the people in view."""
        if self.people is not None:
            return self.people.warnings()
        if self._crowd is not None:
            return self._crowd.warnings()
        return self.people_check.warnings() if self.people_check is not None else []

    def close(self) -> None:
        if self._crowd is not None:
            self._crowd.close()
        if self.people_check is not None:
            self.people_check.close()
        self._landmarker.close()


def _landmarker(options: Any) -> Any:
    from mediapipe.tasks.python import vision

    with quiet_native_stderr(), without_display():
        return vision.PoseLandmarker.create_from_options(options)


def choose(
    tracker: PersonTracker, poses: list[Pose], t_s: float, fits: Callable[[Pose], bool] | None
) -> int | None:
    """The index of the followed person among `poses` (None: not in view)."""
    boxes = [box_of(pose.image_norm) for pose in poses]
    in_posture = [fits(pose) for pose in poses] if fits is not None and len(poses) > 1 else None
    return tracker.choose(boxes, t_s, in_posture)


class _CrowdFollower:
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
            self._notes.extend(n for n in self._tracker.notes() if n not in self._notes)
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


def _pose_of(image_landmarks: Any, world_landmarks: Any, size_px: tuple[int, int]) -> Pose:
    image_norm, visibility, presence = _landmarks_to_array(image_landmarks)
    world, _, _ = _landmarks_to_array(world_landmarks)
    return Pose(image_norm, world, visibility, presence, size_px)


class ReplayEstimator:
    """Replays a cached track (see `tracks.py`): pose by frame index, no model."""

    def __init__(self, track: Any) -> None:
        self._track = track

    def estimate(self, frame: Frame) -> Pose | None:
        return self._track.pose(frame.index)  # type: ignore[no-any-return]

    def close(self) -> None:
        """Nothing to release."""


def empty_pose_arrays(n_frames: int) -> dict[str, FloatArray]:
    """Arrays for a track of n frames, filled with NaN (no person)."""
    shape3 = (n_frames, NUM_LANDMARKS, 3)
    return {
        "image_norm": np.full(shape3, np.nan),
        "world_m": np.full(shape3, np.nan),
        "visibility": np.zeros((n_frames, NUM_LANDMARKS)),
        "presence": np.zeros((n_frames, NUM_LANDMARKS)),
    }
