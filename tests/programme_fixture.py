"""A small hand-made programme (effective session dicts) whose counts are known by construction.

Used by test_frames.py and test_filters.py; each number the tests assert is written next to the
data that makes it.
"""

from __future__ import annotations

from analysis.tables import tables_from_sessions

AGENCIES = {
    "พช.": ("กรมการพัฒนาชุมชน", "พช.", "government department"),
    "ธ.ก.ส.": ("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", "ธ.ก.ส.", "bank"),
    "อบต.": ("องค์การบริหารส่วนตำบล", "อบต.", "local government"),
}


def session(
    sid,
    kind="transcript",
    date=None,
    province=None,
    agencies=(),
    turns=(),
    recs=(),
    cats=None,
    themes=(),
    count=None,
    reviewed=False,
    statuses=None,
    programme="ก",
    title=None,
):
    recs = list(recs)
    return {
        "session_id": sid,
        "programme": programme,
        "source_name": f"{sid}.txt",
        "imported_at": None,
        "review_state": "reviewed" if reviewed else "unreviewed",
        "reviewed_by": "ผู้ตรวจ" if reviewed else None,
        "reviewed_at": None,
        "record": {
            "kind": kind,
            "title": title or f"เวทีที่ {sid}",
            "session_date": date,
            "province": province,
            "participant_count": count,
            "agencies": list(agencies),
            "agencies_canonical": [
                {
                    "as_written": a,
                    "canonical": AGENCIES[a][0],
                    "abbreviation": AGENCIES[a][1],
                    "type": AGENCIES[a][2],
                }
                for a in agencies
                if a in AGENCIES
            ],
            "turns": [
                {"speaker": s, "agency": a, "speaker_role": r, "text": t} for s, a, r, t in turns
            ],
            "recommendations": recs,
            "recommendation_categories": cats if cats is not None else [[] for _ in recs],
            "themes": list(themes),
        },
        "followups": [{"status": s} for s in (statuses or ["proposed"] * len(recs))],
    }


R_TAO = "ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น"
R_TAO2 = "น่าจะทำงานร่วมกับ อบต. ตั้งแต่แรก"
R_WILL = "ต้องให้ชาวบ้านเต็มใจ"
R_WISDOM = "ควรเชิญปราชญ์ชาวบ้านมาเป็นวิทยากร"

SESSIONS = [
    # 1: FY 2549 (Nov 2005), Nakhon, two agencies, three turns (one villager without agency)
    session(
        1,
        "transcript",
        "2005-11-17",
        "นครศรีธรรมราช",
        ["พช.", "ธ.ก.ส."],
        [
            ("คุณสุนันทา", "พช.", "official", "เราทำงานกับกลุ่มมานาน " + R_TAO),  # 34 chars
            ("ป้าสมศรี", None, "community member", "ป้าจดบัญชีทุกคืน " + R_WILL),
            ("ผู้ดำเนินรายการ", None, "facilitator", "ขอบคุณค่ะ"),
        ],
        [R_TAO, R_WILL],
        [["work_through_tao"], ["voluntary_participation"]],
        ["การทำงานร่วมกับ อบต.", "ความสมัครใจ"],
        count=17,
        reviewed=True,
        statuses=["agreed", "proposed"],
    ),
    # 2: FY 2549 (Sep 2006, last day), Nakhon, พช. + อบต.
    session(
        2,
        "summary",
        "2006-09-30",
        "นครศรีธรรมราช",
        ["พช.", "อบต."],
        [("นายวิรัตน์", "อบต.", "official", "ปีหน้า " + R_TAO2)],
        [R_TAO2, R_WISDOM],
        [["work_through_tao"], ["local_wisdom"]],
        ["การทำงานร่วมกับ อบต.", "ผู้รู้และภูมิปัญญาชาวบ้าน"],
        count=40,
        statuses=["done", "in_progress"],
    ),
    # 3: FY 2550 (1 Oct 2006), Nan, ธ.ก.ส. only, no turns
    session(
        3,
        "summary",
        "2006-10-01",
        "น่าน",
        ["ธ.ก.ส."],
        [],
        [R_WISDOM],
        [["local_wisdom"]],
        ["ผู้รู้และภูมิปัญญาชาวบ้าน"],
        count=None,
        reviewed=True,
        statuses=["dropped"],
    ),
    # 4: no date, no province, transcript
    session(
        4,
        "transcript",
        None,
        None,
        ["พช."],
        [("ลุงเปลี่ยน", None, "community member", "กลุ่มผมเริ่มปี 36")],
        [],
        None,
        ["ความสมัครใจ"],
        count=5,
        programme="ข",
    ),
    # 5: kind other (an invitation): kept, never charted
    session(5, "other", None, None, [], [], ["ขอเชิญทุกท่านเข้าร่วม"], None, ["การทำงานร่วมกับ อบต."]),
]


def tables():
    return tables_from_sessions(SESSIONS)
