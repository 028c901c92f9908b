"""นำเสนอ Present: projector mode. One slide fills the screen (no sidebar, no Streamlit header or
toolbar): the programme's key numbers with their context, one chart per slide, then quotes with
the speaker's role + agency and the session. ←/→ and PageUp/PageDown (presentation clickers)
change slides, a list jumps to any slide, the filters are the dashboard's (the sidebar, opened
from the bar). Names are masked on the projector unless an editor or admin chooses to show them;
a viewer's data is masked already (analysis/privacy.py). No table under a chart; the export
panel waits behind a small button in the bar, off the slide (its files follow the sidebar's
anonymise switch, as on every page, and say so to an editor).

The layout is static CSS and the keyboard listener static JavaScript written here (no session
text inside); slide sizes use the screen's height (vh), so a slide fits 1280×720 as well as
1920×1080 (tests/test_present_browser.py measures both).
"""

import streamlit as st

from analysis import figures, privacy, slides, ui_state
from analysis.auth import Role
from analysis.i18n import Display, md_escape
from pages import _common as ui
from pages._exports import export_panel

BAR_REM = 3.6  # the control bar under the slide

CSS = f"""
<style>
[data-testid="stHeader"] {{ visibility: hidden; height: 0; }}
body:not(.sangkhro-filters) [data-testid="stSidebar"],
body:not(.sangkhro-filters) [data-testid="stSidebarCollapsedControl"] {{
  display: none !important;
}}
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{
  display: none !important;
}}
[data-testid="stMainBlockContainer"] {{
  padding: 2vh 3vw 0 3vw !important; max-width: none !important;
}}
[data-testid="stMain"] {{ overflow: hidden; }}
[data-testid="stMain"]:focus, [data-testid="stMain"]:focus-visible {{ outline: none !important; }}
[data-testid="stMain"]::before {{ box-shadow: none !important; }}  /* its focus ring on slides */
.st-key-present_slide {{
  height: calc(100vh - 2vh - {BAR_REM}rem - 1.2rem) !important; overflow: hidden !important;
  flex: 0 0 auto !important; flex-wrap: nowrap !important;
}}
.st-key-present_slide h1 {{
  font-size: 5.6vh; line-height: 1.25; padding: 0 0 1vh 0; font-weight: 700; color: #1f2a30;
}}
.st-key-present_slide > div:has(> .st-key-present_body) {{
  flex: 1 1 0 !important; min-height: 0 !important; overflow: hidden !important;
}}
.st-key-present_body {{ height: 100% !important; flex: 1 1 auto !important; overflow: hidden; }}
.st-key-present_body:has(.st-key-present_note) {{ justify-content: space-evenly !important; }}
.st-key-present_body:has(.st-key-present_quote) {{
  justify-content: center !important; gap: 2.5vh !important; padding-bottom: 4vh;
}}
.stElementContainer:has(> [data-testid="stHtml"]) {{ display: none !important; }}
.st-key-present_body [data-testid="stPlotlyChart"] {{ height: 100% !important; }}
.st-key-present_bar {{
  height: {BAR_REM}rem !important; flex: 0 0 auto !important; flex-wrap: nowrap !important;
  border-top: 1px solid #e6ecef; padding-top: 0.4rem;
}}
.st-key-present_bar [data-testid="stCaptionContainer"] {{ white-space: nowrap; }}
[class*="st-key-present_value_"] p {{
  font-size: 11vh; line-height: 1.1; font-weight: 700; color: {figures.ACCENT}; margin: 0;
}}
[class*="st-key-present_label_"] p {{
  font-size: 4vh; line-height: 1.3; font-weight: 600; margin: 0;
}}
[class*="st-key-present_context_"] p {{
  font-size: 2.8vh; line-height: 1.35; color: #4a5a62; margin: 0;
}}
.st-key-present_note p {{ font-size: 2.4vh; color: #5d6d75; margin: 0; }}
.st-key-present_quote p {{ line-height: 1.45; margin: 0; color: #1f2a30; }}
.st-key-present_who p {{ font-size: 3.6vh; font-weight: 600; color: {figures.ACCENT}; margin: 0; }}
.st-key-present_where p {{ font-size: 2.6vh; color: #5d6d75; margin: 0; }}
</style>
"""

# ←/→ and PageUp/PageDown change the slide in the URL; the Filters button shows Streamlit's
# own sidebar (hidden on this page by CSS only, so the other pages keep it as the user left it).
KEYS_JS = """
<script>
(() => {
  const doc = window.document;
  const on = () => doc.querySelector(".st-key-present_slide") !== null;
  // Each key asks for an absolute slide: counted from the one shown, or from the one asked for
  // a moment ago while the page is still catching up, so quick presses add up instead of merging
  // into one button click. The URL changes and a popstate event makes Streamlit rerun the page
  // with it (as the browser's Back button does).
  let asked = null, askedAt = 0;
  const go = (step, end) => {  // end: "first" or "last" (Home, End)
    const deck = doc.querySelector(".sangkhro-deck");
    if (!deck) return false;
    const shown = Number(deck.dataset.slide), n = Number(deck.dataset.n);
    const catchingUp = asked !== null && asked !== shown && Date.now() - askedAt < 2000;
    const from = catchingUp ? asked : shown;
    const wanted = end === "first" ? 1 : end === "last" ? n : from + step;
    const to = Math.min(Math.max(wanted, 1), n);
    if (to === from) return true;
    asked = to;
    askedAt = Date.now();
    const url = new URL(window.location.href);
    url.searchParams.set("slide", String(to));
    window.history.pushState(null, "", url);
    window.dispatchEvent(new PopStateEvent("popstate"));
    return true;
  };
  doc.body.classList.remove("sangkhro-filters");  // each visit starts without the sidebar
  // Chart type is sized for the screen's height: tell the page (?screen=) when it is unknown or
  // the window changed, as a rerun with the URL (plotly sizes type in pixels, not vh).
  const tellScreen = () => {
    if (!on()) return;
    const url = new URL(window.location.href), h = window.innerHeight;
    if (Math.abs(Number(url.searchParams.get("screen") || 0) - h) <= 40) return;
    url.searchParams.set("screen", String(h));
    window.history.replaceState(null, "", url);
    window.dispatchEvent(new PopStateEvent("popstate"));
  };
  tellScreen();
  if (window.sangkhroPresentKeys) return;
  window.sangkhroPresentKeys = true;
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(tellScreen, 400);
  });
  doc.addEventListener("keydown", (e) => {
    if (!on() || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    const inList = t && t.closest && t.closest(".st-key-slide_jump");
    if (inList && doc.querySelector('[role="listbox"]')) return;  // the list is open
    const typing = t && (t.isContentEditable || t.tagName === "TEXTAREA"
      || (t.tagName === "INPUT" && !["checkbox", "radio", "button"].includes(t.type)));
    if (typing && !inList) return;
    const next = ["ArrowRight", "PageDown"].includes(e.key);
    const prev = ["ArrowLeft", "PageUp"].includes(e.key);
    const end = { Home: "first", End: "last" }[e.key];
    if ((next && go(1)) || (prev && go(-1)) || (end && go(0, end))) e.preventDefault();
  }, true);
  doc.addEventListener("click", (e) => {
    if (!on() || !e.target.closest(".st-key-present_filters")) return;
    const shown = doc.body.classList.toggle("sangkhro-filters");
    const open = doc.querySelector('[data-testid="stExpandSidebarButton"]');
    const bar = doc.querySelector('[data-testid="stSidebar"]');
    if (shown && open && bar && bar.getAttribute("data-collapsed") === "true") open.click();
  }, true);
})();
</script>
"""


disp, filters = ui.page("page_present", heading=False)
quotes = ui.frame("presentation_quotes")
deck = slides.deck(len(quotes))
n = len(deck)


def _slide() -> int:
    return min(ui_state.url_int(st.query_params.get("slide")) or 1, n)


def _go(step: int) -> None:
    st.query_params["slide"] = str(min(max(_slide() + step, 1), n))


def _jump() -> None:
    st.query_params["slide"] = str(st.session_state["slide_jump"])


def _type_scale() -> float:
    """How much bigger than for a 720-pixel-high screen chart type may be: from the screen height
    the browser reports (?screen=), in quarter steps; 1 until it has."""
    screen = ui_state.url_int(st.query_params.get("screen"), 200, 10_000)
    return min(max(round(4 * screen / 720) / 4, 1.0), 3.0) if screen else 1.0


@st.cache_resource(show_spinner=False, max_entries=64)
def _chart(
    builder: str, frame: str, version: str, masked: bool, where: str, lang: str, era: str, scale
):
    """A chart slide's figure, built once per store version, view, filters (`where`) and language
    (frames are cached already, Plotly builds are not; st.plotly_chart leaves it unchanged)."""
    built = getattr(figures, builder)(ui.frame(frame), Display(lang, era))
    return figures.for_slide(built, scale)


number = _slide()
st.query_params["slide"] = str(number)  # a link opens the same slide
st.session_state["slide_jump"] = number
slide = deck[number - 1]
may_show = ui.may(Role.EDITOR) and not ui.anonymise()  # viewers' data has no names anyway
show_names = may_show and bool(st.session_state.get("present_names"))

st.html(CSS)
with st.container(key="present_slide", gap="small"):
    st.title(md_escape(slides.slide_title(slide, disp, quotes)), anchor=False)
    with st.container(key="present_body"):
        if slide.kind == "numbers":
            m = ui.frame("overview_metrics")
            numbers = slides.key_numbers(
                m, ui.frame("sessions_per_month"), ui.frame("sessions_per_province"), disp
            )
            for first in (0, 2):
                for i, col in enumerate(st.columns(2, gap="large"), start=first):
                    k = numbers[i]
                    with col:
                        st.container(key=f"present_value_{i}").markdown(md_escape(k.value))
                        st.container(key=f"present_label_{i}").markdown(md_escape(k.label))
                        st.container(key=f"present_context_{i}").markdown(md_escape(k.context))
            # the texts the kind filter leaves out are said, as on the other pages
            hidden = sum(ui.hidden_by_kind(filters).values())
            note = slides.key_numbers_note(dict(m, others=m["others"] + hidden), disp, filters)
            st.container(key="present_note").markdown(md_escape(note))
        elif slide.kind == "chart":
            masked = privacy.is_masked_for(ui.actor())
            view = (ui.version(), masked, filters.key(), disp.lang, disp.era, _type_scale())
            st.plotly_chart(
                _chart(slide.builder, slide.frame, *view),
                theme=None,
                height="stretch",
                config={"displaylogo": False, "responsive": True},
                key=f"slide_chart_{slide.frame}",
            )
        else:
            names = ui.known_names() if may_show and not show_names else frozenset()
            q = slides.quote_view(quotes.iloc[slide.quote].to_dict(), disp, show_names, names)
            size = slides.quote_size(q.text)
            st.html(f"<style>.st-key-present_quote p {{ font-size: {size:.1f}vh; }}</style>")
            st.container(key="present_quote").markdown(md_escape(f"“{q.text}”"))
            st.container(key="present_who").markdown(md_escape(f"— {q.who}"))
            st.container(key="present_where").markdown(md_escape(q.session))

with st.container(key="present_bar", horizontal=True, vertical_alignment="center", gap="small"):
    active = len(filters.to_query_params())
    st.button(
        disp.t("present_filters") + (f" ({active})" if active else ""),
        key="present_filters",
        icon=":material/filter_list:",
        help=disp.t("present_filters_help"),
    )
    st.button(
        "◀",
        disabled=number <= 1,
        on_click=_go,
        args=(-1,),
        key="slide_prev",
        help=disp.t("slide_prev"),
    )
    st.selectbox(
        disp.t("slide_jump"),
        range(1, n + 1),
        key="slide_jump",
        on_change=_jump,
        format_func=lambda i: disp.t(
            "slide_item", i=i, title=slides.slide_title(deck[i - 1], disp, quotes)
        ),
        label_visibility="collapsed",
        help=disp.t("present_keys"),
        width=340,
    )
    st.button(
        "▶",
        disabled=number >= n,
        on_click=_go,
        args=(1,),
        key="slide_next",
        help=disp.t("slide_next"),
    )
    st.caption(disp.t("slide_of", i=number, n=n))
    if may_show:
        st.toggle(
            disp.t("present_show_names"),
            key="present_names",
            help=disp.t("present_show_names_help"),
        )
    with st.popover(disp.t("present_export"), icon=":material/download:"):
        if may_show:  # the take-away files mask names as the slides do
            st.caption(disp.t("present_export_names"))
        export_panel(disp, "present", anonymise=not show_names)
st.html(f'<div class="sangkhro-deck" data-slide="{number}" data-n="{n}"></div>')
st.html(KEYS_JS, unsafe_allow_javascript=True)
