"""Wheels of what this test environment already has, so that the install script runs without a network.

The install script builds a wheel of the checkout and installs it with its
dependencies from the package index. A test may not reach the index, so it
hands the script a folder of wheels instead (pip's --no-index --find-links,
through PIP_* variables): the dependencies packed from the distributions
installed here, and Casebook packed from the checkout with the metadata that
the editable install here was built with.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = "cao81-casebook"
PACKAGES = ("schema", "casebook", "screens")
# Written by pip at install time, not part of a wheel.
_INSTALL_RECORDS = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


def _closure(name: str) -> list[metadata.Distribution]:
    """The distribution and everything it needs at run time, with the extras asked on the way, each once."""
    found: dict[str, metadata.Distribution] = {}
    seen: set[tuple[str, str]] = set()
    waiting: list[tuple[str, str]] = [(name, "")]
    while waiting:
        key, extra = waiting.pop()
        key = canonicalize_name(key)
        if (key, extra) in seen:
            continue
        seen.add((key, extra))
        dist = found.setdefault(key, metadata.distribution(key))
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                waiting += [(requirement.name, "")] + [(requirement.name, wanted) for wanted in requirement.extras]
    return list(found.values())


def _wheel(out: Path, dist_info: str, files: dict[str, bytes]) -> Path:
    """A py3-none-any wheel of these files, with its WHEEL and RECORD."""
    name, version = dist_info.removesuffix(".dist-info").split("-", 1)
    files = {
        **files,
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: casebook-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    lines = []
    for path, data in sorted(files.items()):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{path},sha256={digest},{len(data)}")
    lines.append(f"{dist_info}/RECORD,,")
    target = out / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(path, data)
        archive.writestr(f"{dist_info}/RECORD", "\n".join(lines) + "\n")
    return target


def _installed(dist: metadata.Distribution, out: Path) -> Path:
    files: dict[str, bytes] = {}
    dist_info = ""
    for entry in dist.files or []:
        path = str(entry)
        if path.startswith("..") or "__pycache__" in path or path.endswith(".pyc"):
            continue  # scripts pip writes again from entry_points.txt; compiled files pip makes again
        if ".dist-info/" in path:
            dist_info = path.split("/", 1)[0]
            if path.split("/", 1)[1] in _INSTALL_RECORDS:
                continue
        files[path] = Path(dist.locate_file(entry)).read_bytes()
    return _wheel(out, dist_info, files)


def _from_checkout(root: Path, dist: metadata.Distribution, out: Path) -> Path:
    version = dist.version
    dist_info = f"cao81_casebook-{version}.dist-info"
    files: dict[str, bytes] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files[str(path.relative_to(root))] = path.read_bytes()
    # The editable install's metadata: a .dist-info's METADATA, or the PKG-INFO of an .egg-info beside the sources.
    for name, sources in (("METADATA", ("METADATA", "PKG-INFO")), ("entry_points.txt", ("entry_points.txt",))):
        text = next((found for source in sources if (found := dist.read_text(source)) is not None), None)
        assert text is not None, f"the editable install has no {name}"
        files[f"{dist_info}/{name}"] = text.encode()
    return _wheel(out, dist_info, files)


def build(root: Path, out: Path) -> Path:
    """Fill `out` with the wheels an offline install needs; returns Casebook's own wheel."""
    out.mkdir(parents=True, exist_ok=True)
    own = None
    for dist in _closure(PROJECT):
        if canonicalize_name(dist.metadata["Name"]) == PROJECT:
            own = _from_checkout(root, dist, out)
        else:
            _installed(dist, out)
    assert own is not None
    return own
