"""Untrusted session text made harmless where it is written out: spreadsheet cells and chart labels.

Session text (titles, speakers, file names, raw text) comes from imported files, so anyone who can
hand over a file controls it. Two places would otherwise read it as something more than text:

* **Spreadsheets** (every CSV and XLSX the project writes): a cell that starts with ``=``, ``+``,
  ``-``, ``@`` (or a tab / carriage return, which some spreadsheet programs skip before reading a
  formula) can run as a formula when the file is opened, e.g. ``=HYPERLINK("http://…")`` or
  ``=cmd|' /C calc'!A0``. `neutralise_formula` puts an apostrophe in front, the usual defence
  (OWASP "CSV injection"): the cell then shows the text with a leading ``'``. The importer undoes
  it (`restore_formula`), so an exported CSV/XLSX imported again gives the same texts.
* **Plotly labels**: plotly reads ``<a href>``, ``<b>``, ``<span style>`` in labels and hover text
  as markup. `chart_label` escapes ``&``, ``<`` and ``>`` (plotly draws ``&lt;`` as ``<``).

Markdown in the dashboard is escaped by `analysis.i18n.md_escape`.
"""

from __future__ import annotations

import html

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise_formula(value):
    """A string that a spreadsheet could read as a formula, with an apostrophe in front:
    ``neutralise_formula("=1+1")`` → ``"'=1+1"``; other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def restore_formula(value: str) -> str:
    """The inverse of `neutralise_formula` for a cell read back from a CSV/XLSX:
    ``restore_formula("'=1+1")`` → ``"=1+1"``."""
    if value.startswith(QUOTE) and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) cannot run as formulas."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype.kind in ("O", "T") or str(out[col].dtype) in ("str", "string"):
            out[col] = out[col].map(neutralise_formula)
    out.columns = [neutralise_formula(c) for c in out.columns]
    return out


def chart_label(value):
    """Text for a plotly label or hover, shown as written: ``chart_label("<b>x</b>")`` →
    ``"&lt;b&gt;x&lt;/b&gt;"``; a line break becomes plotly's ``<br>`` (the only markup left,
    so a wrapped label shows in lines); lists are escaped item by item, other values left
    alone."""
    if isinstance(value, str):
        return html.escape(value, quote=False).replace("\n", "<br>")
    if isinstance(value, list | tuple):
        return [chart_label(v) for v in value]
    return value
