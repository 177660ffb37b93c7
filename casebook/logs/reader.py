"""Reading a log file: plain or gzip (by its magic bytes), as numbered records of bytes, hashed on the way.

A record ends at a newline, or at a NUL: Squid's native format cuts a record
longer than about 8 KB and ends it with a NUL instead of a newline, the next
record following straight after it.

A log is known by its content, not its name: the hash of its first n bytes
(decompressed) is the same whatever the file is called now, whether it was
renamed, copied or compressed since. A plain file may still grow; its last
record, while it has no end yet, is left for later. A compressed one is
final, its last record read as it is.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casebook.errors import CasebookError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20
NUL = b"\x00"


def _open_raw(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise CasebookError("logs.error.missing", path=str(path)) from None
    except IsADirectoryError:
        raise CasebookError("logs.error.folder", path=str(path)) from None
    except OSError as exc:
        raise CasebookError("logs.error.unreadable", path=str(path), detail=exc.strerror or str(exc)) from None


def open_log(path: Path) -> BinaryIO:
    raw = _open_raw(path)
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    raw.seek(0)
    return raw


class Source:
    """One log file, opened once: every pass over it (hashing, reading) reads the same file, even if it is
    renamed meanwhile (logrotate)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._raw = _open_raw(path)
        self.compressed = self._raw.read(2) == GZIP_MAGIC
        self._raw.seek(0)

    def stream(self) -> BinaryIO:
        """The content from its first byte, decompressed: a reader of its own over the same open file."""
        handle = os.fdopen(os.dup(self._raw.fileno()), "rb", buffering=CHUNK)
        handle.seek(0)
        if self.compressed:
            return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]
        return handle

    @property
    def final(self) -> bool:
        """A compressed log no longer grows: its last record is complete even without an end."""
        return self.compressed

    def unreadable(self, exc: BaseException) -> CasebookError:
        return CasebookError("logs.error.unreadable", path=str(self.path), detail=str(exc))

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Fingerprint:
    size: int  # bytes the content holds (decompressed)
    end: int  # where its last complete record ends (== size for a final file)
    end_hash: str  # hash of the content's first `end` bytes: what an import that reads it all has read
    # Hashes of the content's first n bytes, for each n asked (the sizes earlier imports read).
    prefixes: dict[int, str]


def fingerprint(source: Source, prefix_sizes: set[int]) -> Fingerprint:
    """Hash the content once, noting the hash at each of `prefix_sizes` and where the last record ends."""
    digest = hashlib.sha256()
    prefixes: dict[int, str] = {}
    size = 0
    end, end_digest = 0, digest.copy()
    wanted = sorted(n for n in prefix_sizes if n > 0)
    index = 0
    try:
        handle = source.stream()
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            view = memoryview(chunk)
            last = max(chunk.rfind(b"\n"), chunk.rfind(NUL))
            record_end = size + last + 1 if last >= 0 else -1
            done = 0  # bytes of this chunk hashed so far
            # The cut points inside this chunk, in order: the prefixes asked, and the end of its last record.
            cuts = []
            while index < len(wanted) and wanted[index] <= size + len(chunk):
                cuts.append((wanted[index], "prefix"))
                index += 1
            if record_end >= 0:
                cuts.append((record_end, "end"))
            for position, kind in sorted(cuts):
                digest.update(view[done : position - size])
                done = position - size
                if kind == "prefix":
                    prefixes[position] = digest.hexdigest()
                else:
                    end, end_digest = position, digest.copy()
            digest.update(view[done:])
            size += len(chunk)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise source.unreadable(exc) from None
    if source.final or size == end:
        return Fingerprint(size, size, digest.hexdigest(), prefixes)
    return Fingerprint(size, end, end_digest.hexdigest(), prefixes)


def first_lines(path: Path, count: int = 50) -> list[str]:
    with open_log(path) as handle:
        try:
            head = handle.read(256 * 1024)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise CasebookError("logs.error.unreadable", path=str(path), detail=str(exc)) from None
    return head.replace(NUL, b"\n").decode("utf-8", errors="replace").splitlines()[:count]


def records(handle: BinaryIO, skip_bytes: int, limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """(bytes consumed once this record is taken, the record without its end, whether it had an end).

    From `skip_bytes` to `limit`: what was hashed, not what a log still being
    written has added since.
    """
    if skip_bytes:
        remaining = skip_bytes
        while remaining:
            block = handle.read(min(CHUNK, remaining))
            if not block:
                break
            remaining -= len(block)
    consumed = skip_bytes
    lines = handle if isinstance(handle, io.BufferedReader) else io.BufferedReader(handle, buffer_size=CHUNK)  # type: ignore[arg-type]
    for line in lines:
        if consumed >= limit:
            return
        if NUL in line:
            *ended, line = line.split(NUL)
            for record in ended:
                consumed += len(record) + 1
                yield consumed, record, True
            if not line or line == b"\n":  # nothing after the NUL, or only the newline closing that record
                consumed += len(line)
                continue
        consumed += len(line)
        if line[-1] == 10:  # b"\n"
            yield consumed, line[:-1].rstrip(b"\r"), True
        else:
            yield consumed, line, False
