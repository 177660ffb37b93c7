"""Logs a tester feeds on purpose: what is no file, lines without end, numbers past any sense.

Each ends in a rejected line or a clear refusal, never in an internal error, a hang or memory the size
of the line.
"""

from __future__ import annotations

import gzip
import os
import tracemalloc
from pathlib import Path

import pytest

from casebook.book import Casebook
from casebook.errors import CasebookError
from casebook.logs import importer, reader, rollups
from casebook.logs.hits import MAX_BYTES
from casebook.session import Session
from tests.core.test_log_evidence import at, line, officer, write

__all__ = ["officer"]  # the fixture, used by name


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(officer: Session, tmp_path: Path) -> None:
    pipe = tmp_path / "access.log"
    os.mkfifo(pipe)
    with pytest.raises(CasebookError) as refusal:
        importer.import_file(officer, pipe)
    assert refusal.value.key == "logs.error.not_a_file" and str(pipe) in refusal.value.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_before_anything_is_read(officer: Session, device: str) -> None:
    with pytest.raises(CasebookError) as refusal:
        importer.import_file(officer, device, "squid")
    assert refusal.value.key == "logs.error.not_a_file"


def test_a_folder_is_said_to_be_a_folder(officer: Session, tmp_path: Path) -> None:
    with pytest.raises(CasebookError) as refusal:
        importer.import_file(officer, tmp_path)
    assert refusal.value.key == "logs.error.folder"


def test_a_huge_line_in_a_small_gz_is_rejected_as_too_long_and_never_held_whole(
    officer: Session, tmp_path: Path
) -> None:
    log = tmp_path / "access.log.1.gz"
    with gzip.open(log, "wb", compresslevel=1) as out:
        out.write((line(ts=at(9)) + "\n").encode())
        block = b"x" * (1 << 20)
        for _ in range(48):  # a line of 48 MiB, a few hundred KB compressed
            out.write(block)
        out.write(b"\n" + (line(ts=at(9, 5)) + "\n").encode())
    assert log.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        result = importer.import_file(officer, log)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.lines, result.imported, dict(result.reasons)) == (3, 2, {"too_long": 1})
    assert peak < 16 << 20, f"{peak / (1 << 20):.0f} MiB for a 48 MiB line"


def test_records_cut_a_long_one_and_keep_the_nul_ends_around_it(tmp_path: Path) -> None:
    long = b"y" * (reader.LONGEST + 10)
    data = b"a\x00b\x00\n" + long + b"\x00c\n" + long + b"\nd"
    path = tmp_path / "x.log"
    path.write_bytes(data)
    with path.open("rb") as handle:
        found = list(reader.records(handle, 0, len(data)))
    assert [(raw[:3], ended) for _, raw, ended in found] == [
        (b"a", True),
        (b"b", True),
        (b"yyy", True),
        (b"c", True),
        (b"yyy", True),
        (b"d", False),
    ]
    assert [len(raw) for _, raw, _ in found][2] == reader.LONGEST + 1  # cut, so that it shows as too long
    assert [end for end, _, _ in found] == [2, 5, 5 + len(long) + 1, 5 + len(long) + 3, len(data) - 1, len(data)]


def test_lines_at_the_bound_add_up_without_overflow(book: Casebook, officer: Session, tmp_path: Path) -> None:
    rows = [{"ts": at(9, minute), "size": MAX_BYTES, "client": f"10.0.0.{minute % 6 + 1}"} for minute in range(12)]
    result = importer.import_file(officer, write(tmp_path / "big.log", rows))
    assert (result.imported, result.rejected) == (12, 0)
    day = rollups.data_days(officer)
    assert day is not None
    totals = rollups.totals(officer, rollups.period("custom", day[0], day[0], day[1]))
    assert totals.bytes == 12 * MAX_BYTES
