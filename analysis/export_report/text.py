"""Untrusted session text made safe for the XML inside .pptx, .xlsx and .docx files.

Session text comes from imported files and is written into every export as plain text through
each library's own API (never as HTML or markup). XML 1.0 still refuses a few characters (C0
controls other than tab/newline, lone surrogates, U+FFFE/U+FFFF) that a pasted text may hold;
`clean` drops them so one odd character cannot make an export fail.
"""

from __future__ import annotations

import re

import pandas as pd

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(value) -> str:
    """`value` as text without the characters XML cannot hold: ``clean("ก\\x00ข")`` → ``"กข"``;
    None and NaN give ``""``."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # a list or array: not a missing value
        pass
    return _NOT_XML.sub("", str(value))
