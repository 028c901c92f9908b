"""AppTest: every page run from app.py against the real store, asserted on what it shows.

The store is the bundled sample as a first run leaves it: imported through the real import path,
then reviewed and followed up from data/sample/reviews.yaml (see `build_sample_store` in
conftest.py); expected numbers come from tests/sample_facts.json, counted by hand, never from the
functions under test. Caches are cleared between tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.i18n import t
from tests.conftest import sample_facts

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = {
    "overview": "pages/overview.py",
    "sessions": "pages/sessions.py",
    "agencies": "pages/agencies.py",
    "themes": "pages/themes.py",
    "recommendations": "pages/recommendations.py",
    "import": "pages/import_review.py",
    "present": "pages/present.py",
}
CHARTS = {"overview": 3, "agencies": 6, "themes": 6, "recommendations": 1}  # present: numbers
FACTS = sample_facts()

pytestmark = pytest.mark.usefixtures("dashboard_store", "fresh_caches")


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page])
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def url(at: AppTest, key: str) -> list[str]:
    """The values of one URL query parameter as a list."""
    value = at.query_params.get(key)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[0]


def frame_with(at: AppTest, column: str):
    """The first dataframe shown with this column header."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a {column!r} column")


def fiscal_year(iso: str) -> int:
    d = date.fromisoformat(iso)
    return d.year + 543 + (1 if d.month >= 10 else 0)


def record_facts() -> dict:
    return {name: f for name, f in FACTS["files"].items() if f["kind"] != "other"}


# ----------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_without_error_and_draws_its_charts(page):
    at = open_page(page)
    assert not at.error, [e.value for e in at.error]
    assert len(at.get("plotly_chart")) == CHARTS.get(page, 0)
    assert at.sidebar.toggle(key="lang_en") is not None


# ----------------------------------------------------------------------------- overview


def test_overview_metrics_are_the_hand_counted_facts():
    at = open_page("overview")
    assert metric(at, "เวที") == str(FACTS["sessions"])
    assert metric(at, "ผู้เข้าร่วม (ตามที่ระบุ)") == f"{FACTS['participants_total']:,}"
    assert metric(at, "ตรวจทานแล้ว") == f"{FACTS['review']['reviewed_percent']}%"  # reviews.yaml
    provinces = frame_with(at, "จังหวัด")
    shown = dict(zip(provinces["จังหวัด"], provinces["จำนวนเวที"], strict=True))
    assert shown == FACTS["provinces"]
    # the sample holds 0-1 sessions in most months: the time chart is binned by fiscal quarter
    # (issue 12), whose first quarter (Oct-Dec) lies in the calendar year before the fiscal year
    quarters = frame_with(at, "ไตรมาส")
    by_year: dict[str, int] = {}
    for label, q, n in zip(
        quarters["ปีงบประมาณ"], quarters["ไตรมาส"], quarters["จำนวนเวที"], strict=True
    ):
        year = str(int(label.split()[-1]) - (1 if int(q) == 1 else 0))
        by_year[year] = by_year.get(year, 0) + int(n)
    assert {y: n for y, n in by_year.items() if n} == FACTS["sessions_by_be_year"]
    fy = next(
        df.value
        for df in at.dataframe
        if "ปีงบประมาณ" in df.value.columns and "ไตรมาส" not in df.value.columns
    )
    expected: dict[str, int] = {}
    for f in record_facts().values():
        key = f"ปีงบฯ {fiscal_year(f['session_date'])}"
        expected[key] = expected.get(key, 0) + 1
    assert dict(zip(fy["ปีงบประมาณ"], fy["จำนวนเวที"], strict=True)) == expected
    latest = frame_with(at, "ชื่อเวที")
    assert len(latest) == 10
    assert latest["วันที่จัด"].iloc[0] == "18 ก.ย. 2568"  # 44_nan-network-handover, 2025-09-18


def test_filters_cut_every_number_and_live_in_the_url():
    at = open_page("overview")
    at.sidebar.multiselect(key="f_provinces").set_value(["น่าน"])
    rerun(at)
    assert metric(at, "เวที") == str(FACTS["provinces"]["น่าน"])
    assert url(at, "province") == ["น่าน"]
    at.sidebar.multiselect(key="f_provinces").set_value([])
    at.sidebar.multiselect(key="f_fiscal_years").set_value([2567])
    rerun(at)
    n_2567 = sum(1 for f in record_facts().values() if fiscal_year(f["session_date"]) == 2567)
    assert metric(at, "เวที") == str(n_2567)
    assert url(at, "fy") == ["2567"]
    at.sidebar.multiselect(key="f_fiscal_years").set_value([])
    at.sidebar.multiselect(key="f_kinds").set_value(["transcript"])
    rerun(at)
    assert metric(at, "เวที") == str(FACTS["transcripts"])
    at.sidebar.multiselect(key="f_kinds").set_value(["transcript", "summary", "other"])
    rerun(at)
    assert metric(at, "เวที") == str(FACTS["sessions"])  # texts of kind other are never counted
    assert f": {FACTS['other']}" in " ".join(c.value for c in at.caption)


def test_a_link_reproduces_the_view():
    at = open_page("overview", province="สุรินทร์", fy="2568")
    n = sum(
        1
        for f in record_facts().values()
        if f["province"] == "สุรินทร์" and fiscal_year(f["session_date"]) == 2568
    )
    assert metric(at, "เวที") == str(n)
    assert at.sidebar.multiselect(key="f_provinces").value == ["สุรินทร์"]
    at.switch_page(PAGES["agencies"])
    rerun(at)  # the filters follow to the next page
    assert at.sidebar.multiselect(key="f_provinces").value == ["สุรินทร์"]
    assert url(at, "province") == ["สุรินทร์"]


def test_english_switch_and_gregorian_years():
    at = open_page("overview", lang="en")
    assert metric(at, "Sessions") == str(FACTS["sessions"])
    at.sidebar.toggle(key="era_ce").set_value(True)
    rerun(at)
    fy = frame_with(at, "Fiscal year")
    assert set(fy["Fiscal year"]) == {"FY 2023", "FY 2024", "FY 2025"}
    assert url(at, "era") == ["ce"]


# ----------------------------------------------------------------------------- sessions


def test_sessions_list_and_thai_word_search():
    at = open_page("sessions")
    assert len(frame_with(at, "รหัสเวที")) == FACTS["sessions"]
    at.text_input(key="search").set_value("ชาวบ้านทำบัญชี")  # segmented into words
    rerun(at)
    found = frame_with(at, "รหัสเวที")
    assert 0 < len(found) < FACTS["sessions"]
    at.text_input(key="search").set_value("คำที่ไม่มีในบันทึกใดเลยแน่นอน")
    rerun(at)
    assert len(frame_with(at, "รหัสเวที")) == 0


def test_a_session_page_shows_fields_conversation_and_raw_text(dashboard_store):
    from analysis import store

    engine = store.get_engine(dashboard_store)
    ids = {r["source_name"]: r["session_id"] for r in store.review_queue(engine)}
    sid = ids["03_km-circle-thasala.txt"]
    stored = store.get_session(engine, sid)
    at = open_page("sessions", session=str(sid))
    fields = frame_with(at, "ช่องข้อมูล").set_index("ช่องข้อมูล")["ค่า"]
    assert fields["วันที่จัด"] == "17 พ.ย. 2565"  # facts: 2022-11-17
    assert fields["ผู้เข้าร่วม"] == "22"
    assert fields["จังหวัด"] == "นครศรีธรรมราช"
    assert len(at.chat_message) == len(stored["record"]["turns"]) > 0
    assert any(stored["raw_text"][:40] in c.value for c in at.code)
    assert any(b.label == "ดาวน์โหลดข้อความต้นฉบับ" for b in at.get("download_button"))
    at.sidebar.toggle(key="anonymise").set_value(True)
    rerun(at)
    names = " ".join(c.value for c in at.caption)
    assert stored["record"]["turns"][1]["speaker"] not in names


# ----------------------------------------------------------------------------- agencies and themes


def test_agencies_participation_and_roles():
    at = open_page("agencies")
    participation = frame_with(at, "จำนวนครั้งที่พูด")
    assert len(participation) > 5
    roles = frame_with(at, "บทบาทผู้พูด")
    assert "ชาวบ้าน/สมาชิกชุมชน" in set(roles["บทบาทผู้พูด"])
    assert roles["สัดส่วนการพูด (%)"].sum() == pytest.approx(100, abs=0.5)


def test_themes_drill_down_to_sessions_and_quotes():
    at = open_page("themes")
    counts = frame_with(at, "ประเด็น")
    top_theme, top_n = counts["ประเด็น"].iloc[0], int(counts["จำนวนเวที"].iloc[0])
    at.selectbox(key="drill_theme").set_value(top_theme)
    rerun(at)
    drill = frame_with(at, "คำพูด")
    assert drill["รหัสเวที"].nunique() == top_n
    assert drill["คำพูด"].notna().any()


# ----------------------------------------------------------------------------- recommendations


DUE = t("col_due_date")


def test_a_follow_up_edit_is_saved_and_still_there_after_a_rerun(dashboard_store):
    from analysis import store

    at = open_page("recommendations")
    table = frame_with(at, "ข้อความ")
    assert len(table) == 50  # one page of the list
    pick = at.selectbox(key="rec_pick")
    text = table["ข้อความ"].iloc[0]
    assert table["สถานะ"].iloc[0] == "เสนอ"  # not yet followed up in data/sample/reviews.yaml
    assert text[:30] in pick.format_func(pick.value)
    p = pick.value
    at.selectbox(key=f"followup_status_{p}").set_value("in_progress")
    at.text_input(key=f"followup_owner_{p}").set_value("อบต.ท่าศาลา")
    at.text_area(key=f"followup_note_{p}").set_value("เสนอเข้าแผนปีหน้า")
    at.text_input(key=f"followup_due_{p}").set_value("31/02/2570")  # no such day: said, not saved
    at.button(key="followup_save").click()
    rerun(at)
    assert any("31/02/2570" in e.value for e in at.error)
    assert frame_with(at, "ข้อความ")["สถานะ"].iloc[0] == "เสนอ"
    at.text_input(key=f"followup_due_{p}").set_value("31/3/2570")  # typed in the Buddhist era
    at.button(key="followup_save").click()
    rerun(at)
    assert any("บันทึกแล้ว" in s.value for s in at.success)
    assert frame_with(at, "ข้อความ")[DUE].iloc[0] == "31 มี.ค. 2570"
    row = frame_with(at, "ข้อความ").iloc[0]
    assert (row["สถานะ"], row["หน่วยงานรับผิดชอบ"], row["หมายเหตุ"]) == (
        "กำลังดำเนินการ",
        "อบต.ท่าศาลา",
        "เสนอเข้าแผนปีหน้า",
    )
    again = open_page("recommendations")  # a new session: read back from the store
    row = frame_with(again, "ข้อความ").iloc[0]
    assert row["สถานะ"] == "กำลังดำเนินการ"
    assert again.text_input(key=f"followup_due_{p}").value == "31 มี.ค. 2570"
    overview = open_page("overview")
    acted_on = FACTS["review"]["acted_on"] + 1  # the sample's follow-ups and this one
    delta = [m.proto.delta for m in overview.metric if m.label == "ข้อเสนอแนะ"][0]
    assert delta.startswith(f"{acted_on} ได้รับการดำเนินการ"), delta
    engine = store.get_engine(dashboard_store)
    statuses = store.load_tables(engine).recommendations["status"]
    assert (statuses == "in_progress").sum() == FACTS["review"]["followups"]["in_progress"] + 1


def test_similar_recommendations_are_grouped_across_sessions():
    at = open_page("recommendations")
    groups = frame_with(at, "กลุ่ม")
    assert len(groups) > 0
    assert (groups["จำนวนเวที"] >= 2).all()


@pytest.mark.parametrize("page", ["agencies", "themes", "recommendations"])
def test_questions_asked_ahead_are_the_pages_own_asked_once(page, monkeypatch):
    """Agencies, Themes and Recommendations ask their questions ahead, side by side
    (`ui.prefetch`, long lists with the page their pager shows): exactly the questions the page
    asks without it, each once, so what the page draws comes from that answer."""
    import threading
    from collections import Counter

    import streamlit as st

    from analysis.store import questions
    from pages import _common

    lock = threading.Lock()
    real = questions.question

    def asked_by_the_page() -> Counter:
        asked: Counter = Counter()

        def counting(name):
            answer = real(name)
            if answer is None:
                return None

            def counted(bind, *args, **kwargs):
                with lock:
                    asked[(name, repr(args), repr(sorted(kwargs.items())))] += 1
                return answer(bind, *args, **kwargs)

            return counted

        monkeypatch.setattr(questions, "question", counting)
        st.cache_data.clear()
        open_page(page)
        return asked

    ahead = asked_by_the_page()
    monkeypatch.setattr(_common, "prefetch", lambda *questions_asked, paged=(): None)
    in_turn = asked_by_the_page()
    assert len({name for name, _, _ in ahead}) >= 5, ahead
    assert set(ahead) == set(in_turn)
    assert [k for k, n in ahead.items() if n > 1] == []


# ----------------------------------------------------------------------------- import and review


def test_paste_review_correct_mark_and_delete(dashboard_store):
    from analysis import store

    engine = store.get_engine(dashboard_store)
    queued = len(store.review_queue(engine))
    at = open_page("import")
    assert len(frame_with(at, "ไฟล์ต้นฉบับ")) == queued
    at.text_input(key="paste_name").set_value("วางเอง.txt")
    at.text_area(key="paste_text").set_value(
        "ถอดบทเรียนวงเล็กบ้านทดสอบ\n\nวันที่ 5 มีนาคม 2568 ณ ศาลาประชาคม จังหวัดน่าน\n\n"
        "คุณสมชาย (พช.)        ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น และต้องให้ชาวบ้านเต็มใจ\n"
    )
    at.button(key="import_paste_button").click()
    rerun(at)
    assert any("นำเข้าแล้ว 1 รายการ" in s.value for s in at.success)
    assert len(frame_with(at, "ไฟล์ต้นฉบับ")) == queued + 1
    pasted = [
        r["session_id"] for r in store.review_queue(engine) if r["source_name"] == "วางเอง.txt"
    ][0]

    at.selectbox(key="review_pick").set_value(pasted)
    rerun(at)
    at.text_input(key=f"venue_{pasted}").set_value("ศาลาประชาคมหมู่ 3")
    at.text_input(key=f"participant_count_{pasted}").set_value("27")
    at.button(key="review_save").click()
    rerun(at)
    assert any("สถานที่" in s.value and "จำนวนผู้เข้าร่วม" in s.value for s in at.success)
    rerun(at)  # still there after a rerun
    assert at.text_input(key=f"venue_{pasted}").value == "ศาลาประชาคมหมู่ 3"
    assert store.get_session(engine, pasted)["record"]["participant_count"] == 27
    # made by the signed-in person (with no sign-in configured: the local user), never typed
    assert {c["corrected_by"] for c in store.get_session(engine, pasted)["corrections"]} == {
        "local"
    }

    at.button(key="mark_reviewed").click()
    rerun(at)
    assert store.get_session(engine, pasted)["review_state"] == "reviewed"
    assert store.get_session(engine, pasted)["reviewed_by"] == "local"
    assert len(frame_with(at, "ไฟล์ต้นฉบับ")) == queued

    at.query_params["session"] = str(pasted)
    rerun(at)
    delete = at.button(key="delete")
    assert delete.disabled  # not before the confirmation
    at.checkbox(key=f"delete_sure_{pasted}").check()
    rerun(at)
    at.button(key="delete").click()
    rerun(at)
    assert any(f"ลบบันทึก {pasted} แล้ว" in s.value for s in at.success)
    with pytest.raises(store.SessionNotFound):
        store.get_session(engine, pasted)


def test_the_review_form_opens_on_a_picked_record_only():
    at = open_page("import")
    picker = at.selectbox(key="review_pick")
    assert picker.value is None  # the queue first; no record is opened before it is picked
    assert not [b for b in at.button if b.key == "mark_reviewed"]
    picker.set_value(int(picker.options[0].split(" · ")[0]))
    rerun(at)
    assert [b for b in at.button if b.key == "mark_reviewed"]


def test_nobody_types_a_reviewer_name_the_signed_in_person_is_shown():
    at = open_page("import")
    assert not [w for w in at.text_input if w.key == "reviewer"]  # no free-text reviewer field
    assert not [w for w in at.sidebar.text_input if w.key == "reviewer"]
    shown = [c.value for c in at.sidebar.caption]
    assert any("local" in c and "admin" in c for c in shown), shown


# ----------------------------------------------------------------------------- present


def test_present_slides_next_previous_and_masked_quotes():
    at = open_page("present")
    assert url(at, "slide") == ["1"]
    at.button(key="slide_next").click()
    rerun(at)
    assert url(at, "slide") == ["2"]
    assert len(at.get("plotly_chart")) == 1
    at.button(key="slide_prev").click()
    rerun(at)
    assert url(at, "slide") == ["1"]
    last = open_page("present", slide="99")  # clamped to the last slide: a quote
    quote = [m.value for m in last.markdown if m.value.startswith("“")]
    assert quote
    masked = [m.value for m in last.markdown if m.value.startswith("— ")][0]
    last.toggle(key="present_names").set_value(True)  # names only when an editor says so
    rerun(last)
    named = [m.value for m in last.markdown if m.value.startswith("— ")][0]
    assert named != masked


# ----------------------------------------------------------------------------- first run


def test_first_run_imports_the_sample_once(tmp_path, monkeypatch):
    import streamlit as st

    from analysis import store

    url = f"sqlite:///{tmp_path / 'first.db'}"
    monkeypatch.setenv("SANGKHRO_DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = open_page("overview")
    assert int(metric(at, "เวที")) > 0
    engine = store.get_engine(url)
    assert store.count_sessions(engine) == FACTS["records"]
    st.cache_resource.clear()  # a restarted server
    open_page("overview")
    assert store.count_sessions(engine) == FACTS["records"]  # not imported twice
    st.cache_resource.clear()
    st.cache_data.clear()
