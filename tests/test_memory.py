"""Freed memory is given back: on glibc, malloc_trim really lowers a process's resident size."""

from __future__ import annotations

import subprocess
import sys

import pytest

from noc_console.memory import Trimmer, release_freed_memory


def test_the_trimmer_releases_when_due_or_after_large_work() -> None:
    now = [0.0]
    trimmer = Trimmer(every_s=60, clock=lambda: now[0])
    released = release_freed_memory()  # True on glibc; where there is no malloc_trim, never True
    assert trimmer.tick() is False
    now[0] = 59.0
    assert trimmer.tick() is False
    assert trimmer.tick(large=True) is released
    now[0] = 118.0
    assert trimmer.tick() is False  # counted from the large one
    now[0] = 119.5
    assert trimmer.tick() is released


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_a_process_holds_less_after_a_trim() -> None:
    code = """
import gc
from noc_console.memory import release_freed_memory

def rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))

# texts past pymalloc's 512 bytes come from the C heap, as an answer's strings and a write's buffers do
junk = [str(i) * 300 for i in range(100_000)]
junk = [junk[i] for i in range(0, len(junk), 1000)]  # a few survive: the heap cannot shrink by itself
gc.collect()
before = rss()
released = release_freed_memory()
print(before, rss(), int(released))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after, released = (int(x) for x in out.stdout.split())
    if not released:
        pytest.skip("this C library has no malloc_trim")
    assert after < before - 10_000, (before, after)  # over 10 MB given back


THREAD_HEAPS = """
import sys
import threading
from noc_console.memory import limit_arenas

if sys.argv[1] == "limited":
    assert limit_arenas()
start, done = threading.Barrier(8), threading.Barrier(8)

def work():
    start.wait()  # all at once: each would take a heap of its own
    junk = [bytes(3000) for _ in range(3000)]
    done.wait()

threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
heaps = 0
with open("/proc/self/maps") as maps:  # a thread heap: a 64 MiB reservation, mostly without access
    for line in maps:
        fields = line.split()
        low, high = (int(x, 16) for x in fields[0].split("-"))
        if fields[1] == "---p" and len(fields) == 5 and high - low > 8 * 2**20:
            heaps += 1
print(heaps)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_threads_share_two_heaps_once_limited() -> None:
    def heaps(mode: str) -> int:
        run = subprocess.run(
            [sys.executable, "-c", THREAD_HEAPS, mode], check=False, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        return int(run.stdout)

    assert heaps("free") >= 3  # eight threads at once: heaps of their own (what the test can see)
    assert heaps("limited") <= 1  # the main heap and at most one more
