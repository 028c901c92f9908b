"""ประเด็น Themes page questions over `ProgrammeTables`: how often each theme is raised, over time,
by agency and by province, which themes come together, and key phrases.

As in `analysis.frames.agencies`, each question aggregates (here in pandas; in SQL in
`analysis.store.questions.themes`) and then shapes the small result with a function both share.
Time bins are built from per-month counts ('YYYY-MM'), which add up to quarters and fiscal years
because a session falls in one month.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.frames import _texts_by_session, records_only
from analysis.frames.agencies import (
    _top_themes,
    agency_theme_matrix,
    fiscal_year_of_month,
    matrix_frame,
    month_text,
    most_first,
    pair_counts,
    plain,
    theme_sessions,
    together,
)
from analysis.phrases import content_words
from analysis.tables import ProgrammeTables

# Words PyThaiNLP's stopword list keeps that say nothing about what a session was about: spoken
# pronouns and kin terms used as pronouns, the programme's genre words, cue words of proposals.
KEY_PHRASE_STOPWORDS = frozenset(
    "ผม หนู ฉัน ดิฉัน กระผม พี่ น้อง ป้า ลุง ยาย ตา แม่ พ่อ น้า อา เขา เธอ ท่าน คุณ เรา พวก "
    "ทำ ทํา เรื่อง งาน คน ครั้ง วัน เดือน ปี ต่อไป ได้ ให้ ขอให้ ควร ต้อง น่าจะ อยากให้ "
    "เวที โครงการ ประชุม ถอดบทเรียน บันทึก ค่ะ คะ ครับ นะ จ้ะ จ้า".split()
)
MAX_KEY_PHRASE_DOCUMENTS = 800
MONTH_COUNT_COLUMNS = ["month", "theme", "sessions"]


# ----------------------------------------------------------------------------- shaping


def counts_frame(counts: Mapping[str, int], n_sessions: int) -> pd.DataFrame:
    """`theme_counts` from theme → sessions and the number of record sessions."""
    order = most_first(counts)
    out = pd.DataFrame({"theme": order, "sessions": [int(counts[th]) for th in order]})
    out["sessions"] = out["sessions"].astype(int)
    out["share"] = out["sessions"] / n_sessions if n_sessions else 0.0
    return out


def fiscal_quarter_of_month(month: str) -> int:
    """Quarter of the Thai fiscal year of a 'YYYY-MM' month (Oct–Dec is 1)."""
    return (int(month[5:7]) - 10) % 12 // 3 + 1


def over_time_frame(per_month: pd.DataFrame, themes: Sequence[str], grain: str) -> pd.DataFrame:
    """`themes_over_time` from [month ('YYYY-MM'), theme, sessions]: the periods with a session
    raising one of `themes`, each with every theme (0 where none)."""
    per_month = plain(per_month, MONTH_COUNT_COLUMNS)
    if per_month.empty:
        return pd.DataFrame(columns=["period", "theme", "sessions"])
    if grain == "month":
        period = pd.to_datetime(per_month["month"] + "-01")
    else:
        period = per_month["month"].map(fiscal_year_of_month).astype(int)
    g = per_month.assign(period=period).groupby(["period", "theme"])["sessions"].sum()
    periods = sorted(period.unique())
    full = pd.MultiIndex.from_product([periods, list(themes)], names=["period", "theme"])
    g = g.reindex(full, fill_value=0).rename("sessions").reset_index()
    g["sessions"] = g["sessions"].astype(int)
    return g


def _quarter_ordinal(month: str) -> int:
    return fiscal_year_of_month(month) * 4 + fiscal_quarter_of_month(month) - 1


def quarters_frame(
    per_month: pd.DataFrame, themes: Sequence[str], span: tuple[str, str] | None
) -> pd.DataFrame:
    """`themes_over_quarters` from [month, theme, sessions] and the first and last month of the
    dated record sessions (`span`, None when there is none): every fiscal quarter between."""
    cols = ["fiscal_year", "quarter", "theme", "sessions"]
    if span is None or not themes:
        return pd.DataFrame(columns=cols)
    per_month = plain(per_month, MONTH_COUNT_COLUMNS)
    keyed = per_month.assign(
        fiscal_year=per_month["month"].map(fiscal_year_of_month),
        quarter=per_month["month"].map(fiscal_quarter_of_month),
    )
    counts = keyed.groupby(["fiscal_year", "quarter", "theme"])["sessions"].sum()
    lo, hi = (_quarter_ordinal(m) for m in span)
    full = pd.MultiIndex.from_tuples(
        [(o // 4, o % 4 + 1, th) for o in range(lo, hi + 1) for th in themes], names=cols[:3]
    )
    out = counts.reindex(full, fill_value=0).rename("sessions").reset_index()
    out["sessions"] = out["sessions"].astype(int)
    return out[cols]


def by_agency_frame(
    matrix: pd.DataFrame, top_agencies: int = 8, top_themes: int = 10
) -> pd.DataFrame:
    """`themes_by_agency` from `agency_theme_matrix(top=max(top_agencies, top_themes))`."""
    m = matrix.iloc[:top_agencies, :top_themes]
    long = m.stack().rename("sessions").reset_index()
    return long[["theme", "agency", "sessions"]]


def counted_frame(long: pd.DataFrame, distinct: Mapping[str, int]) -> pd.DataFrame:
    """`themes_by_agency_counted` from `themes_by_agency` and theme → distinct sessions."""
    return long.assign(theme_sessions=long["theme"].map(dict(distinct)).fillna(0).astype(int))


# ----------------------------------------------------------------------------- questions


def theme_counts(tables: ProgrammeTables) -> pd.DataFrame:
    """Record sessions raising each theme, most first (ties alphabetical), and their share.

    [theme, sessions, share]
    """
    t = records_only(tables)
    return counts_frame(theme_sessions(t), len(t.sessions))


def _theme_months(t: ProgrammeTables, themes: Iterable[str]) -> pd.DataFrame:
    """[month, theme, sessions]: dated record sessions raising each of `themes` per month."""
    dated = t.sessions.dropna(subset=["session_date"])
    months = pd.DataFrame(
        {"session_id": dated["session_id"], "month": month_text(dated["session_date"])}
    )
    th = t.themes.loc[t.themes["theme"].isin(list(themes)), ["session_id", "theme"]]
    return pair_counts(months, th, ("month", "theme"))


def themes_over_time(
    tables: ProgrammeTables, grain: str = "fiscal_year", top: int = 8
) -> pd.DataFrame:
    """Sessions raising each of the `top` themes per fiscal year or month. [period, theme, sessions]

    grain "fiscal_year" gives BE fiscal years (int); "month" gives month-start Timestamps.
    """
    if grain not in ("fiscal_year", "month"):
        raise ValueError(f"unknown grain {grain!r}; use 'fiscal_year' or 'month'")
    t = records_only(tables)
    themes = _top_themes(t, top)
    return over_time_frame(_theme_months(t, themes), themes, grain)


def themes_over_quarters(tables: ProgrammeTables, top: int = 8) -> pd.DataFrame:
    """Sessions raising each of the `top` themes per fiscal quarter, empty quarters as 0 (the
    grain between months, mostly 0-1, and fiscal years). [fiscal_year, quarter, theme, sessions]
    """
    t = records_only(tables)
    themes = _top_themes(t, top)
    months = month_text(t.sessions["session_date"].dropna())
    span = (months.min(), months.max()) if len(months) else None
    return quarters_frame(_theme_months(t, themes), themes, span)


def themes_by_agency(
    tables: ProgrammeTables, top_agencies: int = 8, top_themes: int = 10
) -> pd.DataFrame:
    """Sessions per (theme, agency) for the top themes and agencies. [theme, agency, sessions]."""
    matrix = agency_theme_matrix(tables, top=max(top_agencies, top_themes))
    return by_agency_frame(matrix, top_agencies, top_themes)


def _themes_by_agency_sessions(tables: ProgrammeTables, frame: pd.DataFrame) -> dict[str, int]:
    """Theme → distinct record sessions raising it that one of the agencies in `frame` (a
    `themes_by_agency` frame) attended: what a stacked bar's sessions are, counted once each."""
    t = records_only(tables)
    a = t.agencies.loc[t.agencies["canonical"].isin(set(frame["agency"])), "session_id"]
    th = t.themes.loc[
        t.themes["session_id"].isin(set(a)) & t.themes["theme"].isin(set(frame["theme"]))
    ]
    return th.drop_duplicates()["theme"].value_counts().astype(int).to_dict()


def themes_by_agency_counted(tables: ProgrammeTables) -> pd.DataFrame:
    """`themes_by_agency` with each theme's distinct sessions beside it.

    [theme, agency, sessions, theme_sessions]: `sessions` is the sessions raising the theme that
    the agency attended, so a theme's bars stacked count a session once per agency present
    (agency attendances); `theme_sessions` counts each session once.
    """
    long = themes_by_agency(tables)
    return counted_frame(long, _themes_by_agency_sessions(tables, long))


def themes_by_province(tables: ProgrammeTables, top: int = 12) -> pd.DataFrame:
    """Sessions per (theme, province) for the top themes and provinces (most sessions first,
    ties alphabetical): themes as rows."""
    t = records_only(tables)
    themes = _top_themes(t, top)
    province = t.sessions[["session_id", "province"]].dropna()
    provinces = most_first(
        {str(k): int(v) for k, v in province["province"].value_counts().items()}, top
    )
    th = t.themes.loc[t.themes["theme"].isin(themes), ["session_id", "theme"]]
    long = pair_counts(th, province[province["province"].isin(provinces)], ("theme", "province"))
    return matrix_frame(long, themes, provinces, ("theme", "province"))


def theme_cooccurrence(tables: ProgrammeTables, top: int = 12) -> pd.DataFrame:
    """Sessions raising each pair of the `top` themes together (diagonal: sessions raising it)."""
    t = records_only(tables)
    return together(t.themes, "theme", _top_themes(t, top), "other")


# ----------------------------------------------------------------------------- key phrases


def key_phrase_sample(
    session_ids: Iterable[int], max_documents: int = MAX_KEY_PHRASE_DOCUMENTS, seed: int = 0
) -> list[int]:
    """The record sessions `key_phrases` reads, in order of id: all of them up to
    `max_documents`, else a seeded random sample of that many (the same sample for the same ids,
    whether the ids come from pandas or from SQL)."""
    ids = sorted(int(i) for i in session_ids)
    if len(ids) <= max_documents:
        return ids
    return sorted(random.Random(seed).sample(ids, max_documents))


def session_documents(
    ids: Sequence[int], titles: Mapping[int, object], turns: pd.DataFrame, recs: pd.DataFrame
) -> list[str]:
    """The words said in each session of `ids`, in that order: its title, its turns' texts and
    its recommendations' texts (frames of [session_id, text] in order of session and seq)."""
    said = _texts_by_session(turns, ["text"])
    proposed = _texts_by_session(recs, ["text"])
    out = []
    for i in ids:
        title = titles.get(i)
        out.append(
            f"{title if isinstance(title, str) else ''}\n{said.get(i, '')}\n{proposed.get(i, '')}"
        )
    return out


def phrases_frame(docs: Iterable[str], top: int = 25) -> pd.DataFrame:
    """`key_phrases` of these documents (one per session): see `key_phrases`."""
    counts: list[Counter] = []
    df: Counter = Counter()
    for text in docs:
        c: Counter = Counter()
        prev = None
        for w in content_words(text, KEY_PHRASE_STOPWORDS):
            if w is None:
                prev = None
                continue
            c[w] += 1
            if prev is not None:
                sep = " " if prev[-1].isascii() or w[0].isascii() else ""
                c[prev + sep + w] += 1
            prev = w
        counts.append(c)
        df.update(c.keys())
    n = len(counts)
    scores: Counter = Counter()
    for c in counts:
        length = sum(c.values()) or 1
        for term, k in c.items():
            if df[term] < 2:
                continue
            scores[term] += (k / length) * math.log((1 + n) / (1 + df[term]))
    best = [(term, score) for term, score in scores.most_common(top) if score > 0]
    return pd.DataFrame(
        {
            "phrase": [p for p, _ in best],
            "score": [round(s, 4) for _, s in best],
            "sessions": [df[p] for p, _ in best],
        }
    )


def key_phrases(
    tables: ProgrammeTables,
    top: int = 25,
    max_documents: int = MAX_KEY_PHRASE_DOCUMENTS,
    seed: int = 0,
) -> pd.DataFrame:
    """Words and two-word phrases that stand out, by TF-IDF over PyThaiNLP tokens.

    [phrase, score, sessions]

    Each record session is one document (title, turns, recommendations), in whole words of the
    programme's vocabulary (`analysis.phrases.content_words`: newmm with the project dictionary;
    stopwords, spoken particles, `KEY_PHRASE_STOPWORDS`, punctuation, numbers and words shorter
    than `phrases.MIN_WORD_CHARS` that are no project term are breaks), then
    unigrams and adjacent-word bigrams are counted. A phrase's score is the sum over documents of
    tf × idf, with tf = count / document length and idf = ln((1 + N) / (1 + df)), so a word
    found in every session scores nothing. Phrases
    found in a single session are left out (noise). Above `max_documents` sessions a seeded random
    sample of that many is read (`key_phrase_sample`), which keeps the ranking while bounding the
    segmentation time; `sessions` then counts sessions in the sample.
    """
    t = records_only(tables)
    ids = key_phrase_sample(t.sessions["session_id"], max_documents, seed)
    t = t.for_sessions(ids) if len(ids) < len(t.sessions) else t
    titles = dict(zip(t.sessions["session_id"], t.sessions["title"], strict=True))
    docs = session_documents(ids, titles, t.turns, t.recommendations)
    return phrases_frame(docs, top)
