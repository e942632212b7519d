"""The offline decode-ahead thread: order kept, nothing dropped, errors and stops handled."""

from __future__ import annotations

import threading
import time

import pytest

from formcoach.sources.prefetch import Prefetcher


def test_items_arrive_in_order_and_none_is_dropped():
    p = Prefetcher(iter(range(1000)), depth=3)
    assert list(p) == list(range(1000))
    p.close()


def test_an_error_in_the_producer_is_raised_in_the_consumer_after_its_items():
    def items():
        yield 1
        yield 2
        raise OSError("disk gone")

    p = Prefetcher(items())
    got = []
    with pytest.raises(OSError, match="disk gone"):
        for item in p:
            got.append(item)
    assert got == [1, 2]
    p.close()


def test_close_stops_a_producer_that_is_ahead_of_the_consumer():
    produced = []

    def endless():
        i = 0
        while True:
            produced.append(i)
            yield i
            i += 1

    p = Prefetcher(endless(), depth=2)
    first = next(iter(p))
    p.close()
    assert first == 0
    count = len(produced)
    time.sleep(0.3)
    assert len(produced) == count  # stopped: it only ever ran a bounded way ahead
    assert count <= 5
    assert not any(t.name == "prefetch" and t.is_alive() for t in threading.enumerate())
