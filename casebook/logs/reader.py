"""Reading a log file: plain or gzip (by its magic bytes), as numbered lines of bytes, hashed on the way."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casebook.errors import CasebookError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20


def open_log(path: Path) -> BinaryIO:
    try:
        raw = path.open("rb")
    except FileNotFoundError:
        raise CasebookError("logs.error.missing", path=str(path)) from None
    except IsADirectoryError:
        raise CasebookError("logs.error.folder", path=str(path)) from None
    except OSError as exc:
        raise CasebookError("logs.error.unreadable", path=str(path), detail=exc.strerror or str(exc)) from None
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    raw.seek(0)
    return raw


@dataclass(frozen=True)
class Fingerprint:
    content_hash: str
    size: int
    # Hashes of the content's first n bytes, for each n asked (a grown log's earlier imports).
    prefixes: dict[int, str]


def fingerprint(path: Path, prefix_sizes: set[int]) -> Fingerprint:
    """Hash everything the file holds (decompressed), noting the hash at each of `prefix_sizes`."""
    digest = hashlib.sha256()
    prefixes: dict[int, str] = {}
    size = 0
    wanted = sorted(prefix_sizes)
    try:
        with open_log(path) as handle:
            while True:
                chunk = handle.read(CHUNK)
                if not chunk:
                    break
                while wanted and size + len(chunk) >= wanted[0]:
                    cut = wanted[0] - size
                    digest.update(chunk[:cut])
                    prefixes[wanted[0]] = digest.hexdigest()
                    size += cut
                    chunk = chunk[cut:]
                    wanted.pop(0)
                digest.update(chunk)
                size += len(chunk)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise CasebookError("logs.error.unreadable", path=str(path), detail=str(exc)) from None
    return Fingerprint(digest.hexdigest(), size, prefixes)


def first_lines(path: Path, count: int = 50) -> list[str]:
    with open_log(path) as handle:
        try:
            head = handle.read(256 * 1024)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise CasebookError("logs.error.unreadable", path=str(path), detail=str(exc)) from None
    return head.decode("utf-8", errors="replace").splitlines()[:count]


def numbered_lines(handle: BinaryIO, skip_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """(bytes consumed once this line is taken, the line without its newline, whether it had one), from `skip_bytes`."""
    if skip_bytes:
        remaining = skip_bytes
        while remaining:
            block = handle.read(min(CHUNK, remaining))
            if not block:
                break
            remaining -= len(block)
    consumed = skip_bytes
    for line in io.BufferedReader(handle, buffer_size=CHUNK):  # type: ignore[arg-type]
        consumed += len(line)
        if line.endswith(b"\n"):
            yield consumed, line[:-1].rstrip(b"\r"), True
        else:
            yield consumed, line, False
