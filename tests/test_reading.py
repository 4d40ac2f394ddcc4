import pytest

from tarjim.errors import InputError
from tarjim.reading import decode, read_source


def test_utf8_bom_and_crlf():
    assert decode("\ufeffسطر\r\nسطر".encode("utf-8"), "x") == "سطر\nسطر"


def test_utf16_with_bom():
    assert decode("نص عربي".encode("utf-16"), "x") == "نص عربي"


@pytest.mark.parametrize("data, msg", [(b"", "empty"), (b" \n\t", "empty"), (b"\x00\x01", "binary"),
                                       ("نص".encode("cp1256"), "not UTF-8")])
def test_bad_bytes(data, msg):
    with pytest.raises(InputError, match=msg):
        decode(data, "x")


def test_read_source_hashes_the_bytes(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("مرحبا".encode())
    s = read_source(str(p))
    import hashlib

    assert s.sha256 == hashlib.sha256("مرحبا".encode()).hexdigest() and s.path == str(p)
