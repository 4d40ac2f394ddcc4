"""Bytes → text: a file or stdin, UTF-8 (with or without BOM; UTF-16 with a BOM), with
one clear error for what is not an article: missing, a directory, binary, undecodable,
empty."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from tarjim.errors import InputError


@dataclass(frozen=True)
class Source:
    text: str
    path: str | None  # None for stdin
    sha256: str  # of the bytes as read

    @property
    def label(self) -> str:
        return self.path or "<stdin>"


def decode(data: bytes, label: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{label}: not valid UTF-16 text") from None
    else:
        if b"\x00" in data[:8192]:
            raise InputError(f"{label}: binary data, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InputError(
                f"{label}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
                f"convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8"
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{label}: empty input (no text in it)")
    return text


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory (use `tarjim batch` for folders)") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read it ({e.strerror or e})") from None


def read_source(path: str | None) -> Source:
    """path '-' or None reads stdin."""
    if path in (None, "-"):
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        return Source(decode(data, "<stdin>"), None, hashlib.sha256(data).hexdigest())
    if Path(path).is_dir():
        raise InputError(f"{path}: is a directory (use `tarjim batch` for folders)")
    data = read_bytes(path)
    return Source(decode(data, str(path)), str(path), hashlib.sha256(data).hexdigest())
