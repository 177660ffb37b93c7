"""Turn the lab's logs (run-lab.sh OUTDIR) into the fixtures beside this folder.

Only chatter is cut (smtpd's connect/disconnect lines beyond the first few): every line about a message
stays as Postfix wrote it. The addresses are the lab's own: the fictitious dewerf.be office and .example
domains. python3 trim.py OUTDIR [SUFFIX]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def trim(source: Path, target: Path) -> None:
    kept, chatter = [], 0
    for line in source.read_text(encoding="utf-8").splitlines():
        if "connect from localhost" in line:
            chatter += 1
            if chatter > 4:
                continue
        kept.append(line)
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")


if __name__ == "__main__":
    out, suffix = Path(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else "")
    for name in ("mail.log", "mail-rfc3339.log", "mail-rfc5424.log", "maillog_file.log"):
        if (out / name).exists():
            trim(out / name, HERE / name.replace(".log", f"{suffix}.log"))
