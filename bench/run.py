"""`make bench`: every benchmark, each as a ratio against a baseline measured in the same run.

The machines are shared and noisy: absolute seconds say little, a ratio
against plain work done a moment earlier on the same machine says more.
Results go to stdout and to bench/results/<name>.json.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import foundation, imports, overview, signin

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS: dict[str, Callable[[], dict[str, object]]] = {
    "foundation": foundation.run,
    "imports": imports.run,
    "overview": overview.run,
    "signin": signin.run,
}


def main(names: list[str]) -> int:
    RESULTS.mkdir(exist_ok=True)
    chosen = names or list(BENCHMARKS)
    for name in chosen:
        result = {
            "benchmark": name,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "machine": platform.machine(),
            **BENCHMARKS[name](),
        }
        text = json.dumps(result, indent=2)
        (RESULTS / f"{name}.json").write_text(text + "\n")
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
