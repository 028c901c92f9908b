"""What every page shares: the cached engine, the page questions, the sidebar (language, era,
anonymise, filters kept in the URL), and the chart/table renderers. Only this layer touches
Streamlit's caches; `analysis/` stays UI-free.

Every chart and table is a question answered in SQL (`analysis.store.questions`): the store
aggregates, pages long lists and sends back only what the page shows, so a page costs what it
shows, not the size of the programme (tests/test_pages_ask_sql.py keeps it so). A viewer's
answers are masked here (`privacy.mask_frame`).

Caching (the UI boundary): `st.cache_resource` holds the engine (created on first use, never at
import time; it imports the sample once) and the viewer's masker; `st.cache_data` holds each
answer. Both are keyed on the store's version: a counter bumped by every edit made in the
dashboard plus a fingerprint of the store read at most every STORE_CHECK_SECONDS, so an edit
here shows up on the next rerun and one made elsewhere (the CLI) a few seconds later.
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analysis import figures, frames, phrases, privacy, sample, store, ui_state
from analysis.auth import Actor, Role
from analysis.filters import Filters
from analysis.i18n import Display, md_escape, parse_date, t
from analysis.store import questions
from analysis.store.questions import scope
from analysis.store.questions import sessions as session_questions
from pages import _auth

HIGHLIGHT_COLOURS = {
    "recommendation": "orange",
    "theme": "blue",
    "agency": "green",
    "speaker": "violet",
}
MAX_HIGHLIGHT_CHARS = 60_000
PAGE_ROWS = 50
STORE_CHECK_SECONDS = 3  # how often to look for changes made outside this dashboard process


# ----------------------------------------------------------------------------- data access


@st.cache_resource(show_spinner=False)
def _warm_segmenter() -> threading.Thread:
    """Once per server process: build the word segmenter's dictionaries in the background (chart
    labels wrap between words) while the first page asks the store its questions."""
    thread = threading.Thread(target=phrases.warm, name="sangkhro-warm-segmenter", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner="กำลังเปิดฐานข้อมูลและนำเข้าโครงการตัวอย่าง… (opening the store)")
def _engine():
    engine = store.get_engine()
    sample.ensure_sample(engine)
    return engine


def engine():
    """The store's engine (cached for the process); a store error stops the page with what to do."""
    _warm_segmenter()
    try:
        return _engine()
    except store.StoreError as exc:
        st.error(t("store_error", lang(), error=md_escape(str(exc))))
        st.stop()


@st.cache_resource(show_spinner=False)
def _edit_counter() -> dict:
    return {"n": 0}


def bump_version() -> None:
    """Note an edit made through the dashboard (the store fingerprint catches the rest)."""
    _edit_counter()["n"] += 1
    _store_fingerprint.clear()
    st.session_state.pop("_version", None)


@st.cache_data(show_spinner=False, ttl=STORE_CHECK_SECONDS)
def _store_fingerprint(_engine) -> str:
    return ui_state.store_version(_engine)


def version() -> str:
    """The store's version as this run sees it: edits made here count at once (the counter),
    edits made elsewhere (the CLI, another dashboard) within STORE_CHECK_SECONDS."""
    if "_version" not in st.session_state:
        st.session_state["_version"] = f"{_edit_counter()['n']}|{_store_fingerprint(engine())}"
    return st.session_state["_version"]


@st.cache_resource(show_spinner=False, max_entries=1)
def _masker(_engine, version: str):
    """The viewer's masker: every name the store knows (speakers, reviewers, users)."""
    return privacy.masker(_known_names(_engine, version))


def _for_viewer(df, _engine, version: str, view: tuple, _who: Actor):
    """A question's answer as `_who` may see it (`privacy.mask_frame` for a viewer)."""
    if not privacy.is_masked_for(_who) or not isinstance(df, pd.DataFrame):
        return df
    people = ()
    if "speaker" in df.columns and len(df):
        cols = [df[c] if c in df.columns else [None] * len(df) for c in ("speaker", "agency")]
        roles = df["speaker_role"] if "speaker_role" in df.columns else ["unknown"] * len(df)
        people = {
            (name, agency if isinstance(agency, str) else None, role)
            for name, agency, role in zip(*cols, roles, strict=True)
            if isinstance(name, str)
        }
    numbers = scope.speaker_numbers(_engine, people)
    return privacy.mask_frame(df, _masker(_engine, version), numbers, lang=view[1])


@st.cache_data(show_spinner=False, max_entries=512)
def _frame(_engine, version: str, view: tuple, _who: Actor, filters_key: str, name: str, args):
    """A page question, answered in SQL by `analysis.store.questions` (only what the page shows
    comes back from the store; no page reads the whole programme), as `_who` may see it."""
    ask = questions.question(name)
    if ask is None:
        raise LookupError(f"no SQL question named {name!r} in analysis.store.questions")
    answer = ask(_engine, Filters.from_key(filters_key), *args)
    return _for_viewer(answer, _engine, version, view, _who)


@st.cache_data(show_spinner=False, max_entries=512)
def _frame_slice(
    _engine,
    version: str,
    view: tuple,
    _who: Actor,
    filters_key: str,
    name: str,
    args: tuple,
    start: int,
    stop: int,
):
    """(total rows, rows start:stop) of a frame: long lists cross the cache one page at a time
    and, when the question pages in SQL (it has a ``<name>_count``), are read a page at a time."""
    count = questions.question(f"{name}_count")
    if count is not None:
        filters = Filters.from_key(filters_key)
        total = _count(_engine, version, filters_key, name, args)
        if stop < start:  # (0, -1): the count alone; (0, 0): an empty page
            return total, None
        rows = questions.question(name)(_engine, filters, *args, start=start, stop=stop)
        return total, _for_viewer(rows, _engine, version, view, _who)
    df = _frame(_engine, version, view, _who, filters_key, name, args)
    return len(df), df.iloc[start:stop]


@st.cache_data(show_spinner=False, max_entries=64)
def _count(_engine, version: str, filters_key: str, name: str, args: tuple) -> int:
    return int(questions.question(f"{name}_count")(_engine, Filters.from_key(filters_key), *args))


@st.cache_data(show_spinner=False, max_entries=8)
def _options(_engine, version: str, view: tuple, _who: Actor) -> dict:
    return scope.filter_options(_engine)


@st.cache_data(show_spinner=False, max_entries=64)
def _session(_engine, version: str, view: tuple, _who: Actor, session_id: int) -> dict | None:
    try:
        session = store.get_session(_engine, session_id)
    except store.SessionNotFound:
        return None
    if not privacy.is_masked_for(_who):
        return session
    return privacy.session_for(_who, session, store.user_names(_engine), lang=view[1])


def _label(df, *identity) -> None:
    """Note what a cached frame is, so caches downstream key on that instead of hashing it."""
    if isinstance(df, pd.DataFrame):
        df.attrs["frame_key"] = repr(identity)
        df.attrs["frame_shape"] = (len(df), tuple(map(str, df.columns)))


def _frame_identity(df: pd.DataFrame):
    """Cache key of a frame: its label when it still fits the frame, else its content hash."""
    if df.attrs.get("frame_shape") == (len(df), tuple(map(str, df.columns))):
        return df.attrs["frame_key"]
    return (
        tuple(map(str, df.columns)),
        str(df.index.name),
        int(pd.util.hash_pandas_object(df.astype(str), index=True).sum()),
    )


PREFETCH_THREADS = 2  # questions asked at once; the database works while Python waits (no GIL)


def prefetch(*questions_asked: tuple, paged: tuple = ()) -> None:
    """Answer a page's questions (each ``(name, *args)``) at once in a few threads, before the
    page draws them one by one with `frame`: the database runs them side by side (SQLite and
    psycopg release the GIL while a query runs), so a first render costs about its longest
    questions, not their sum. Each answer goes into `_frame`'s cache; a failed one is simply
    asked again, and raises, when the page asks for it.

    `paged` holds the page's long lists, each ``(name, args, pager key)``: their row count and
    the page of rows its pager will show (the page number read from the session state, as
    `pager` reads it) go into `paged_frame`'s cache the same way."""
    bind = engine()
    base = (version(), *_role_who(), current_filters().key())
    jobs = [
        functools.partial(_frame, bind, *base, name, tuple(args)) for name, *args in questions_asked
    ]
    for name, args, key in paged:
        where = (bind, *base, name, tuple(args))
        jobs.append(functools.partial(_page_ahead, where, int(st.session_state.get(key, 1) or 1)))

    def ask(job):
        try:
            job()
        except Exception:  # noqa: BLE001 - the page's own call raises it with its context
            pass

    with ThreadPoolExecutor(PREFETCH_THREADS, thread_name_prefix="sangkhro-prefetch") as pool:
        list(pool.map(ask, jobs))


def _page_ahead(where: tuple, number: int, per_page: int = PAGE_ROWS) -> None:
    """`paged_frame`'s two reads of a long list, its count and the rows of page `number` (the
    first page when the list has fewer pages, as `pager` shows), into their cache."""
    total, _ = _frame_slice(*where, 0, -1)
    _, start, stop = page_span(total, number, per_page)
    _frame_slice(*where, start, stop)


def frame(name: str, *args):
    """The SQL question `name` (`analysis.store.questions`) for the sidebar's filters, as the
    signed-in person may see it; cached on (store version, role, filters, args)."""
    where = (version(), *_role_who(), current_filters().key(), name, args)
    df = _frame(engine(), *where)
    _label(df, *where)
    return df


def paged_frame(name: str, *args, key: str, disp: Display, per_page: int = PAGE_ROWS):
    """One page of a long frame, with a page-number input: (rows, total rows)."""
    where = (engine(), version(), *_role_who(), current_filters().key(), name, args)
    total, _ = _frame_slice(*where, 0, -1)
    p = pager(total, key, disp, per_page)
    rows = _frame_slice(*where, p.start, p.stop)[1]
    _label(rows, *where[1:], p.start, p.stop)
    return rows, total


def full_frame_csv(name: str, *args, disp: Display, file_name: str) -> None:
    """A CSV download of a whole frame, made only when the button is pressed."""
    where = (engine(), version(), *_role_who(), current_filters().key(), name, args)
    hide = anonymise()

    def make() -> bytes:
        df = _frame(*where)
        if hide and "speaker" in df.columns:
            df = frames.anonymise_speakers(df, disp.lang)
        return figures.csv_bytes(df, disp)

    _download_button(make, disp, file_name)


def session(session_id: int) -> dict | None:
    """One session as `store.get_session` gives it, masked for a viewer (`privacy.session_for`);
    None if it is gone. Cached per store version and role."""
    return _session(engine(), version(), *_role_who(), int(session_id))


@st.cache_data(show_spinner=False, max_entries=8)
def _review_queue_count(_engine, version: str, programme: str | None) -> int:
    return session_questions.review_queue_count(_engine, programme)


@st.cache_data(show_spinner=False, max_entries=64)
def _review_queue_page(_engine, version: str, programme: str | None, start: int, stop: int):
    return session_questions.review_queue_rows(_engine, programme, start, stop)


@st.cache_data(show_spinner=False, max_entries=8)
def _review_queue_ids(_engine, version: str, programme: str | None) -> list[int]:
    return session_questions.review_queue_ids(_engine, programme)


def review_queue(key: str, disp: Display):
    """One page of the records nobody has reviewed (of the filtered programme): (rows, total);
    the count and the page are read in SQL, never the whole queue."""
    where = (engine(), version(), current_filters().programme)
    total = _review_queue_count(*where)
    p = pager(total, key, disp)
    return _review_queue_page(*where, p.start, p.stop), total


def review_queue_ids() -> list[int]:
    """Every queued record's id (of the filtered programme), in queue order (ids only)."""
    return _review_queue_ids(engine(), version(), current_filters().programme)


def review_counts() -> tuple[int, int]:
    """(records reviewed, all records) of the filtered programme, for the review progress."""
    return _review_counts(engine(), version(), current_filters().programme)


@st.cache_data(show_spinner=False, max_entries=8)
def _review_counts(_engine, version: str, programme: str | None) -> tuple[int, int]:
    return scope.review_counts(_engine, programme)


@st.cache_data(show_spinner=False, max_entries=64)
def _hidden_by_kind(_engine, version: str, filters_key: str) -> dict[str, int]:
    return scope.hidden_by_kind(_engine, Filters.from_key(filters_key))


def hidden_by_kind(filters: Filters) -> dict[str, int]:
    """Kind → texts that pass `filters` but its kind filter hides (`scope.hidden_by_kind`)."""
    return _hidden_by_kind(engine(), version(), filters.key())


@st.cache_data(show_spinner=False, max_entries=4)
def _known_names(_engine, version: str) -> frozenset[str]:
    return frozenset(scope.known_names(_engine, store.user_names(_engine)))


def known_names() -> frozenset[str]:
    """Every name the store knows (speakers, reviewers, users): what a viewer never sees."""
    return _known_names(engine(), version())


# Sidebar state lives in two places: the widgets (whose state Streamlit drops on a page switch,
# since every page renders its own copy) and SAVED, a plain session-state dict that outlives page
# switches. Each run restores the widgets from SAVED when the page changed, and saves them after.
SAVED = "_sidebar"
DISPLAY_KEYS = {"lang_en": ("lang", "en"), "era_ce": ("era", "ce"), "anonymise": ("anon", "1")}
FILTER_KEYS = (
    "f_programme",
    "f_date_from",
    "f_date_to",
    "f_fiscal_years",
    "f_provinces",
    "f_agencies",
    "f_kinds",
    "f_themes",
)
SIDEBAR_KEYS = (*DISPLAY_KEYS, *FILTER_KEYS)
ACTOR = "_actor"


def _setting(key: str):
    """A sidebar value now: the widget's, else the saved one, else what the URL says."""
    if key in st.session_state:
        return st.session_state[key]
    saved = st.session_state.get(SAVED) or {}
    if key in saved:
        return saved[key]
    param, on = DISPLAY_KEYS[key]
    return st.query_params.get(param) == on


def lang() -> str:
    return "en" if _setting("lang_en") else "th"


def lang_for_navigation() -> str:
    """The language for the page titles in app.py's navigation (before any widget runs)."""
    return lang()


def display() -> Display:
    return Display(lang=lang(), era="ce" if _setting("era_ce") else "be")


def anonymise() -> bool:
    return bool(_setting("anonymise"))


def actor() -> Actor:
    """The signed-in person of this run (set by `page()`): every analysis call that changes or
    exports something is made as them, and the store checks their role again."""
    return st.session_state[ACTOR]


def _role_who() -> tuple[tuple[str, str], Actor]:
    """((role, language), actor): cached data is keyed on what the person may see in which
    language (a viewer's speakers are role + agency, worded in it); the actor passed unhashed."""
    who = actor()
    return (str(who.role), lang()), who


def may(role: Role) -> bool:
    """Whether this person's controls include those that need `role`."""
    return _auth.may(actor(), role)


# ----------------------------------------------------------------------------- filters


def current_filters() -> Filters:
    """The filters in force (set by the sidebar; from the URL before it first runs)."""
    if "filters" not in st.session_state:
        params = {name: st.query_params.get_all(name) for name in st.query_params}
        st.session_state["filters"] = Filters.from_query_params(params)
    return st.session_state["filters"]


def _widget_values(f: Filters, options: dict) -> dict:
    """Filter widget values for a Filters value, dropping values the data does not offer."""

    def keep(values, allowed):
        allowed = set(allowed)
        return [v for v in values if v in allowed]

    return {
        "f_programme": f.programme if f.programme in options["programmes"] else None,
        "f_date_from": f.date_from,
        "f_date_to": f.date_to,
        "f_fiscal_years": keep(f.fiscal_years, options["fiscal_years"]),
        "f_provinces": keep(f.provinces, options["provinces"]),
        "f_agencies": keep(f.agencies, options["agencies"]),
        "f_kinds": list(f.kinds),
        "f_themes": keep(f.themes, options["themes"]),
    }


def _filters_from_widgets() -> Filters:
    s = st.session_state
    return Filters(
        programme=s.get("f_programme"),
        date_from=s.get("f_date_from"),
        date_to=s.get("f_date_to"),
        fiscal_years=tuple(s.get("f_fiscal_years") or ()),
        provinces=tuple(s.get("f_provinces") or ()),
        agencies=tuple(s.get("f_agencies") or ()),
        kinds=tuple(s.get("f_kinds") or ()),
        themes=tuple(s.get("f_themes") or ()),
    )


def _restore_sidebar(page_key: str, options: dict) -> None:
    """Give the sidebar widgets their values before they render: from the URL on the first run
    of a browser session, from the saved values after a page switch."""
    saved = st.session_state.get(SAVED)
    if saved is None:
        saved = {key: _setting(key) for key in DISPLAY_KEYS}
        saved.update(_widget_values(current_filters(), options))
    else:
        saved = {**saved, **_widget_values(_filters_from_saved(saved), options)}
    page_changed = st.session_state.get("_sidebar_page") != page_key
    for key, value in saved.items():
        if page_changed or key not in st.session_state:
            st.session_state[key] = value
    st.session_state["_sidebar_page"] = page_key


def _relabel_after_switch() -> None:
    """After the language or era switch, make every choice widget show its chosen options in the
    new words at once (filter chips, selectboxes, on every page).

    The browser keeps a selectbox's or multiselect's choice as the label it was shown with, and
    Streamlit sends the choice again only when the value changes: without this the chips stayed
    Thai after switching to English (and a later click dropped them, as labels no longer found).
    Giving each such widget its own value again makes Streamlit send it with the new labels.
    """
    shown = (lang(), "ce" if _setting("era_ce") else "be")
    before = st.session_state.get("_shown_as")
    st.session_state["_shown_as"] = shown
    if before is None or before == shown:
        return
    for key in _option_widget_keys():
        st.session_state[key] = st.session_state[key]


def _option_widget_keys() -> list[str]:
    """The keys of the widgets in this browser session whose choice is shown through option
    labels (selectbox, multiselect, radio, select slider), from what Streamlit knows of each
    keyed widget it has registered."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    state = getattr(getattr(ctx, "session_state", None), "_state", None)
    if state is None:
        return []
    keys = []
    for key in list(st.session_state.keys()):
        key = str(key)
        if key.startswith("_"):
            continue
        try:
            meta = state.get_widget_metadata(state.get_widget_id_from_key(key))
        except (AttributeError, KeyError):
            continue
        serde = getattr(getattr(meta, "deserializer", None), "__self__", None)
        # segmented controls and pills resend a choice whose label changed by themselves
        if hasattr(serde, "formatted_options") and "button_group" not in type(serde).__module__:
            keys.append(key)
    return keys


def _filters_from_saved(saved: dict) -> Filters:
    return Filters(
        programme=saved.get("f_programme"),
        date_from=saved.get("f_date_from"),
        date_to=saved.get("f_date_to"),
        fiscal_years=tuple(saved.get("f_fiscal_years") or ()),
        provinces=tuple(saved.get("f_provinces") or ()),
        agencies=tuple(saved.get("f_agencies") or ()),
        kinds=tuple(saved.get("f_kinds") or ()),
        themes=tuple(saved.get("f_themes") or ()),
    )


def _reset_filters() -> None:
    defaults = _widget_values(
        Filters(),
        {"programmes": [], "fiscal_years": [], "provinces": [], "agencies": [], "themes": []},
    )
    st.session_state.update(defaults)


def _sync_url(f: Filters) -> None:
    """Write the filters and display settings into the URL, leaving page parameters alone."""
    wanted: dict[str, list[str]] = dict(f.to_query_params())
    for key, (param, on) in DISPLAY_KEYS.items():
        if _setting(key):
            wanted[param] = [on]
    managed = {
        "programme",
        "from",
        "to",
        "fy",
        "province",
        "agency",
        "kind",
        "theme",
        "lang",
        "era",
        "anon",
    }
    for name in managed:  # set every run: a page switch drops them from the URL
        values = wanted.get(name)
        if values:
            st.query_params[name] = values
        elif name in st.query_params:
            del st.query_params[name]


def sidebar(page_key: str) -> tuple[Display, Filters]:
    """Render the shared sidebar; returns how to display and the filters now in force."""
    options = _options(engine(), version(), *_role_who())
    _restore_sidebar(page_key, options)
    _relabel_after_switch()
    sb = st.sidebar
    c1, c2 = sb.columns(2)
    c1.toggle(t("english", lang()), key="lang_en")
    c2.toggle(t("gregorian_years", lang()), key="era_ce")
    disp = display()
    sb.toggle(disp.t("anonymise"), key="anonymise", help=disp.t("anonymise_help"))

    sb.subheader(disp.t("filters"))
    sb.selectbox(
        disp.t("filter_programme"),
        [None, *options["programmes"]],
        key="f_programme",
        format_func=lambda p: disp.t("filter_all_programmes") if p is None else p,
        placeholder=disp.t("filter_all_programmes"),
    )
    _month_choosers(sb, options, disp)
    choose = disp.t("choose")
    sb.multiselect(
        disp.t("filter_fiscal_year"),
        options["fiscal_years"],
        key="f_fiscal_years",
        format_func=disp.fiscal_year,
        placeholder=choose,
    )
    sb.multiselect(
        disp.t("filter_province"), options["provinces"], key="f_provinces", placeholder=choose
    )
    sb.multiselect(
        disp.t("filter_agency"), options["agencies"], key="f_agencies", placeholder=choose
    )
    sb.multiselect(
        disp.t("filter_kind"),
        options["kinds"],
        key="f_kinds",
        format_func=disp.kind,
        placeholder=choose,
    )
    sb.multiselect(
        disp.t("filter_theme"),
        options["themes"],
        key="f_themes",
        format_func=lambda th: figures.theme_label(th, disp),
        placeholder=choose,
    )
    sb.button(disp.t("filter_reset"), on_click=_reset_filters, width="stretch")
    f = _filters_from_widgets()
    st.session_state["filters"] = f
    _sync_url(f)
    sb.caption(disp.t("filter_note"))
    _auth.sign_in_box(actor(), disp.lang)
    st.session_state[SAVED] = {key: st.session_state.get(key) for key in SIDEBAR_KEYS}
    return disp, f


def _month_choosers(sb, options: dict, disp: Display) -> None:
    """The date filters as two Buddhist-era month choosers ("พ.ย. 2565"): from a month's first
    day, until a month's last day; a day from a link or saved view stays offered as that day."""
    lo, hi = options["date_min"], options["date_max"]
    span = f"{disp.month(lo)} – {disp.month(hi)}" if lo else None
    d1, d2 = sb.columns(2)
    for col, key, label, end in (
        (d1, "f_date_from", "filter_date_from", False),
        (d2, "f_date_to", "filter_date_to", True),
    ):
        col.selectbox(
            disp.t(label),
            [None, *ui_state.month_choices(lo, hi, end, st.session_state.get(key))],
            key=key,
            format_func=functools.partial(_bound_label, disp=disp, end=end),
            placeholder=disp.t("filter_any_month"),
            help=disp.t("filter_dates_help", span=span) if span else None,
        )


def typed_date(col, label: str, key: str, disp: Display) -> date | None:
    """A date typed as the person reads dates (17 พ.ย. 2565, 17/11/2565, 17 Nov 2022), not a
    Gregorian calendar; what cannot be read is said under the box and counts as no date."""
    typed = col.text_input(label, key=key, help=disp.t("field_date_help"), placeholder="17/11/2565")
    try:
        return parse_date(typed)
    except ValueError:
        col.error(disp.t("invalid_date", value=md_escape(typed)))
        return None


def _bound_label(d: date | None, disp: Display, end: bool) -> str:
    if d is None:
        return disp.t("filter_any_month")
    return disp.month(d) if ui_state.is_month_bound(d, end) else disp.date(d)


def _leave_pages_directory_mode() -> None:
    """Make sure app.py's st.navigation is in charge, even on the first run of a fresh server.

    Streamlit decides once per process, before any script runs, that an app with a folder named
    ``pages/`` beside its entry point is an old-style multipage app; st.navigation turns that off
    when app.py runs. If the very first request of a process is a deep link (``/themes``), the
    page file is run directly instead of app.py, with the old automatic page list. Detect that,
    switch the old mode off and rerun, so app.py routes as it does for every later request.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def page(
    title_key: str, intro_key: str | None = None, heading: bool = True
) -> tuple[Display, Filters]:
    """Start a page: sidebar, title (and an intro line; neither without `heading`).
    Returns (display, filters)."""
    _leave_pages_directory_mode()
    st.session_state[ACTOR] = _auth.actor()  # stops the page when nobody may see data
    st.session_state.pop("_version", None)  # read the store's version afresh once per run
    notices = _url_notices()
    disp, f = sidebar(title_key)
    if heading:
        st.title(disp.t(title_key))
    if heading and intro_key:
        st.caption(disp.t(intro_key))
    for notice in notices:
        st.info(md_escape(notice), icon=":material/link_off:")
    return disp, f


def _url_notices() -> list[str]:
    """Notices for the URL values that cannot be used; bad page parameters are dropped from the
    URL (the sidebar drops bad filter values itself)."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    bad = ui_state.bad_url_values(params)
    for name in ("session", "slide"):
        if name in bad:
            del st.query_params[name]
    return ui_state.url_notices(params)


# ----------------------------------------------------------------------------- rendering


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs={pd.DataFrame: _frame_identity})
def _display_table(df: pd.DataFrame, lang: str, era: str, hide_names: bool) -> pd.DataFrame:
    if hide_names and "speaker" in df.columns:
        df = frames.anonymise_speakers(df, lang)
    return figures.display_table(df, Display(lang, era))


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={pd.DataFrame: _frame_identity})
def _figure(builder: str, data, lang: str, era: str, big: bool):
    """A built figure (Plotly builds are slow; st.plotly_chart does not change the figure)."""
    fig = getattr(figures, builder)(data, Display(lang, era))
    return figures.for_projector(fig) if big else fig


def table(df: pd.DataFrame, disp: Display, key: str | None = None, height="auto", **kwargs):
    """A frame as a plain dataframe: labels, BE dates, speakers anonymised when switched on, long
    texts wrapped onto taller rows."""
    shown = _display_table(df, disp.lang, disp.era, anonymise())
    kwargs.setdefault("row_height", figures.table_row_height(shown))  # long texts wrap, not cut
    return st.dataframe(shown, hide_index=True, key=key, height=height, **kwargs)


def _download_button(make, disp: Display, name: str) -> None:
    """A CSV download whose bytes `make()` builds when the button is pressed; the export is then
    audited under the signed-in person."""
    who, bind = actor(), engine()

    def data() -> bytes:
        out = make()
        store.record_export(bind, who, "table", format="csv", file_name=f"{name}.csv")
        return out

    st.download_button(
        disp.t("download_csv"),
        data,
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        icon=":material/download:",
        on_click="ignore",
    )


def download(df: pd.DataFrame, disp: Display, name: str) -> None:
    """A CSV download of a frame as its plain table shows it, made when the button is pressed."""
    hide = anonymise()
    _download_button(
        lambda: figures.csv_bytes(frames.anonymise_speakers(df, disp.lang) if hide else df, disp),
        disp,
        name,
    )


def chart(
    builder,
    data,
    disp: Display,
    name: str,
    on_select=None,
    big: bool = False,
    table_frame: pd.DataFrame | None = None,
):
    """`builder(data, disp)` (a function of analysis.figures) drawn, then its plain-table view
    (expander) and CSV download of `table_frame` (default: `data`)."""
    fig = _figure(builder.__name__, data, disp.lang, disp.era, big)
    kwargs = {}
    if on_select is not None:
        kwargs = {"on_select": on_select, "selection_mode": "points", "key": f"chart_{name}"}
    event = st.plotly_chart(fig, theme=None, config={"displaylogo": False}, **kwargs)
    shown = data if table_frame is None else table_frame
    with st.expander(disp.t("table_view")):
        table(shown, disp)
        download(shown, disp, name)
    return event


def highlighted(text: str, marks: dict, disp: Display) -> None:
    """Untrusted text with its found spans coloured, as escaped markdown (no HTML)."""
    shown = text[:MAX_HIGHLIGHT_CHARS]
    legend = " ".join(
        f":{HIGHLIGHT_COLOURS[label]}-background[{disp.t('legend_' + label)}]"
        for label in marks
        if marks[label] and label in HIGHLIGHT_COLOURS
    )
    st.caption(legend)
    lines: list[str] = []
    current = ""
    for segment, label in frames.highlight_spans(shown, marks):
        pieces = segment.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                lines.append(current)
                current = ""
            if not piece:
                continue
            body = md_escape(piece)
            current += f":{HIGHLIGHT_COLOURS[label]}-background[{body}]" if label else body
    lines.append(current)
    st.markdown("  \n".join(lines))
    if len(text) > len(shown):
        st.caption(f"… ({len(text) - len(shown):,} …)")


@dataclass
class Pager:
    page: int
    pages: int
    start: int
    stop: int


def page_span(n_rows: int, number: int, per_page: int = PAGE_ROWS) -> tuple[int, int, int]:
    """(pages, start, stop) of page `number` of a list of `n_rows` (page 1 when `number` is
    past the last page): `pager` shows it, `prefetch` reads it ahead."""
    pages = max(1, -(-n_rows // per_page))
    start = ((number if 1 <= number <= pages else 1) - 1) * per_page
    return pages, start, min(n_rows, start + per_page)


def pager(n_rows: int, key: str, disp: Display, per_page: int = PAGE_ROWS) -> Pager:
    """A page-number input for long tables; returns the row range to show."""
    pages, _, _ = page_span(n_rows, 1, per_page)
    if st.session_state.get(key, 1) > pages:
        st.session_state[key] = 1
    number = 1
    if pages > 1:
        number = st.number_input(
            disp.t("page_number"), min_value=1, max_value=pages, step=1, key=key, width=160
        )
        st.caption(disp.t("page_of", page=number, pages=pages))
    _, start, stop = page_span(n_rows, int(number), per_page)
    return Pager(int(number), pages, start, stop)


def flash(message: str | None = None, kind: str = "success", place: str = "top") -> None:
    """Show a message once after a rerun (set it with a message, show it without one).

    `place` names where it shows: a page that wants its message next to the button the person
    pressed sets and shows it with its own place there (the top of the page is the default)."""
    if message is not None:
        st.session_state["_flash"] = (kind, message, place)
        return
    pending = st.session_state.get("_flash")
    if pending and pending[2] == place:
        del st.session_state["_flash"]
        getattr(st, pending[0])(pending[1])
