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
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casebook.errors import CasebookError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20
NUL = b"\x00"
# The longest record read whole; a longer one is read on in pieces and handed on cut to LONGEST + 1 bytes
# (so that it shows as too long), never held whole: a 1 GiB line inside a small .gz stays a few KB in memory.
LONGEST = 64 * 1024


def _open_raw(path: Path) -> BinaryIO:
    """The file, opened for reading, if it is a regular file (a log, or a .gz of one).

    Opened without blocking and checked on the open descriptor: a named pipe would otherwise wait for a
    writer, and a device such as /dev/zero never ends. Checking the path first would let it be swapped
    between the check and the open.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise CasebookError("logs.error.missing", path=str(path)) from None
    except IsADirectoryError:
        raise CasebookError("logs.error.folder", path=str(path)) from None
    except OSError as exc:
        raise CasebookError("logs.error.unreadable", path=str(path), detail=exc.strerror or str(exc)) from None
    kind = os.fstat(fd).st_mode
    if not stat.S_ISREG(kind):
        os.close(fd)
        if stat.S_ISDIR(kind):
            raise CasebookError("logs.error.folder", path=str(path))
        raise CasebookError("logs.error.not_a_file", path=str(path))
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


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
    written has added since. A record longer than LONGEST comes cut to
    LONGEST + 1 bytes, its length still counted in what was consumed.
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
    read = lines.readline
    cut = LONGEST + 1
    # What a NUL left of a piece: the start of the next record, read before the file again.
    pending = b""

    def piece(size: int) -> bytes:
        nonlocal pending
        if not pending:
            return read(size)
        newline = pending.find(b"\n", 0, size)
        if newline >= 0 or len(pending) >= size:
            end = newline + 1 if newline >= 0 else size
            taken, pending = pending[:end], pending[end:]
            return taken
        taken, pending = pending, b""
        return taken + read(size - len(taken))

    def after_nul(rest: bytes) -> int:
        """Keep what follows a NUL for the next record; a lone newline closing the NUL's record is consumed."""
        nonlocal pending
        if rest == b"\n":
            return 1
        pending = rest + pending
        return 0

    while consumed < limit:
        line = piece(cut) if pending else read(cut)
        if not line:
            return
        if NUL in line:
            record, _, rest = line.partition(NUL)
            consumed += len(record) + 1 + after_nul(rest)
            yield consumed, record, True
            continue
        if line[-1] == 10:  # b"\n"
            consumed += len(line)
            # The newline and any carriage returns before it, in one copy: the line holds no other newline.
            yield consumed, line.rstrip(b"\r\n"), True
            continue
        consumed += len(line)
        if len(line) < cut:  # the end of the file, the record without its end
            yield consumed, line, False
            continue
        # Longer than LONGEST: read on in pieces to its end, keeping only its start.
        ended = False
        while more := piece(CHUNK):
            if NUL in more:
                skipped, _, rest = more.partition(NUL)
                consumed += len(skipped) + 1 + after_nul(rest)
                ended = True
                break
            consumed += len(more)
            if more[-1] == 10:
                ended = True
                break
        yield consumed, line, ended
