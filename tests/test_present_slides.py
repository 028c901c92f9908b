"""The Present mode's slides without a browser (analysis/slides.py, figures.for_slide): the deck's
order, the key numbers and the sentence of context each carries, a quote masked unless names may
be shown, long quotes shortened and set smaller. Records and names here are invented."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import figures, slides
from analysis.filters import Filters
from analysis.i18n import Display

TH, EN = Display("th"), Display("en")


def metrics(**changes) -> dict:
    base = {
        "sessions": 12,
        "participants": 340,
        "participants_known": 10,
        "agencies": 9,
        "recommendations": 40,
        "acted_on": 0,
        "reviewed": 0,
        "others": 0,
    }
    return base | changes


MONTHS = pd.DataFrame(
    {
        "month": pd.to_datetime(["2023-10-01", "2023-11-01", "2024-01-01", "2024-02-01"]),
        "sessions": [3, 0, 5, 4],
    }
)
PROVINCES = pd.DataFrame({"province": ["น่าน", "พัทลุง", None], "sessions": [6, 5, 1]})
QUOTE = {
    "category": "",
    "text": "คุณสมศรี ใจดี เสนอว่า กองทุนควรทำบัญชีให้สมาชิกดูทุกเดือน",
    "speaker": "สมศรี ใจดี",
    "agency": "กองทุนหมู่บ้านโนนสูง",
    "speaker_role": "community member",
    "title": "เวทีถอดบทเรียนกับพี่สมศรี กองทุนหมู่บ้านโนนสูง",
    "session_date": pd.Timestamp("2024-01-18"),
}


def test_the_deck_opens_with_key_numbers_then_every_chart_then_the_quotes():
    deck = slides.deck(3)
    assert [s.kind for s in deck] == ["numbers"] + ["chart"] * len(slides.CHARTS) + ["quote"] * 3
    assert [s.frame for s in deck if s.kind == "chart"] == [c[0] for c in slides.CHARTS]
    assert [s.quote for s in deck if s.kind == "quote"] == [0, 1, 2]
    assert all(hasattr(figures, s.builder) for s in deck if s.kind == "chart")


def test_key_numbers_carry_their_context_and_no_bare_zero():
    numbers = slides.key_numbers(metrics(), MONTHS, PROVINCES, TH)
    assert [k.value for k in numbers] == ["12", "340", "9", "40"]
    assert numbers[0].context == "ต.ค. 2566 – ก.พ. 2567 · ใน 2 จังหวัด"
    assert numbers[1].context == "รวมจำนวนที่ระบุไว้ใน 10 จาก 12 เวที"
    assert numbers[3].context == "ยังไม่มีข้อเสนอที่บันทึกการติดตาม"  # not "acted on 0"
    followed = slides.key_numbers(metrics(acted_on=10), MONTHS, PROVINCES, EN)[3]
    assert (followed.label, followed.context) == ("Recommendations", "10 acted on (25%)")


def test_key_numbers_of_an_empty_selection_say_so():
    empty = pd.DataFrame({"month": pd.Series([], dtype="datetime64[ns]"), "sessions": []})
    no_provinces = pd.DataFrame({"province": [], "sessions": []})
    zero = metrics(sessions=0, participants=0, participants_known=0, agencies=0, recommendations=0)
    numbers = slides.key_numbers(zero, empty, no_provinces, TH)
    assert numbers[0].value == "0" and numbers[0].context == "ไม่มีเวทีตามตัวกรองที่เลือก"


def test_the_note_says_what_was_checked_counted_and_filtered():
    assert slides.key_numbers_note(metrics(), TH) == ("ตัวเลขจากการอ่านบันทึกอัตโนมัติ ยังไม่มีบันทึกที่ตรวจทาน")
    note = slides.key_numbers_note(metrics(reviewed=5, others=2), TH)
    assert note == "ตรวจทานโดยเจ้าหน้าที่แล้ว 5 จาก 12 บันทึก · ไม่นับเอกสารอื่น 2 รายการ"
    filtered = slides.key_numbers_note(metrics(), TH, Filters(provinces=("น่าน",)))
    assert filtered.startswith("จังหวัด: น่าน · ")
    assert slides.key_numbers_note(metrics(), TH, Filters()) == slides.key_numbers_note(
        metrics(), TH
    )


def test_a_quote_is_masked_unless_names_may_be_shown():
    masked = slides.quote_view(QUOTE, TH, show_names=False, known_names={"สมศรี ใจดี"})
    assert "สมศรี" not in masked.text and "[ชื่อ]" in masked.text
    assert "สมศรี" not in masked.session and masked.session.endswith("18 ม.ค. 2567")
    assert masked.who == "ชาวบ้าน/สมาชิกชุมชน (กองทุนหมู่บ้านโนนสูง)"
    named = slides.quote_view(QUOTE, TH, show_names=True, known_names={"สมศรี ใจดี"})
    assert named.text == QUOTE["text"]
    assert named.who == "สมศรี ใจดี (กองทุนหมู่บ้านโนนสูง)"
    assert named.session == f"{QUOTE['title']} · 18 ม.ค. 2567"


def test_long_quotes_are_shortened_at_a_space_and_set_smaller():
    words = "สมาชิกกลุ่มออมทรัพย์ควรได้เห็นบัญชีทุกเดือน " * 30
    view = slides.quote_view(QUOTE | {"text": words}, TH, show_names=True)
    assert len(view.text) <= slides.MAX_QUOTE_CHARS + 2 and view.text.endswith(" …")
    sizes = [slides.quote_size("ก" * n) for n in (20, 100, 200, 300, 420)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]


def test_a_slide_title_names_the_quote_category():
    quotes = pd.DataFrame([QUOTE | {"category": "finance"}])
    quote = slides.deck(1)[-1]
    assert slides.slide_title(quote, TH, quotes).startswith("เสียงจากเวที · ")
    assert slides.slide_title(slides.deck(0)[0], EN) == "Programme at a glance"


def test_a_slide_figure_has_no_title_or_height_and_smaller_type_for_many_bars():
    few = figures.theme_counts_chart(
        pd.DataFrame({"theme": ["savings"], "sessions": [3], "share": [0.5]}), TH
    )
    many = go.Figure(go.Bar(x=list(range(20)), y=[f"หน่วยงาน {i}" for i in range(20)]))
    many.update_traces(orientation="h")
    big, small = figures.for_slide(few), figures.for_slide(many)
    assert not big.layout.title.text and big.layout.height is None
    assert big.layout.font.size > small.layout.font.size >= 16
