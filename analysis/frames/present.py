"""The present page's own question over `ProgrammeTables` (pandas): the quotes for the projector.
Its charts reuse the other pages' questions. The SQL version is
`analysis.store.questions.present`; `pick_quotes` and `quotes_shape` are shared by both.
"""

from __future__ import annotations

import pandas as pd

from analysis.frames.recommendations import recommendation_table

QUOTE_COLUMNS = ["category", "text", "speaker", "agency", "speaker_role", "title", "session_date"]


def presentation_quotes(tables, n: int = 5) -> pd.DataFrame:
    """Quotes for the projector: one spoken recommendation from each of the `n` biggest categories.

    Only recommendations said in a turn (with a speaker) qualify; a recommendation counts in its
    first category ("" when it has none). Categories with the most such recommendations come
    first (ties: the one whose newest recommendation is newer in the table's order); within a
    category the one whose exact text is said most often (among all the spoken ones; the most
    shared proposal) is chosen, then the most recent, then the first in the table's order.
    [category, text, speaker, agency, speaker_role, title, session_date]
    """
    table = recommendation_table(tables)
    return pick_quotes(table[table["speaker"].notna()], n)


def pick_quotes(spoken: pd.DataFrame, n: int) -> pd.DataFrame:
    """`presentation_quotes` from the spoken rows of the recommendation table, in its order."""
    if spoken.empty or n <= 0:
        return quotes_shape([])
    table = spoken.assign(
        category=spoken["categories"].map(lambda c: c[0] if c else ""),
        freq=spoken["text"].map(spoken["text"].value_counts()),
        pos=range(len(spoken)),
    )
    sizes = table.groupby("category").agg(k=("pos", "size"), first=("pos", "min"))
    order = sizes.sort_values(["k", "first"], ascending=[False, True]).index.tolist()[:n]
    picks = []
    for cat in order:
        sub = table[table["category"] == cat].sort_values(
            ["freq", "session_date", "pos"], ascending=[False, False, True], na_position="last"
        )
        picks.append({c: sub.iloc[0][c] for c in QUOTE_COLUMNS})
    return quotes_shape(picks)


def quotes_shape(picks: list[dict]) -> pd.DataFrame:
    """The picked quotes (dicts in order) with the question's columns and dtypes."""
    out = pd.DataFrame(picks, columns=QUOTE_COLUMNS)
    for col in QUOTE_COLUMNS[:-1]:
        out[col] = out[col].astype("str")
    out["session_date"] = pd.to_datetime(out["session_date"]).astype("datetime64[us]")
    return out
