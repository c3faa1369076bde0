"""The second core: a forked child gives the same answers as this process, and its failures only
cost time."""

import multiprocessing
import os
from unittest.mock import patch

import pytest
from hypothesis import given, settings

from matching.engine import build_candidates, candidates, exact, flow, parallel
from matching.engine.types import Problem
from tests.matching.engine.strategies import problems

needs_two_cores = pytest.mark.skipif(not parallel.available(), reason="needs fork and two cores")


def _square_with_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def _squares_in_child(queue: "multiprocessing.Queue[object]") -> None:
    queue.put(parallel.split_map(_square_with_pid, list(range(10)), [1] * 10, 1))


def _die_in_child(value: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    return value + 1


PARENT = os.getpid()


@needs_two_cores
def test_a_child_computes_part_of_the_tasks_in_the_tasks_order() -> None:
    results = parallel.split_map(_square_with_pid, list(range(10)), [1] * 10, 1)

    assert [square for square, _ in results] == [value * value for value in range(10)]
    assert {pid for _, pid in results} - {os.getpid()}  # some came from another process


@pytest.mark.parametrize("daemon", [False, True])
@needs_two_cores
def test_it_works_inside_a_worker_process_as_celery_runs_it(daemon: bool) -> None:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    worker = context.Process(target=_squares_in_child, args=(queue,), daemon=daemon)
    worker.start()
    results = queue.get(timeout=60)
    worker.join(timeout=60)

    assert worker.exitcode == 0
    assert isinstance(results, list)
    assert [square for square, _ in results] == [value * value for value in range(10)]
    assert len({pid for _, pid in results}) == 2  # the worker and its own child


def test_without_a_child_every_task_is_computed_here() -> None:
    with patch.object(parallel, "ENABLED", False):
        results = parallel.split_map(_square_with_pid, list(range(10)), [1] * 10, 1)

    assert results == [(value * value, os.getpid()) for value in range(10)]


def test_too_little_work_stays_here() -> None:
    results = parallel.split_map(_square_with_pid, list(range(10)), [1] * 10, 100)

    assert {pid for _, pid in results} == {os.getpid()}


@needs_two_cores
def test_a_child_that_dies_costs_only_time() -> None:
    assert parallel.split_map(_die_in_child, list(range(10)), [1] * 10, 1) == list(range(1, 11))


@settings(max_examples=20, deadline=None)
@given(problems())
def test_the_exact_solve_is_the_same_on_one_core_and_on_two(problem: Problem) -> None:
    candidates = build_candidates(problem)
    fill = problem.weights.fill_reward
    # Every round solved by parts (no direct solve), each part a call of its own, all forked.
    with patch.object(exact, "DIRECT_EDGES", 0), patch.object(exact, "BATCH", 1):
        with patch.object(flow, "PARALLEL_ARCS", 0):
            two = exact.exact_edges(candidates, fill)
        with patch.object(parallel, "ENABLED", False):
            one = exact.exact_edges(candidates, fill)

    assert one.edges.tolist() == two.edges.tolist()
    assert (one.rounds, one.arcs_solved) == (two.rounds, two.arcs_solved)


@settings(max_examples=20, deadline=None)
@given(problems())
def test_candidates_are_the_same_on_one_core_and_on_two(problem: Problem) -> None:
    with patch.object(candidates, "PARALLEL_TESTS", 0):
        two = build_candidates(problem)
    with patch.object(parallel, "ENABLED", False):
        one = build_candidates(problem)

    for field in ("offer", "need", "person", "cost", "level"):
        assert getattr(one, field).tolist() == getattr(two, field).tolist(), field
