"""Answers next to the question: a chart whose bars, cells and points open the sessions and quotes
behind them in a dialog over the page (so they show where the user is looking, at any scroll
position), each quote linked to its session; and the notice that says which records the kind
filter hides, with a button to show them.

Session text is shown with st.text (never Markdown); labels that hold record text go through
md_escape.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis import figures, frames
from analysis.filters import DEFAULT_KINDS
from analysis.i18n import Display, md_escape
from analysis.record import KINDS
from pages import _common as ui

# The values a selection may hold, in the order `frames.drilldown` takes them.
DRILL_KEYS = (
    "theme",
    "agency",
    "province",
    "fiscal_year",
    "month",
    "with_theme",
    "other_agency",
    "quarter",
    "category",
)
REQUEST = "_drill_request"
LAST = "_drill_last"  # chart name → its last selection
SELF_NAMED = ("fiscal_year", "quarter", "month")  # "ปีงบฯ 2568", not "ปีงบประมาณ: ปีงบฯ 2568"
MAX_SESSIONS = 12  # sessions listed with their quotes
# Sessions (the newest) whose quotes are read at all, for the list and the table below it: a bar
# can stand for tens of thousands of sessions, and only these sessions' rows leave the database.
TABLE_SESSIONS = 200


def _point_values(point: dict, keys: tuple[str, ...]) -> dict:
    data = point.get("customdata")
    values = data if isinstance(data, list | tuple) else [data]
    return {k: v for k, v in zip(keys, values, strict=False) if v is not None and v != ""}


def request(selection: dict, source: str) -> None:
    """Ask for the drill-down dialog of `selection` on this run (after the chart `source`)."""
    st.session_state[REQUEST] = {"source": source, "selection": selection}


def _on_select(name: str, to_selection: Callable[[dict], dict], after) -> Callable[[], None]:
    def callback():
        points = st.session_state[f"chart_{name}"].selection.points
        last = st.session_state.setdefault(LAST, {})
        if not points:  # a click on the bar already chosen unselects it: show it again
            if name in last:
                request(last[name], name)
            return
        selection = to_selection(points[0])
        if selection:
            last[name] = selection
            request(selection, name)
            if after is not None:
                after(selection)

    return callback


def chart(
    builder,
    data,
    disp: Display,
    name: str,
    keys: tuple[str, ...] = (),
    to_selection: Callable[[dict], dict] | None = None,
    after: Callable[[dict], None] | None = None,
) -> None:
    """`ui.chart` whose clicked bar, cell or point opens its sessions and quotes in a dialog.

    The point's customdata names `keys` (e.g. ("theme", "agency")), or `to_selection(point)`
    builds the selection; `after(selection)` runs in the click's callback (e.g. to set a picker).
    """
    pick = to_selection or (lambda point: _point_values(point, keys))
    ui.chart(builder, data, disp, name, on_select=_on_select(name, pick, after))
    pending = st.session_state.get(REQUEST)
    if pending and pending["source"] == name:
        open_dialog(disp)


def open_dialog(disp: Display) -> None:
    """Show the requested drill-down (once: closing it and rerunning does not bring it back)."""
    pending = st.session_state.pop(REQUEST, None)
    if pending:
        st.dialog(disp.t("drill_title"), width="large")(_body)(disp, pending["selection"])


def _value_label(key: str, value, disp: Display) -> str:
    if key in ("theme", "with_theme"):
        return figures.theme_label(value, disp)
    if key == "fiscal_year":
        return disp.fiscal_year(value)
    if key == "month":
        return disp.month(value)
    if key == "quarter":
        return disp.t("quarter_n", q=int(value))
    if key == "category":
        return figures.category_label(value, disp)
    return str(value)


def selection_args(selection: dict) -> tuple:
    """The selection as `frames.drilldown`'s positional arguments (hashable: a cache key)."""
    out = []
    for key in DRILL_KEYS:
        value = selection.get(key)
        if key in ("fiscal_year", "quarter") and value is not None:
            value = int(value)
        elif key == "month" and value is not None:
            value = str(pd.Timestamp(value).date())
        out.append(value)
    return tuple(out)


def session_link(session_id, title, session_date, disp: Display) -> None:
    """A link to a session's own page (sessions?session=ID) labelled with its date and title."""
    title = title if isinstance(title, str) else ""
    label = " · ".join(x for x in (disp.date(session_date), title or f"#{int(session_id)}") if x)
    st.page_link(
        "pages/sessions.py",
        label=md_escape(label),
        icon=":material/forum:",
        query_params={"session": str(int(session_id))},
    )


def _body(disp: Display, selection: dict) -> None:
    said = " · ".join(
        _value_label(k, selection[k], disp)
        if k in SELF_NAMED
        else f"{disp.t('drill_' + k)}: {_value_label(k, selection[k], disp)}"
        for k in DRILL_KEYS
        if selection.get(k) is not None
    )
    st.markdown(f"**{md_escape(said)}**")
    args = selection_args(selection)
    df = ui.frame("drilldown", *args, 3, TABLE_SESSIONS)
    quotes = df["quote"].notna()
    n_sessions = ui.frame("drilldown_sessions", *args)
    st.caption(disp.t("drill_count", sessions=n_sessions, quotes=int(quotes.sum())))
    if df.empty:
        st.info(disp.t("no_data"))
        return
    names = frames.speaker_display(df, ui.anonymise(), disp.lang)
    shown = df.assign(who_shown=names)
    for i, (sid, part) in enumerate(shown.groupby("session_id", sort=False)):
        if i >= MAX_SESSIONS:
            more = n_sessions - MAX_SESSIONS
            if n_sessions > TABLE_SESSIONS:
                st.caption(disp.t("drill_more_limited", n=more, shown=TABLE_SESSIONS))
            else:
                st.caption(disp.t("drill_more", n=more))
            break
        first = part.iloc[0]
        with st.container(border=True):
            session_link(sid, first["title"], first["session_date"], disp)
            said_here = part[part["quote"].notna()]
            if said_here.empty:
                st.caption(disp.t("drill_no_quote"))
            for q in said_here.itertuples(index=False):
                st.text(f"“{q.quote}”")
                if isinstance(q.speaker, str) and q.speaker:
                    st.caption(md_escape(f"— {q.who_shown}"))
    with st.expander(disp.t("drill_table")):
        ui.table(df, disp)
        ui.download(df, disp, "drilldown")


# ----------------------------------------------------------------------------- hidden records


def _show_kinds(kinds) -> None:
    st.session_state["f_kinds"] = list(kinds)


def hidden_notice(disp: Display) -> None:
    """Say how many records the kind filter hides, with a button to show them (or to hide them
    again when shown): the kind filter never hides records silently."""
    f = ui.current_filters()
    hidden = ui.hidden_by_kind(f)
    n_hidden = sum(hidden.values())
    if n_hidden:
        text, button, kinds = "hidden_others", "hidden_others_show", (*f.kinds, *hidden)
        n = n_hidden
    else:
        others = [k for k in f.kinds if k not in DEFAULT_KINDS]
        if not others:
            return
        shown = ui.hidden_by_kind(f.replace(kinds=DEFAULT_KINDS))
        n = sum(shown.values())
        if not n:
            return
        text, button, kinds = "shown_others", "shown_others_hide", DEFAULT_KINDS
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(disp.t(text, n=n))
    right.button(
        disp.t(button),
        key="kind_notice",
        on_click=_show_kinds,
        args=([k for k in KINDS if k in kinds],),
        icon=":material/visibility:" if n_hidden else ":material/visibility_off:",
    )
