"""Bytes → text: a file, stdin or a URL. UTF-8 (with or without BOM) first, UTF-16 with a
BOM, then charset-normalizer limited to the encodings Arabic text is found in; PDF, DOCX
and other binary data refused with one clear line. Web pages (a .html file, text that is
an HTML document, a URL) go on to tarjim.extract for their article."""

from __future__ import annotations

import codecs
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tarjim.document import Source
from tarjim.errors import InputError

__all__ = ["Decoded", "Source", "decode", "decode_bytes", "is_url", "read_bytes", "read_source", "sniff_binary"]

# What Arabic text is found in, in practice (charset-normalizer is restricted to these:
# unrestricted it misreads short cp1256 texts as Greek or Cyrillic code pages).
CANDIDATES = ("cp1256", "iso8859_6", "cp1252")
GUESS_BELOW_BYTES = 40  # shorter than this, any encoding but UTF-8 is a guess
LOW_CONFIDENCE = 0.5  # charset-normalizer's chaos above this: a guess

# Magic numbers of formats people save articles in, and tarjim does not read.
_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
_ZIP_KINDS = ((b"word/", "a DOCX (Word) document"), (b"ppt/", "a PowerPoint file"), (b"xl/", "an Excel file"),
              (b"opendocument", "an OpenDocument file"), (b"META-INF/container.xml", "an EPUB book"))
HTML_HINT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
                       re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name, normalised: "utf-8", "cp1256", "utf-16-le"…
    guessed: bool = False  # detected from too few bytes or with low confidence


def sniff_binary(data: bytes) -> str | None:
    """What kind of non-text file this is ("a PDF file"), or None."""
    head = data[:8]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        for marker, kind in _ZIP_KINDS:
            if marker in data[:65536]:
                return kind
        return "a ZIP archive"
    return None


def _normal(name: str) -> str:
    return codecs.lookup(name).name.replace("_", "-").replace("iso8859-", "iso-8859-")


def _utf16_order(data: bytes) -> str | None:
    """UTF-16 without a BOM: Arabic (U+06xx) and ASCII put 0x06 or 0x00 in every other
    byte, which no 8-bit text does. "utf-16-le", "utf-16-be" or None."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    high_odd = sum(b in (0, 6) for b in sample[1::2]) / (len(sample) // 2)
    high_even = sum(b in (0, 6) for b in sample[0::2]) / (len(sample) // 2)
    if high_odd >= 0.6 and high_even < 0.3:
        return "utf-16-le"
    if high_even >= 0.6 and high_odd < 0.3:
        return "utf-16-be"
    return None


def _detect(data: bytes, label: str) -> Decoded:
    from charset_normalizer import from_bytes


    best = from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    if best is None:
        controls = sum(b < 32 and b not in b"\t\n\r\f\x1b" for b in data[:65536])
        if controls * 100 <= min(len(data), 65536):  # text, in no one encoding (UTF-8 lines and cp1256 ones?)
            raise InputError(f"{label}: not UTF-8, nor text in {', '.join(_normal(c) for c in CANDIDATES)} "
                             "(mixed encodings?); --encoding NAME reads it in one")
        raise InputError(f"{label}: binary data, not text")
    text = str(best)
    letters = sum(ch.isalpha() for ch in text)
    if "\x00" in text or letters == 0 and len(data) > 64:
        raise InputError(f"{label}: binary data, not text")
    guessed = len(data) < GUESS_BELOW_BYTES or best.chaos > LOW_CONFIDENCE
    return Decoded(text, _normal(best.encoding), guessed)


def _declared_charset(data: bytes) -> str | None:
    if m := _META_CHARSET.search(data[:4096]):
        try:
            return codecs.lookup(m.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            return None
    return None


def decode_bytes(data: bytes, label: str, encoding: str | None = None, declared: str | None = None,
                 keep_cr: bool = False) -> Decoded:
    """The text in `data`. `encoding` forces a codec (--encoding); `declared` is one a web
    page or server named, tried strictly before detection. keep_cr: a lone \\r stays (a
    line-aligned file's lines end at \\n only, as wc -l and sacrebleu count them)."""
    if kind := sniff_binary(data):
        raise InputError(f"{label}: {kind}; tarjim reads text and HTML")
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"--encoding {encoding}: not an encoding Python knows (e.g. cp1256, utf-16)") from None
        try:
            text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError as e:
            raise InputError(f"{label}: not valid {encoding} (byte 0x{data[e.start]:02x} at offset {e.start})") from None
        return _finish(Decoded(text.lstrip("\ufeff"), _normal(codec)), label, keep_cr)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _finish(Decoded(data.decode("utf-16"), "utf-16"), label, keep_cr)
        except UnicodeDecodeError:
            raise InputError(f"{label}: not valid UTF-16 text") from None
    if order := _utf16_order(data):  # before UTF-8: Arabic UTF-16 can be valid UTF-8, full of controls
        try:
            return _finish(Decoded(data.decode(order), order, len(data) < GUESS_BELOW_BYTES), label, keep_cr)
        except UnicodeDecodeError:
            pass
    try:
        return _finish(Decoded(data.decode("utf-8-sig"), "utf-8"), label, keep_cr)
    except UnicodeDecodeError:
        pass
    for name in filter(None, (declared, _declared_charset(data))):
        try:
            return _finish(Decoded(data.decode(name), _normal(name)), label, keep_cr)
        except (UnicodeDecodeError, LookupError):
            continue
    return _finish(_detect(data, label), label, keep_cr)


def _finish(d: Decoded, label: str, keep_cr: bool = False) -> Decoded:
    if "\x00" in d.text:
        raise InputError(f"{label}: binary data, not text")
    text = d.text.replace("\r\n", "\n")
    text = text if keep_cr else text.replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{label}: empty input (no text in it)")
    return Decoded(text, d.encoding, d.guessed)


def decode(data: bytes, label: str, encoding: str | None = None) -> str:
    return decode_bytes(data, label, encoding).text


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


def is_url(target: str | None) -> bool:
    return bool(target) and re.match(r"(?i)https?://\S+$", target) is not None


def is_html(data: bytes, name: str | None = None) -> bool:
    if name and Path(name).suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:2048].decode("utf-16", errors="ignore").encode("utf-8")
    return HTML_HINT.match(head) is not None


def source_from_bytes(data: bytes, label: str, *, path: str | None = None, url: str | None = None,
                      encoding: str | None = None, declared: str | None = None, html: bool | None = None,
                      keep_cr: bool = False) -> Source:
    """Bytes (a file, stdin or a fetched page) → the Source: the article's text and what
    is known about it. HTML is reduced to its article by tarjim.extract."""
    sha = hashlib.sha256(data).hexdigest()
    d = decode_bytes(data, label, encoding, declared, keep_cr)
    fmt = "url" if url else "text"
    if html is None:  # by its name or bytes, else by its text (UTF-16 without a BOM hides the tags from a byte match)
        html = is_html(data, path) or HTML_HINT.match(d.text[:1024].encode("utf-8")) is not None
    if html:
        from tarjim.extract import extract_article

        art = extract_article(d.text, label, url=url)
        return Source(art.text, path, sha, encoding=d.encoding, encoding_guessed=d.guessed,
                      format="url" if url else "html", url=url, title=art.title, date=art.date, author=art.author)
    return Source(d.text, path, sha, encoding=d.encoding, encoding_guessed=d.guessed, format=fmt, url=url)


def read_source(path: str | None, encoding: str | None = None, keep_cr: bool = False) -> Source:
    """path '-' or None reads stdin; an http(s) URL is fetched. keep_cr: see decode_bytes."""
    if is_url(path):
        from tarjim.extract import fetch

        page = fetch(path)
        return source_from_bytes(page.data, path, url=page.url, encoding=encoding, declared=page.charset,
                                 html=page.html, keep_cr=keep_cr)
    if path in (None, "-"):
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        return source_from_bytes(data, "<stdin>", encoding=encoding, keep_cr=keep_cr)
    if Path(path).is_dir():
        raise InputError(f"{path}: is a directory (use `tarjim batch` for folders)")
    return source_from_bytes(read_bytes(path), str(path), path=str(path), encoding=encoding, keep_cr=keep_cr)
