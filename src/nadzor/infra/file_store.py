"""The attachment folder: files addressed by the SHA-256 of their content (`ab/cd/<sha256>`), so the
same content is stored once. A file appears under its address only complete: it is written to a
temporary file in the same folder, flushed to disk, then renamed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20
_TEMP_PREFIX = ".upload-"


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 in hex: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def holds(self, sha256: str, size: int) -> bool:
        """The content is there, whole (a file of another size at the address is replaced by `put`)."""
        try:
            return self.path_for(sha256).stat().st_size == size
        except FileNotFoundError:
            return False

    def put(self, sha256: str, size: int, source: BinaryIO) -> bool:
        """Store `source` (a seekable stream whose content has this SHA-256 and size) at its address
        unless it is already there; True when this call created the file."""
        if self.holds(sha256, size):
            return False
        target = self.path_for(sha256)
        for attempt in range(3):  # a concurrent `remove` may take away the empty parent folder
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
                break
            except FileNotFoundError:
                if attempt == 2:
                    raise
        try:
            with os.fdopen(fd, "wb") as out:
                digest = hashlib.sha256()
                source.seek(0)
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha256:
                raise ValueError("the content changed while it was being stored")
            os.chmod(temp, 0o640)
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            _prune(target)
            raise
        _fsync_folder(target.parent)
        return True

    def remove(self, sha256: str) -> None:
        """Remove the content and the address folders it leaves empty."""
        target = self.path_for(sha256)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        _prune(target)


def _prune(target: Path) -> None:
    """Remove the address folders of `target` that are empty."""
    for folder in (target.parent, target.parent.parent):
        try:
            folder.rmdir()
        except OSError:  # not empty (other content, or another upload in progress), or gone
            break


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
