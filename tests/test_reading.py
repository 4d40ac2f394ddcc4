import hashlib
import io
import json
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHARED, needs_shared
from tarjim.errors import InputError
from tarjim.reading import decode, decode_bytes, is_html, read_source, sniff_binary

NEWS = ("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة بطاقة 300 سرير، "
        "وقال الوزير إن المشروع كلف نحو 40 مليون دولار.")


def test_utf8_bom_and_crlf():
    assert decode("\ufeffسطر\r\nسطر".encode("utf-8"), "x") == "سطر\nسطر"


def test_utf16_with_bom():
    assert decode("نص عربي".encode("utf-16"), "x") == "نص عربي"


@pytest.mark.parametrize("data, msg", [(b"", "empty"), (b" \n\t", "empty"), (b"\x00\x01", "binary"),
                                       (bytes(range(256)) * 8, "binary")])
def test_bad_bytes(data, msg):
    with pytest.raises(InputError, match=msg):
        decode(data, "x")


def test_mixed_encodings_are_not_called_binary():
    """UTF-8 Arabic with a Latin-1 line: text a user can fix with --encoding, not 'binary data'."""
    data = "قال الرئيس إن الاقتصاد تحسن كثيرا هذا العام.\n".encode() + "Café résumé\n".encode("latin-1")
    with pytest.raises(InputError, match="mixed encodings") as e:
        decode(data, "x")
    assert "binary" not in str(e.value) and "--encoding" in str(e.value)


@pytest.mark.parametrize("codec, name", [("cp1256", "cp1256"), ("iso-8859-6", "iso-8859-6"),
                                         ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_arabic_legacy_encodings_and_bomless_utf16_are_decoded(codec, name):
    d = decode_bytes(NEWS.encode(codec), "x")
    assert d.text == NEWS and d.encoding == name and not d.guessed


def test_short_input_is_a_guess():
    d = decode_bytes("نص قصير".encode("cp1256"), "x")
    assert d.text == "نص قصير" and d.encoding == "cp1256" and d.guessed


def test_utf8_is_never_reencoded():
    d = decode_bytes(NEWS.encode(), "x")
    assert d.encoding == "utf-8" and not d.guessed


def test_forced_encoding():
    data = NEWS.encode("cp1256")
    assert decode_bytes(data, "x", encoding="windows-1256").text == NEWS
    with pytest.raises(InputError, match="not an encoding"):
        decode_bytes(data, "x", encoding="klingon-8")
    with pytest.raises(InputError, match="not valid utf-8"):
        decode_bytes(data, "x", encoding="utf-8")


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file"),
    (_docx(), "a DOCX (Word) document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
])
def test_pdf_docx_images_are_named_and_refused(data, kind):
    assert sniff_binary(data) == kind
    with pytest.raises(InputError, match=re.escape(f"x: {kind}; tarjim reads text and HTML")):
        decode(data, "x")


def test_html_is_recognised_by_name_or_content():
    assert is_html(b"<!DOCTYPE html><html><body>x</body></html>")
    assert is_html(b"\n  <html lang='ar'><head>", None)
    assert is_html(b"anything", "page.HTM")
    assert not is_html("نص عن <b> وسم".encode(), "a.txt")


def test_read_source_hashes_the_bytes(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("مرحبا".encode())
    s = read_source(str(p))
    assert s.sha256 == hashlib.sha256("مرحبا".encode()).hexdigest() and s.path == str(p)
    assert s.format == "text" and s.encoding == "utf-8" and s.url is None


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A) | st.sampled_from(" .،\n0123456789"),
               min_size=1, max_size=200).filter(lambda t: t.strip()))
def test_utf8_round_trips(text):
    assert decode(text.encode("utf-8"), "x") == text


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("codec", ["cp1256", "iso-8859-6", "utf-16-le"])
def test_flores_documents_in_legacy_encodings(codec):
    """Every 7th FLORES document (40 of 281, to keep the suite fast): decoded exactly."""
    docs = [json.loads(line)["text"] for line in
            (SHARED / "data/segment/flores200_devtest_docs.jsonl").read_text(encoding="utf-8").splitlines()]
    for text in docs[::7]:
        data = text.encode(codec, errors="ignore")  # a few characters (e.g. ‑) have no cp1256 byte
        expected = data.decode(codec).replace("\r\n", "\n")
        assert decode(data, "x") == expected
