"""Forked workers: results come back in input order, and the input is read only a few
chunks ahead of the output."""

from __future__ import annotations

from collections.abc import Iterator

from eventscope.parallel import chunks, forked_map, worker_model


def _square_all(chunk: list[int]) -> tuple[str | None, list[int]]:
    return worker_model(), [n * n for n in chunk]


def test_chunks_keep_order_and_the_last_is_short() -> None:
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_results_come_back_in_input_order_with_the_model_name() -> None:
    out = list(forked_map(_square_all, chunks(range(50), 4), n_process=2, model="m"))
    assert [n for _, part in out for n in part] == [n * n for n in range(50)]
    assert {name for name, _ in out} == {"m"}


def test_the_input_is_read_only_a_few_chunks_ahead() -> None:
    pulled = 0

    def source() -> Iterator[list[int]]:
        nonlocal pulled
        for n in range(100):
            pulled += 1
            yield [n]

    results = forked_map(_square_all, source(), n_process=2, model=None)
    next(results)
    assert pulled <= 2 * 2 + 1 + 1  # the pending window plus the one that filled it
