"""frames: every question a page asks, on a hand-made programme whose answers are known."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import figures, frames, synthetic
from analysis.filters import Filters, apply_filters
from analysis.i18n import LABELS, Display, format_date, format_fiscal_year, md_escape
from tests import programme_fixture as fx


@pytest.fixture(scope="module")
def t():
    return apply_filters(fx.tables(), Filters())  # records only: sessions 1-4


@pytest.fixture(scope="module")
def everything():
    return apply_filters(fx.tables(), Filters(kinds=()))  # sessions 1-5


def turn_chars(sid: int) -> list[int]:
    return [len(tt["text"]) for tt in fx.SESSIONS[sid - 1]["record"]["turns"]]


# ----------------------------------------------------------------------------- overview


def test_overview_metrics(t, everything):
    m = frames.overview_metrics(t)
    assert m["sessions"] == 4
    assert m["participants"] == 17 + 40 + 5 and m["participants_known"] == 3
    assert m["agencies"] == 3
    assert m["recommendations"] == 5  # 2 + 2 + 1
    assert m["acted_on"] == 3  # agreed, done, in_progress (dropped and proposed are not)
    assert m["reviewed"] == 2 and m["reviewed_share"] == 0.5
    assert m["turns"] == 5 and m["others"] == 0
    m = frames.overview_metrics(everything)
    assert m["sessions"] == 4 and m["others"] == 1  # the invitation is kept, not counted


def test_overview_metrics_of_nothing():
    empty = apply_filters(fx.tables(), Filters(provinces=("ไม่มี",)))
    m = frames.overview_metrics(empty)
    assert m["sessions"] == 0 and m["reviewed_share"] == 0.0 and m["participants"] == 0


def test_sessions_per_month_fills_empty_months(t):
    df = frames.sessions_per_month(t)
    assert len(df) == 12  # Nov 2005 .. Oct 2006
    assert df["month"].iloc[0] == pd.Timestamp("2005-11-01")
    assert df["sessions"].tolist() == [1] + [0] * 9 + [1, 1]


def test_sessions_per_fiscal_year_and_province(t):
    assert frames.sessions_per_fiscal_year(t).values.tolist() == [[2549, 2], [2550, 1]]
    df = frames.sessions_per_province(t)
    assert df["province"].tolist() == ["นครศรีธรรมราช", "น่าน", None]
    assert df["sessions"].tolist() == [2, 1, 1]


def test_latest_sessions_newest_first_undated_last(t):
    assert frames.latest_sessions(t, 3)["session_id"].tolist() == [3, 2, 1]
    assert frames.latest_sessions(t)["session_id"].tolist() == [3, 2, 1, 4]


# ----------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    "query, ids",
    [
        ("", [3, 2, 1, 4]),
        ("ทำงานกับอบต", [2, 1]),  # segmented: ทำงาน + อบต, found in "ทำงานร่วมกับ อบต."
        ("ปราชญ์", [3, 2]),
        ("กรมการพัฒนาชุมชน", [2, 1, 4]),  # canonical agency name
        ("สมศรี", [1]),  # a speaker
        ("ไม่มีคำนี้เลย", []),
    ],
)
def test_search_sessions(t, query, ids):
    assert frames.search_sessions(t, query)["session_id"].tolist() == ids


def test_query_terms_glue_stray_characters():
    assert frames.query_terms("ทำงานกับอบต") == ["ทำงาน", "อบต"]
    assert frames.query_terms("  ") == []


# ----------------------------------------------------------------------------- agencies


def test_participation_by_agency(t):
    df = frames.participation_by_agency(t).set_index("agency")
    total = sum(turn_chars(1)) + sum(turn_chars(2)) + sum(turn_chars(4))
    cdd = df.loc["กรมการพัฒนาชุมชน"]
    assert (cdd["sessions"], cdd["turns"], cdd["people"]) == (3, 1, 1)
    assert cdd["chars"] == turn_chars(1)[0]
    assert cdd["share_of_voice"] == pytest.approx(turn_chars(1)[0] / total)
    baac = df.loc["ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร"]
    assert (baac["sessions"], baac["turns"], baac["chars"]) == (2, 0, 0)
    assert df.loc["องค์การบริหารส่วนตำบล", "turns"] == 1
    assert df.index[0] == "กรมการพัฒนาชุมชน"  # most sessions first


def test_share_of_voice_by_role_keeps_villagers_without_agency(t):
    df = frames.share_of_voice_by_role(t).set_index("speaker_role")
    assert df.loc["community member", "turns"] == 2  # ป้าสมศรี and ลุงเปลี่ยน, no agency
    assert df.loc["community member", "chars"] == turn_chars(1)[1] + turn_chars(4)[0]
    assert df.loc["official", "turns"] == 2 and df.loc["facilitator", "turns"] == 1
    assert df["share_of_voice"].sum() == pytest.approx(1.0)


def test_agency_matrices(t):
    co = frames.agency_coattendance(t)
    assert co.loc["กรมการพัฒนาชุมชน", "กรมการพัฒนาชุมชน"] == 3
    assert co.loc["กรมการพัฒนาชุมชน", "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร"] == 1
    assert co.loc["ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", "องค์การบริหารส่วนตำบล"] == 0
    assert (co.to_numpy() == co.to_numpy().T).all()
    m = frames.agency_theme_matrix(t)
    assert m.loc["กรมการพัฒนาชุมชน", "ความสมัครใจ"] == 2  # sessions 1 and 4
    assert m.loc["องค์การบริหารส่วนตำบล", "ผู้รู้และภูมิปัญญาชาวบ้าน"] == 1
    trend = frames.agency_trend(t).set_index(["fiscal_year", "agency"])["sessions"]
    assert trend.loc[(2549, "กรมการพัฒนาชุมชน")] == 2
    assert trend.loc[(2550, "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร")] == 1
    assert trend.loc[(2550, "กรมการพัฒนาชุมชน")] == 0


# ----------------------------------------------------------------------------- themes


def test_theme_counts_leave_out_other(t):
    df = frames.theme_counts(t).set_index("theme")
    assert df.loc["การทำงานร่วมกับ อบต.", "sessions"] == 2  # not 3: session 5 is kind other
    assert df.loc["ความสมัครใจ", "sessions"] == 2
    assert df.loc["ความสมัครใจ", "share"] == 0.5


def test_themes_over_time_and_place(t):
    df = frames.themes_over_time(t).set_index(["period", "theme"])["sessions"]
    assert df.loc[(2549, "การทำงานร่วมกับ อบต.")] == 2
    assert df.loc[(2550, "ผู้รู้และภูมิปัญญาชาวบ้าน")] == 1
    by_month = frames.themes_over_time(t, "month")
    assert pd.Timestamp("2006-10-01") in set(by_month["period"])
    with pytest.raises(ValueError):
        frames.themes_over_time(t, "week")
    prov = frames.themes_by_province(t)
    assert prov.loc["ผู้รู้และภูมิปัญญาชาวบ้าน", "น่าน"] == 1
    assert prov.loc["ผู้รู้และภูมิปัญญาชาวบ้าน", "นครศรีธรรมราช"] == 1
    by_agency = frames.themes_by_agency(t).set_index(["theme", "agency"])["sessions"]
    assert by_agency.loc[("ความสมัครใจ", "กรมการพัฒนาชุมชน")] == 2
    co = frames.theme_cooccurrence(t)
    assert co.loc["การทำงานร่วมกับ อบต.", "ความสมัครใจ"] == 1
    assert co.loc["ความสมัครใจ", "ผู้รู้และภูมิปัญญาชาวบ้าน"] == 0


def test_theme_drilldown_gives_sessions_and_quotes(t):
    df = frames.theme_drilldown(t, "ผู้รู้และภูมิปัญญาชาวบ้าน")
    assert df["session_id"].drop_duplicates().tolist() == [3, 2]
    assert set(df["quote"]) == {fx.R_WISDOM}
    one = frames.theme_drilldown(t, "ผู้รู้และภูมิปัญญาชาวบ้าน", province="น่าน")
    assert one["session_id"].tolist() == [3]
    both = frames.theme_drilldown(t, "การทำงานร่วมกับ อบต.", with_theme="ความสมัครใจ")
    assert both["session_id"].unique().tolist() == [1]
    assert frames.theme_drilldown(t, "ความสมัครใจ", fiscal_year=2550).empty
    assert frames.theme_drilldown(t, "ความสมัครใจ", month="2005-11-05")[
        "session_id"
    ].unique().tolist() == [1]


def test_key_phrases_by_tf_idf():
    big = synthetic.synthetic_tables(120, seed=3)
    df = frames.key_phrases(big, top=15)
    assert list(df.columns) == ["phrase", "score", "sessions"]
    assert 0 < len(df) <= 15
    assert df["score"].is_monotonic_decreasing
    assert (df["sessions"] >= 2).all()
    assert not set(df["phrase"]) & {"ที่", "และ", "ของ", " "}  # stopwords and spaces never
    assert frames.key_phrases(big, top=15).equals(df)  # deterministic
    sampled = frames.key_phrases(big, top=15, max_documents=40)
    assert (sampled["sessions"] <= 40).all()


# ----------------------------------------------------------------------------- recommendations


def test_recommendations_by_category(t):
    df = frames.recommendations_by_category(t).set_index("category")
    assert df.loc["work_through_tao"].tolist() == [2, 2, 2]  # recs, sessions, acted on
    assert df.loc["local_wisdom"].tolist() == [2, 2, 1]  # in progress counts, dropped does not
    assert df.loc["voluntary_participation"].tolist() == [1, 1, 0]


def test_recommendation_table_finds_who_said_it(t):
    df = frames.recommendation_table(t).set_index(["session_id", "seq"])
    assert df.loc[(1, 0), "speaker"] == "คุณสุนันทา" and df.loc[(1, 0), "agency"] == "พช."
    assert df.loc[(1, 1), "speaker"] == "ป้าสมศรี" and pd.isna(df.loc[(1, 1), "agency"])
    assert df.loc[(2, 0), "speaker"] == "นายวิรัตน์"
    assert pd.isna(df.loc[(2, 1), "speaker"])  # written in the summary, said by nobody
    assert df.loc[(2, 0), "status"] == "done"
    assert len(frames.recommendation_table(t, "local_wisdom")) == 2
    assert len(frames.recommendation_table(t, "")) == 0


def test_similar_recommendation_groups_span_sessions(t):
    df = frames.similar_recommendation_groups(t)
    groups = sorted(sorted(set(part["text"])) for _, part in df.groupby("group"))
    assert groups == sorted([sorted({fx.R_TAO, fx.R_TAO2}), [fx.R_WISDOM]])
    assert (df["n_sessions"] >= 2).all()
    assert fx.R_WILL not in set(df["text"])  # said once: no group
    assert frames.similar_recommendation_groups(t, threshold=0.95)["text"].tolist() == [
        fx.R_WISDOM,
        fx.R_WISDOM,
    ]


def test_presentation_quotes_are_spoken(t):
    df = frames.presentation_quotes(t)
    assert df["speaker"].notna().all()
    assert set(df["text"]) <= {fx.R_TAO, fx.R_WILL, fx.R_TAO2}


# ----------------------------------------------------------------------------- one session


def test_highlight_spans_rebuild_the_text_and_prefer_earlier_labels():
    text = "ผมว่าควรทำกับ อบต. ก่อน แล้ว อบต. จะช่วย"
    marks = {"recommendation": ["ควรทำกับ อบต. ก่อน"], "agency": ["อบต."]}
    segs = frames.highlight_spans(text, marks)
    assert "".join(s for s, _ in segs) == text
    assert ("ควรทำกับ อบต. ก่อน", "recommendation") in segs
    assert [s for s, label in segs if label == "agency"] == ["อบต."]  # the second one only
    assert frames.highlight_spans("", marks) == []
    assert frames.highlight_spans("ไม่มีอะไร", {"agency": [""]}) == [("ไม่มีอะไร", None)]


def test_speaker_display_anonymises_to_role_and_agency(t):
    turns = t.turns[t.turns["session_id"] == 1]
    assert frames.speaker_display(turns, False) == ["คุณสุนันทา (พช.)", "ป้าสมศรี", "ผู้ดำเนินรายการ"]
    assert frames.speaker_display(turns, True) == [
        "เจ้าหน้าที่รัฐ (พช.)",
        "ชาวบ้าน/สมาชิกชุมชน",
        "คุณอำนวย (ผู้อำนวยความสะดวก)",
    ]
    assert frames.speaker_display(turns, True, "en")[0] == "Officials (พช.)"
    recs = frames.anonymise_speakers(frames.recommendation_table(t))
    assert "คุณสุนันทา" not in set(recs["speaker"])


def test_session_fields_and_conversation():
    s = fx.SESSIONS[0]
    fields = frames.session_fields(s).set_index("field")["value"]
    assert fields["วันที่จัด"] == "17 พ.ย. 2548"
    assert "พช. (กรมการพัฒนาชุมชน)" in fields["หน่วยงาน"]
    chat = frames.conversation(s, anonymise=True)
    assert [m["name"] for m in chat][0] == "เจ้าหน้าที่รัฐ (พช.)"
    assert chat[1]["text"].startswith("ป้าจดบัญชี")


def test_review_form_corrections_only_what_changed():
    s = fx.SESSIONS[1]
    values = frames.review_form_values(s)
    assert frames.corrections_from_form(s, values) == {}
    values = {
        **values,
        "venue": " ศาลาประชาคม ",
        "participant_count": "41",
        "agencies": "พช.\nอบต.\nธ.ก.ส.\n",
        "kind": "transcript",
    }
    turns = values["turns"].copy()
    turns.loc[0, "speaker"] = "นายวิรัตน์ ใจดี"
    values["turns"] = turns
    changes = frames.corrections_from_form(s, values)
    assert changes["venue"] == "ศาลาประชาคม"
    assert changes["participant_count"] == "41"
    assert changes["agencies"] == ["พช.", "อบต.", "ธ.ก.ส."]
    assert changes["kind"] == "transcript"
    assert changes["turns"][0]["speaker"] == "นายวิรัตน์ ใจดี"
    assert set(changes) == {"venue", "participant_count", "agencies", "kind", "turns"}


# ----------------------------------------------------------------------------- synthetic data


def test_synthetic_programme_is_seeded_and_consistent():
    a = synthetic.synthetic_sessions(50, seed=7)
    assert a == synthetic.synthetic_sessions(50, seed=7)
    assert a != synthetic.synthetic_sessions(50, seed=8)
    for s in a:
        rec = s["record"]
        spoken = " ".join(tt["text"] for tt in rec["turns"])
        assert len(rec["recommendations"]) == len(rec["recommendation_categories"])
        assert len(s["followups"]) == len(rec["recommendations"])
        if rec["kind"] == "transcript":
            assert rec["turns"]
        text = synthetic.render_text(s)
        assert all(r in text or r in spoken for r in rec["recommendations"])
    t = synthetic.synthetic_tables(200, seed=1)
    assert len(t.sessions) == 200 and t.sessions["is_record"].sum() > 150


# ----------------------------------------------------------------------------- labels and figures


def test_dates_are_buddhist_era_by_default():
    assert format_date("2005-11-17") == "17 พ.ย. 2548"
    assert format_date(pd.Timestamp("2005-11-17"), "en") == "17 Nov 2548 BE"
    assert format_date("2005-11-17", "en", "ce") == "17 Nov 2005"
    assert format_date(None) == "" and format_date(pd.NaT) == ""
    assert format_fiscal_year(2549) == "ปีงบฯ 2549"
    assert format_fiscal_year(2549, "en", "ce") == "FY 2006"


def test_every_label_has_thai_and_english():
    for key, (th, en) in LABELS.items():
        assert th.strip() and en.strip(), key


def test_md_escape_leaves_no_markup():
    raw = "*ควร* [ทำ](http://x) <script>alert(1)</script> `code` :red[x]"
    out = md_escape(raw)
    for ch in "*[]()<>`:":
        assert f"\\{ch}" in out
    assert "<script>" not in out


def test_display_table_translates(t):
    df = figures.display_table(frames.recommendation_table(t), Display("th"))
    assert "สถานะ" in df.columns and "วันที่จัด" in df.columns
    assert "ดำเนินการแล้ว" in set(df["สถานะ"])
    assert "30 ก.ย. 2549" in set(df["วันที่จัด"])
    en = figures.display_table(frames.share_of_voice_by_role(t), Display("en"))
    assert "Community members" in set(en["Speaker role"])
    csv = figures.csv_bytes(frames.sessions_per_province(t))
    assert csv.startswith("\ufeff".encode()) and "ไม่ระบุ".encode() in csv


FIGURES = [
    ("sessions_per_month", figures.sessions_per_month_chart),
    ("sessions_per_fiscal_year", figures.sessions_per_fiscal_year_chart),
    ("sessions_per_province", figures.sessions_per_province_chart),
    ("participation_by_agency", figures.participation_chart),
    ("participation_by_agency", figures.share_of_voice_chart),
    ("share_of_voice_by_role", figures.share_of_voice_by_role_chart),
    ("agency_theme_matrix", figures.agency_theme_chart),
    ("agency_coattendance", figures.coattendance_chart),
    ("agency_trend", figures.agency_trend_chart),
    ("theme_counts", figures.theme_counts_chart),
    ("themes_over_time", figures.themes_over_time_chart),
    ("themes_by_agency", figures.themes_by_agency_chart),
    ("themes_by_province", figures.themes_by_province_chart),
    ("theme_cooccurrence", figures.theme_cooccurrence_chart),
    ("key_phrases", figures.key_phrases_chart),
    ("recommendations_by_category", figures.recommendations_by_category_chart),
]


@pytest.mark.parametrize("frame_name, build", FIGURES)
@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_figure_uses_the_thai_font_and_survives_no_data(t, frame_name, build, lang):
    disp = Display(lang)
    fig = build(getattr(frames, frame_name)(t), disp)
    assert fig.layout.template.layout.font.family == figures.FONT_FAMILY
    assert fig.data or fig.layout.annotations
    empty = apply_filters(fx.tables(), Filters(provinces=("ไม่มี",)))
    nothing = build(getattr(frames, frame_name)(empty), disp)
    assert nothing.layout.annotations[0].text == disp.t("no_data")
    big = figures.for_projector(fig)
    assert big.layout.font.size >= 24


def test_month_axis_is_labelled_in_buddhist_era(t):
    fig = figures.sessions_per_month_chart(frames.sessions_per_month(t), Display())
    assert "พ.ย. 2548" in fig.layout.xaxis.ticktext
    fig = figures.sessions_per_month_chart(frames.sessions_per_month(t), Display("th", "ce"))
    assert "พ.ย. 2005" in fig.layout.xaxis.ticktext


def test_session_recommendations_carry_their_follow_up():
    df = frames.session_recommendations(fx.SESSIONS[1])
    assert df["text"].tolist() == [fx.R_TAO2, fx.R_WISDOM]
    assert df["status"].tolist() == ["done", "in_progress"]
    assert df["categories"].tolist() == [("work_through_tao",), ("local_wisdom",)]
