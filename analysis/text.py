"""Decoding raw bytes to text and the few normalisations every reader needs.

Decoding is the only place that changes characters: BOMs and zero-width characters go, the
private-use glyphs that Thai PDF fonts leave behind (U+F700-U+F71A) become Thai characters again,
HTML pages become their visible text, line ends become ``\\n``. Everything downstream keeps
strings as exact substrings of the decoded text (the spec's "as written").
"""

from __future__ import annotations

import codecs
import html
import re
from functools import lru_cache
from html.parser import HTMLParser

# suffixes read as one text (HTML pages become their visible text); the importer and
# `python -m analysis extract` read every other supported type through `analysis.ingest`
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_DIGIT = re.compile("[๐-๙]")

# Thai PDF fonts (Adobe/Microsoft "Thai shaping" private-use area) draw shifted vowels and tone
# marks as separate glyphs; text extracted from such PDFs carries these code points.
_PUA_THAI = {
    0xF700: "\u0e10",
    0xF701: "\u0e34",
    0xF702: "\u0e35",
    0xF703: "\u0e36",
    0xF704: "\u0e37",
    0xF705: "\u0e48",
    0xF706: "\u0e49",
    0xF707: "\u0e4a",
    0xF708: "\u0e4b",
    0xF709: "\u0e4c",
    0xF70A: "\u0e48",
    0xF70B: "\u0e49",
    0xF70C: "\u0e4a",
    0xF70D: "\u0e4b",
    0xF70E: "\u0e4c",
    0xF70F: "\u0e0d",
    0xF710: "\u0e31",
    0xF711: "\u0e4d",
    0xF712: "\u0e47",
    0xF713: "\u0e48",
    0xF714: "\u0e49",
    0xF715: "\u0e4a",
    0xF716: "\u0e4b",
    0xF717: "\u0e4c",
    0xF718: "\u0e38",
    0xF719: "\u0e39",
    0xF71A: "\u0e3a",
}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_TRANSLATE = {**_PUA_THAI, **_INVISIBLE}
_TO_CLEAN = re.compile("[\uf700-\uf71a\u200b\u200c\u200d\u2060\ufeff]")


class DecodeError(ValueError):
    """The bytes are not a text this project can read; the message says why in Thai and English."""


@lru_cache(maxsize=8)
def thai_digits(s: str) -> str:
    """Thai digits to Arabic digits: ``'๑๗'`` → ``'17'`` (same length, so offsets hold).

    Cached: the date, time and count readers all ask for the same text.
    """
    if not _THAI_DIGIT.search(s):
        return s
    # only the digit runs are translated: str.translate walks every character of a Thai text
    # through a dict lookup, about five times slower than finding the few runs
    return _THAI_DIGIT_RUN.sub(_arabic, s)


# opens on a class, not a repeat: the engine then skips to the next Thai digit in C
_THAI_DIGIT_RUN = re.compile("[๐-๙][๐-๙]*")


def _arabic(m: re.Match) -> str:
    return m.group(0).translate(THAI_DIGITS)


def find_all(text: str, word: str, end: int):
    """Every place `word` starts in text[:end] (overlapping ones too), in order."""
    at = text.find(word, 0, end)
    while at != -1:
        yield at
        at = text.find(word, at + 1, end)


def clean(text: str) -> str:
    """Normalise decoded text: line ends, invisible characters, PDF private-use Thai glyphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _TO_CLEAN.search(text):
        return text  # the common case, and the second call on decoded text: a scan, no copy
    return text.translate(_TRANSLATE)


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(4, len(sample) // 50)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    # Thai in UTF-16 has 0x0E in the high byte, ASCII has 0x00: either way one side is regular.
    for enc, hi in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if sum(1 for b in hi if b in (0x00, 0x0E, 0x20)) > 0.9 * half and (even_nuls or odd_nuls):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with the few invalid sequences replaced, when nearly all of `data` is valid UTF-8.

    "Nearly all": at least 20 valid non-ASCII characters for each invalid sequence. A cp874 or
    TIS-620 file fails this by far (read as UTF-8, the project's invented records give at most
    0.37 valid characters per invalid sequence), while a UTF-8 record with one damaged byte
    passes and keeps its Thai instead of becoming cp874 mojibake.
    Returns the text and the number of replaced sequences, or None.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    valid = non_ascii - text.count("\ufffd")
    return (text, bad) if valid >= 20 * max(1, bad) else None


def _replaced_warning(count: int, encoding: str) -> str:
    return (
        f"ถอดรหัสเป็น {encoding} แล้วแทนไบต์ที่ผิด {count} ตำแหน่งด้วย \ufffd ตรวจข้อความรอบ ๆ จุดนั้น "
        f"(decoded as {encoding} with {count} invalid byte sequence(s) replaced by U+FFFD: "
        "check the text around them)"
    )


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes of a text file to text, and warnings about what decoding had to repair.

    UTF-8 (with or without BOM), UTF-16, else TIS-620/cp874. A UTF-8 file with a few invalid
    bytes is still read as UTF-8 (those bytes become U+FFFD and a warning says how many), not
    as cp874, which would turn all its Thai into mojibake.

    >>> decode('สวัสดี'.encode('cp874'))
    ('สวัสดี', [])
    Raises DecodeError for empty or binary input.
    """
    if not data or not data.strip():
        raise DecodeError("ไฟล์ว่าง ไม่มีข้อความ (empty input)")
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
        encoding = "UTF-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        encoding = "UTF-16"
    else:
        text = _utf16_without_bom(data) if b"\x00" in data[:2000] else None
        encoding = "UTF-16"
        if text is None:
            if _looks_binary(data):
                raise DecodeError("ไม่ใช่ไฟล์ข้อความ (binary data, not text)")
            encoding = "UTF-8"
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                mostly = _mostly_utf8(data)
                if mostly is not None:
                    text = mostly[0]
                else:
                    text, encoding = data.decode("cp874", errors="replace"), "cp874"
    # U+FFFD written in the file itself is text, not a repair
    written = data.count("\ufffd".encode("utf-8")) if encoding == "UTF-8" else 0
    replaced = text.count("\ufffd") - written
    if replaced > 0:
        warnings.append(_replaced_warning(replaced, encoding))
    text = clean(text)
    if looks_like_html(text):
        text = html_to_text(text)
    if not text.strip():
        raise DecodeError("ไม่มีข้อความหลังถอดรหัส (no text after decoding)")
    return text, warnings


def decode_bytes(data: bytes) -> str:
    """The text of `decode(data)`, without its warnings.

    >>> decode_bytes('สวัสดี'.encode('cp874'))
    'สวัสดี'
    """
    return decode(data)[0]


_HTML_HINT = re.compile(r"<(?:!doctype|html|body|head|p|div|br|span|table|meta)\b", re.I)


def looks_like_html(text: str) -> bool:
    """True for an HTML page or fragment (several tags), not for prose that holds one ``<``."""
    head = text[:5000]
    return bool(_HTML_HINT.search(head)) and len(re.findall(r"</?[a-zA-Z][^>]*>", head)) >= 3


_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "title",
    "nav",
    "td",
    "th",
    "dd",
    "dt",
    "form",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one block per line; scripts and styles dropped."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\r\f\v]+", " ", ln).strip(" ") for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip("\n")


def read_text_file(path) -> str:
    """Decode a text or HTML file on disk (see decode_bytes)."""
    with open(path, "rb") as fh:
        return decode_bytes(fh.read())
