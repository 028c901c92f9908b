"""The review flow on the import page (issue 12, part C): how far the review has got, "save and
next", messages under the button the reviewer pressed, dates typed in the Buddhist era.

AppTest from app.py on this module's own store holding the bundled sample (conftest.py's
`dashboard_store`); what was saved is read back from the store.
"""

from __future__ import annotations

import json

import pytest

from analysis import ui_state
from tests.conftest import sample_facts
from tests.test_app import open_page, rerun

FACTS = sample_facts()
pytestmark = pytest.mark.usefixtures("dashboard_store", "fresh_caches")


def main_elements(at) -> list:
    """The main area's elements in the order a reader meets them (depth first)."""
    out = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if getattr(child, "children", None):
                walk(child)  # a column, container, form …: its elements in order
            else:
                out.append(child)

    walk(at.main)
    return out


def position(elements, predicate) -> int:
    found = [i for i, e in enumerate(elements) if predicate(e)]
    assert found, "element not found"
    return found[0]


def progress_text(at) -> str:
    bars = at.get("progress")
    assert bars, "no progress bar"
    return bars[0].proto.text


def session_ids(engine) -> dict[str, int]:
    from analysis import store

    sessions = store.load_tables(engine).sessions
    return dict(zip(sessions["source_name"], sessions["session_id"].astype(int), strict=True))


def test_next_in_queue_goes_forward_then_wraps_round():
    assert ui_state.next_in_queue([4, 7, 9], 7) == 9
    assert ui_state.next_in_queue([4, 7, 9], 9) == 4  # the last one: back to the first left
    assert ui_state.next_in_queue([4, 7, 9], 5) == 4  # opened by link, not in the queue
    assert ui_state.next_in_queue([7], 7) is None  # nothing left


def test_save_and_next_saves_marks_reviewed_opens_the_next_and_counts(dashboard_store):
    from analysis import store

    engine = store.get_engine(dashboard_store)
    queue = [r["session_id"] for r in store.review_queue(engine)]
    total = FACTS["records"]
    done = total - len(queue)  # what the sample comes with already reviewed (if anything)
    at = open_page("import")
    assert progress_text(at) == f"ตรวจแล้ว {done} จาก {total} บันทึก · รอตรวจ {len(queue)}"
    # the reviewer-name rule is said before anything is saved: the signed-in person, no typing
    rule = [c.value for c in at.main.caption if "ผู้ตรวจทานคือผู้ที่ลงชื่อเข้าใช้" in c.value]
    assert rule and "local" in rule[0]
    assert not [w for w in at.text_input if w.key == "reviewer"]

    first, second = queue[0], queue[1]
    at.selectbox(key="review_pick").set_value(first)
    rerun(at)
    at.text_input(key=f"venue_{first}").set_value("ศาลาประชาคมหมู่ 5")
    at.button(key="review_save_next").click()
    rerun(at)

    saved = store.get_session(engine, first)
    assert saved["review_state"] == "reviewed" and saved["reviewed_by"] == "local"
    assert saved["record"]["venue"] == "ศาลาประชาคมหมู่ 5"
    assert at.selectbox(key="review_pick").value == second  # the next queued record is open
    assert at.query_params["session"] in (str(second), [str(second)])
    assert at.text_input(key=f"venue_{second}") is not None
    assert progress_text(at) == f"ตรวจแล้ว {done + 1} จาก {total} บันทึก · รอตรวจ {len(queue) - 1}"
    assert at.get("progress")[0].value == pytest.approx(100 * (done + 1) / total, abs=1)  # %

    # the message is under the buttons the reviewer pressed, not at the top of the page
    elements = main_elements(at)
    message = position(
        elements, lambda e: type(e).__name__ == "Success" and f"บันทึก {first} ตรวจแล้ว" in e.value
    )
    button = position(elements, lambda e: getattr(e, "key", None) == "review_save_next")
    fields = position(elements, lambda e: getattr(e, "key", None) == f"venue_{second}")
    assert fields < button < message
    assert "สถานที่" in elements[message].value  # what was corrected, in Thai
    rerun(at)  # shown once
    assert not [s for s in at.success if f"บันทึก {first} ตรวจแล้ว" in s.value]


def test_dates_are_shown_and_typed_in_the_buddhist_era(dashboard_store):
    from analysis import store

    engine = store.get_engine(dashboard_store)
    ids = session_ids(engine)
    sid = ids["03_km-circle-thasala.txt"]  # facts: held 2022-11-17
    before = store.get_session(engine, sid)
    at = open_page("import", session=str(sid))
    date_box = at.text_input(key=f"session_date_{sid}")
    assert date_box.value == "17 พ.ย. 2565"
    assert "ค.ศ." not in date_box.label

    date_box.set_value("31/02/2565")  # no such day: said under the button, nothing saved
    at.button(key="review_save_next").click()
    rerun(at)
    elements = main_elements(at)
    error = position(elements, lambda e: type(e).__name__ == "Error" and "31/02/2565" in e.value)
    assert position(elements, lambda e: getattr(e, "key", None) == "review_save_next") < error
    after = store.get_session(engine, sid)
    assert (after["reviewed_at"], after["corrections"]) == (
        before["reviewed_at"],
        before["corrections"],
    )
    assert at.selectbox(key="review_pick").value == sid

    at.text_input(key=f"session_date_{sid}").set_value("๑๘ พ.ย. ๖๕")  # Thai digits, short year
    at.button(key="review_save").click()
    rerun(at)
    assert store.get_session(engine, sid)["record"]["session_date"] == "2022-11-18"
    assert at.text_input(key=f"session_date_{sid}").value == "18 พ.ย. 2565"
    kept = [df.value for df in at.dataframe if "ช่องข้อมูล" in df.value.columns]
    assert kept, "no corrections table"
    row = kept[0].iloc[0]
    assert (row["ช่องข้อมูล"], row["ค่า"]) == ("วันที่จัด (วัน เดือน ปี)", "18 พ.ย. 2565")
    assert not any(str(v) in ("None", "nan", "NaT") for v in kept[0].to_numpy().ravel())


def test_turn_roles_are_offered_by_their_thai_names(dashboard_store):
    from analysis import store

    engine = store.get_engine(dashboard_store)
    ids = session_ids(engine)
    sid = ids["04_aar-khonkaen-savings.txt"]
    at = open_page("import", session=str(sid))
    editor = [df for df in at.dataframe if f"turns_{sid}" in df.proto.id]
    assert editor, "no turns editor"
    role = json.loads(editor[0].proto.columns)["speaker_role"]
    labels = {o["value"]: o["label"] for o in role["type_config"]["options"]}
    assert labels["facilitator"].startswith("คุณอำนวย")
    assert labels["official"] == "เจ้าหน้าที่รัฐ"
    assert labels["community member"] == "ชาวบ้าน/สมาชิกชุมชน"
    assert role["label"] == "บทบาทผู้พูด"


def test_the_switch_rewrites_the_dates_in_an_open_form(dashboard_store):
    from datetime import date

    from analysis import store

    name = "05_nan-welfare-forum.txt"
    held = date.fromisoformat(FACTS["files"][name]["session_date"])
    month = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()[held.month - 1]
    sid = session_ids(store.get_engine(dashboard_store))[name]
    at = open_page("import", session=str(sid))
    at.sidebar.toggle(key="lang_en").set_value(True)
    rerun(at)
    assert (
        at.text_input(key=f"session_date_{sid}").value == f"{held.day} {month} {held.year + 543} BE"
    )
    assert at.text_input(key=f"end_date_{sid}").value == ""  # none stated: stays blank
    at.sidebar.toggle(key="era_ce").set_value(True)
    rerun(at)
    assert at.text_input(key=f"session_date_{sid}").value == f"{held.day} {month} {held.year}"
    assert at.text_input(key=f"end_date_{sid}").label == "End date (day month year)"
