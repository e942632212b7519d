"""When one-person tracking looks for everyone (pose/crowd_switch.py): check results in,
the frames looked at out. No model."""

from __future__ import annotations

from formcoach.pose.boxes import Box
from formcoach.pose.crowd_switch import CrowdSwitch, CrowdSwitchConfig

ME = Box(0.5, 0.8, 0.5, 0.2)  # lying on the mat
OTHER = Box(0.15, 0.5, 0.15, 0.7)  # standing at the side
CONFIG = CrowdSwitchConfig()


def _frames(switch: CrowdSwitch, start: float, end: float, fps: float = 25.0) -> list[bool]:
    n = round((end - start) * fps)
    return [switch.on(start + i / fps) for i in range(n)]


def test_alone_it_never_looks_for_everyone():
    switch = CrowdSwitch()
    for t in range(10):
        switch.checked([ME], ME, float(t))
    assert not any(_frames(switch, 0.0, 10.0)) and switch.spans == []


def test_someone_else_turns_it_on_until_hold_s_after_the_last_check_that_saw_them():
    switch = CrowdSwitch()
    switch.checked([ME, OTHER], ME, 2.0)
    switch.checked([ME, OTHER], ME, 3.0)
    switch.checked([ME], ME, 4.0)
    last_on = 3.0 + CONFIG.apply_after_s + CONFIG.hold_s
    assert switch.on(3.1) and switch.on(last_on - 0.01)
    assert not switch.on(last_on + 0.01)
    assert switch.spans == [(3.1, last_on - 0.01)]


def test_the_same_body_found_twice_is_not_someone_else():
    switch = CrowdSwitch()
    twice = Box(0.52, 0.8, 0.55, 0.22)
    switch.checked([ME, twice], ME, 1.0)
    assert not switch.on(1.2)


def test_someone_found_instead_of_the_person_followed_turns_it_on():
    switch = CrowdSwitch()
    switch.checked([OTHER], ME, 1.0)
    assert switch.on(1.2)


def test_with_nobody_followed_two_people_turn_it_on_and_one_does_not():
    switch = CrowdSwitch()
    switch.checked([OTHER], None, 1.0)
    assert not switch.on(1.2)
    switch.checked([ME, OTHER], None, 2.0)
    assert switch.on(2.2)


def test_spans_are_kept_apart_when_others_come_back_after_hold_s():
    switch = CrowdSwitch()
    switch.checked([ME, OTHER], ME, 1.0)
    _frames(switch, 1.1, 12.0)
    switch.checked([ME, OTHER], ME, 10.0)
    _frames(switch, 12.0, 20.0)
    assert [round(a, 1) for a, _ in switch.spans] == [1.1, 12.0]


def test_part_of_the_same_body_found_inside_its_box_is_not_someone_else():
    """As a check finds crunch_02's person, filmed from the head, at 21.1 s: a torso-sized
    pose 84 % inside the followed box, overlapping it by IoU 0.30."""
    followed = Box(0.509, 0.423, 0.416, 0.417)
    part = Box(0.512, 0.470, 0.133, 0.507)
    switch = CrowdSwitch()
    switch.checked([part], followed, 21.1)
    assert not switch.on(21.2)
