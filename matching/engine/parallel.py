"""The second core: a forked child takes part of a list of independent tasks.

OR-Tools and most numpy calls here hold the GIL, so threads do not help; a process does. The
child is forked (copy-on-write: it reads the parent's arrays without copying them), works through
its share of the tasks and sends back only the results, pickled, through a pipe; it leaves with
`os._exit`, so none of the parent's exit code (atexit handlers, a Celery worker's cleanup) runs in
it. A plain fork works the same inside a Celery prefork worker (itself a forked child) as in a main
process, and does not need `multiprocessing`, whose daemonic workers may not have children.

Every task is computed by the same code in either process, so the results do not depend on who
computed them. Whenever the child cannot be forked, dies or sends something incomplete, its tasks
are computed here: the answer is the same, only slower.
"""

import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

ENABLED = True  # False: every task in this process (the serial path; tests use both)
MIN_CHILD_WORK = 1  # a child is forked only for at least this much work (in the caller's units)


def split_map(
    work: Callable[[Task], Result], tasks: Sequence[Task], weights: Sequence[int], min_child_work: int
) -> list[Result]:
    """`[work(task) for task in tasks]`, a share of the tasks computed by a forked child.

    `weights` estimate each task's work: the heaviest go first, each to the side with less so far.
    No child is forked for less than `min_child_work` in total.
    """
    mine, theirs = _split(weights)
    if not theirs or sum(weights[i] for i in theirs) < max(min_child_work, MIN_CHILD_WORK) or not available():
        return [work(task) for task in tasks]
    results: dict[int, Result] = {}
    child = _fork(work, [tasks[i] for i in theirs])
    try:
        for i in mine:
            results[i] = work(tasks[i])
    except BaseException:
        _abandon(child)
        raise
    answer: list[Result] | None = _collect(child)
    if answer is None or len(answer) != len(theirs):
        answer = [work(tasks[i]) for i in theirs]
    results.update(zip(theirs, answer, strict=True))
    return [results[i] for i in range(len(tasks))]


def available() -> bool:
    if not ENABLED or not hasattr(os, "fork"):
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores >= 2


def _split(weights: Sequence[int]) -> tuple[list[int], list[int]]:
    """Task positions for this process and for the child: heaviest first, each to the lighter side."""
    sides: tuple[list[int], list[int]] = ([], [])
    load = [0, 0]
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        side = 0 if load[0] <= load[1] else 1
        sides[side].append(i)
        load[side] += weights[i]
    return sorted(sides[0]), sorted(sides[1])


def _fork(work: Callable[[Task], Result], tasks: list[Task]) -> tuple[int, int] | None:
    """(pid, read end) of a child computing the tasks and writing their pickled results, or None."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: compute, write, and leave without running any of the parent's code
        status = 1
        try:
            os.close(read)
            view = memoryview(pickle.dumps([work(task) for task in tasks], protocol=pickle.HIGHEST_PROTOCOL))
            while view:
                view = view[os.write(write, view) :]
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None) -> list[Any] | None:
    """The child's results, or None when it failed; reaps the child."""
    if child is None:
        return None
    pid, read = child
    chunks: list[bytes] = []
    try:
        while chunk := os.read(read, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(read)
        status = _reap(pid)
    if status not in (0, None):
        return None
    try:
        # The child writes only once it has every result, so a whole pickle is a whole answer.
        answer: object = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's output
    except Exception:  # an incomplete answer: compute it here instead
        return None
    return answer if isinstance(answer, list) else None


def _reap(pid: int) -> int | None:
    """The child's exit status; None when someone else (a SIGCHLD handler) already reaped it."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def _abandon(child: tuple[int, int] | None) -> None:
    """The parent failed: close the pipe, so the child ends when it writes, and reap it."""
    if child is None:
        return
    pid, read = child
    os.close(read)  # the child's write fails, and it leaves
    _reap(pid)
