"""From Enter at the sign-in screen to a mode a person can use: the real app in a real terminal (a pty).

Each account gets one process (the app as `casebook --home DEMO --as NAME` opens it,
but with the cursor not blinking, so that silence means done; 80x24; the demo
casebook at full scrypt cost) and signs in ROUNDS times, signing out with
Ctrl+O in between: the first round is a fresh process (what the first person
at a terminal waits), the others a terminal that stayed open (the next
person). Per round, from the moment Enter is written to the terminal:

- `frame_ms`: until the terminal receives the mode's first frame (its tab line "[1 Policy]");
- `quiet_ms`: until the terminal receives its last byte before a second of silence (the text in place).

The baseline is the passphrase check alone (`Casebook.login`: scrypt at full
cost, the lock-out rule, the audit row), measured in this process: what is
above it is the app's own share. `python -m bench.signin [ROUNDS] [--code CHECKOUT]` (the app of
another checkout, for a before-and-after), or `make bench`.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

from casebook import demo

ROUNDS = 4
ACCOUNTS = ("ilse", "sofie", "an")
ROWS, COLUMNS = 24, 80
MODE_FRAME = b"Policy]"  # the current mode's tab: "[1 Policy]"
SIGNIN_SCREEN = b"demo-pass-an"  # the demo accounts under the sign-in box
QUIET = 1.0
ROOT = Path(__file__).resolve().parents[1]


class Terminal:
    """A child process on a pseudo-terminal of a fixed size, its output read as it comes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def read_until(self, marker: bytes, timeout: float) -> float | None:
        """The moment `marker` arrived (None: it did not within `timeout`)."""
        seen = b""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.01)
            if ready:
                try:
                    seen += os.read(self.fd, 1 << 16)
                except OSError:  # the child has gone: the marker will not come
                    return None
                if marker in seen:
                    return time.perf_counter()
        return None

    def quiet(self, silence: float = QUIET, timeout: float = 20.0) -> float:
        """The moment of the last output before `silence` seconds without any."""
        last = time.perf_counter()
        while time.perf_counter() - last < silence and time.perf_counter() - last < timeout:
            ready, _, _ = select.select([self.fd], [], [], 0.01)
            if ready:
                try:
                    os.read(self.fd, 1 << 16)
                except OSError:  # the child has gone
                    break
                last = time.perf_counter()
        return last

    def close(self) -> None:
        try:
            self.write(b"\x11")  # Ctrl+Q
            deadline = time.perf_counter() + 10
            while time.perf_counter() < deadline:
                self.quiet(0.2, 1.0)
                if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                    return
        except OSError:
            pass
        finally:
            os.close(self.fd)
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)


def _rounds(home: Path, account: demo.DemoAccount, rounds: int, code: Path) -> list[dict[str, float]]:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
        "LINES": str(ROWS),
        "PYTHONPATH": str(code),
    }
    terminal = Terminal([sys.executable, __file__, "--app", str(home), account.name], env)
    results = []
    try:
        if terminal.read_until(SIGNIN_SCREEN, 30) is None:
            raise RuntimeError("the sign-in screen did not come")
        terminal.quiet()
        for _ in range(rounds):
            terminal.write(account.passphrase.encode())
            terminal.quiet(0.5)
            started = time.perf_counter()
            terminal.write(b"\r")
            frame = terminal.read_until(MODE_FRAME, 20)
            if frame is None:
                raise RuntimeError(f"{account.name}: no mode screen after Enter")
            last = terminal.quiet()
            results.append({"frame_ms": (frame - started) * 1000, "quiet_ms": (last - started) * 1000})
            terminal.write(b"\x0f")  # Ctrl+O: sign out
            terminal.quiet()
    finally:
        terminal.close()
    return results


def _check_ms(home: Path, account: demo.DemoAccount) -> float:
    from casebook.book import open_casebook

    book = open_casebook(home)
    try:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            book.login(account.name, account.passphrase)
            best = min(best, time.perf_counter() - started)
    finally:
        book.close()
    return best * 1000


def _spread(values: list[float]) -> dict[str, int]:
    return {"median": round(statistics.median(values)), "min": round(min(values)), "max": round(max(values))}


def run(rounds: int = ROUNDS, code: Path = ROOT) -> dict[str, object]:
    """`code`: the checkout whose app is measured (another one for a before-and-after, e.g. the main branch)."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "demo"
        book, _ = demo.build(home)
        book.close()
        chosen = [a for a in demo.ACCOUNTS if a.name in ACCOUNTS]
        check = statistics.median(_check_ms(home, a) for a in chosen)
        per_account = {a.name: _rounds(home, a, rounds, code) for a in chosen}
    first = [r[0] for r in per_account.values()]
    later = [r for results in per_account.values() for r in results[1:]]
    summary: dict[str, object] = {
        "code": str(code),
        "terminal": f"{COLUMNS}x{ROWS}",
        "rounds_per_account": rounds,
        "baseline_check_ms": round(check),
        "first_sign_in": {key: _spread([r[key] for r in first]) for key in ("frame_ms", "quiet_ms")},
        "later_sign_ins": {key: _spread([r[key] for r in later]) for key in ("frame_ms", "quiet_ms")} if later else {},
        "frame_vs_check": round(statistics.median(r["frame_ms"] for r in first + later) / check, 1),
        "rounds_ms": {name: [{k: round(v) for k, v in r.items()} for r in rs] for name, rs in per_account.items()},
    }
    return summary


def _app(home: str, name: str) -> None:
    """The child's side: what `casebook --home HOME --as NAME` runs, without the blinking cursor."""
    from casebook.book import open_casebook
    from screens.app import CasebookApp

    book = open_casebook(home)
    try:
        CasebookApp(book, user=name, cursor_blink=False).run()
    finally:
        book.close()


if __name__ == "__main__":
    import json

    if sys.argv[1:2] == ["--app"]:
        _app(sys.argv[2], sys.argv[3])
        sys.exit(0)
    arguments = sys.argv[1:]
    chosen_code = ROOT
    if "--code" in arguments:
        at = arguments.index("--code")
        chosen_code = Path(arguments[at + 1]).resolve()
        del arguments[at : at + 2]
    print(json.dumps(run(int(arguments[0]) if arguments else ROUNDS, chosen_code), indent=2))
