"""A seeded generator of large synthetic programmes, for tests and benchmarks alike.

`synthetic_sessions(n, seed)` makes `n` effective session dicts (the input shape of
`analysis.tables.tables_from_sessions`) that look like the bundled sample: Thai titles, dates over
several fiscal years, provinces, agencies from the gazetteer's canonical names, speaker-attributed
turns whose text holds the recommendations as exact substrings, themes and recommendation
categories from the codebook. The same seed always gives the same programme.

`synthetic_tables(n, seed)` gives the ProgrammeTables straight away (no database);
`fill_store(engine, n, seed)` writes the sessions into a store quickly, without running the
extractor on each text (the benchmark needs 10,000 sessions in seconds, not hours).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from analysis.tables import ProgrammeTables, tables_from_sessions

PROGRAMME = "โครงการสังเคราะห์ (ข้อมูลทดสอบ)"

# (canonical, abbreviation, type): a slice of the kinds of agency the sample meets.
AGENCIES = (
    ("กรมการพัฒนาชุมชน", "พช.", "government department"),
    ("สถาบันพัฒนาองค์กรชุมชน", "พอช.", "public organisation"),
    ("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", "ธ.ก.ส.", "bank"),
    ("ธนาคารออมสิน", "ออมสิน", "bank"),
    ("กรมส่งเสริมการเกษตร", "เกษตร", "government department"),
    ("สำนักงานส่งเสริมการศึกษานอกระบบและการศึกษาตามอัธยาศัย", "กศน.", "government department"),
    ("มหาวิทยาลัยวลัยลักษณ์", "มวล.", "university"),
    ("มหาวิทยาลัยขอนแก่น", "มข.", "university"),
    ("องค์การบริหารส่วนตำบล", "อบต.", "local government"),
    ("เทศบาลตำบล", "ทต.", "local government"),
    ("สำนักงานสาธารณสุขอำเภอ", "สสอ.", "government department"),
    ("กรมตรวจบัญชีสหกรณ์", "ตส.", "government department"),
    ("กรมส่งเสริมสหกรณ์", "กสส.", "government department"),
    ("เครือข่ายองค์กรการเงินชุมชน", None, "network"),
    ("สภาองค์กรชุมชนตำบล", None, "network"),
    ("มูลนิธิชุมชนไท", None, "foundation"),
    ("สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด", "พมจ.", "government department"),
    ("กองทุนหมู่บ้านและชุมชนเมือง", "กทบ.", "public organisation"),
)
PROVINCES = (
    "นครศรีธรรมราช",
    "ขอนแก่น",
    "น่าน",
    "สุรินทร์",
    "เชียงราย",
    "พัทลุง",
    "สงขลา",
    "อุดรธานี",
    "ลำปาง",
    "ชัยภูมิ",
    "สกลนคร",
    "ตรัง",
    "พะเยา",
    "อุบลราชธานี",
    "สุราษฎร์ธานี",
    "มหาสารคาม",
)
VENUES = (
    "ศาลาประชาคมหมู่บ้าน",
    "ห้องประชุม อบต.",
    "ศูนย์เรียนรู้ชุมชน",
    "วัดประจำหมู่บ้าน",
    "ห้องสมุดประชาชน",
    "ที่ทำการกลุ่มออมทรัพย์",
    "หอประชุมอำเภอ",
    "โรงเรียนบ้านหนองบัว",
)
FIRST_NAMES = (
    "สมชาย",
    "สมศรี",
    "วิรัตน์",
    "อารีย์",
    "เกษม",
    "สุนันทา",
    "ประเสริฐ",
    "มาลี",
    "บุญมี",
    "จันทร์เพ็ญ",
    "ทองใบ",
    "ศักดิ์ชัย",
    "พรทิพย์",
    "นิคม",
    "ละเอียด",
    "สุวิทย์",
    "วันเพ็ญ",
    "ชูชาติ",
)
TITLES = ("คุณ", "นาย", "นาง", "ลุง", "ป้า", "อาจารย์", "ดร.")
ROLES = ("official", "community member", "facilitator", "chair", "unknown")
ROLE_WEIGHTS = (5, 5, 2, 1, 1)
SESSION_KINDS = ("ถอดบทเรียน", "เวทีแลกเปลี่ยนเรียนรู้", "AAR", "วงคุณเอื้อ", "สัมมนา", "ประชุมเครือข่าย")
TOPICS = (
    "กลุ่มออมทรัพย์เพื่อการผลิต",
    "บัญชีครัวเรือน",
    "กองทุนสวัสดิการชุมชน",
    "การแก้หนี้นอกระบบ",
    "องค์กรการเงินชุมชน",
    "แผนพัฒนาตำบล",
    "การออมของเยาวชน",
    "ศูนย์เรียนรู้ชุมชน",
)
# category id → (recommendation clauses that fit it, cue words of its theme)
RECOMMENDATIONS = {
    "work_through_tao": (
        "ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น",
        "น่าจะเอาแผนกลุ่มเข้าแผนพัฒนาตำบลของ อบต.",
        "ต้องให้ อบต. ตั้งงบสนับสนุนกลุ่มออมทรัพย์",
        "อยากให้ อบต. เป็นเจ้าภาพเวทีครั้งต่อไป",
    ),
    "integrate_km_into_existing_work": (
        "ควรเอาวงถอดบทเรียนไปต่อท้ายเวทีที่มีอยู่แล้ว",
        "ไม่ควรเพิ่มงานใหม่ให้ชาวบ้าน",
        "อยากให้รวมเป็นเรื่องเดียวกันไม่แยกกันคนละงาน",
        "น่าจะใช้ศูนย์เรียนรู้ที่มีอยู่แล้วแทนการจัดเวทีใหม่",
    ),
    "respond_to_villagers_needs": (
        "ต้องเริ่มจากสิ่งที่ชาวบ้านทำอยู่แล้ว",
        "ควรถามความต้องการของชาวบ้านก่อนออกแบบโครงการ",
        "อยากให้หน่วยงานฟังชาวบ้านมากกว่าสั่งการ",
    ),
    "voluntary_participation": (
        "ไม่ควรบังคับให้ชาวบ้านทำบัญชี",
        "ต้องให้สมาชิกเต็มใจเข้าร่วมเอง",
        "ขอให้เปิดรับสมาชิกแบบสมัครใจ",
    ),
    "local_wisdom": (
        "ควรเชิญปราชญ์ชาวบ้านมาเป็นวิทยากร",
        "น่าจะให้คนที่ทำบัญชีต่อเนื่องได้มาเล่าให้คนอื่นฟัง",
        "อยากให้ผู้รู้ในชุมชนเป็นคนถ่ายทอดเอง",
    ),
    "coordinate_agencies": (
        "หน่วยงานควรคุยกันให้จบก่อนลงพื้นที่",
        "ขอให้นัดลงพื้นที่พร้อมกันครั้งเดียว",
        "ต้องมีปฏิทินงานร่วมของทุกหน่วยงานในตำบล",
    ),
}
EXTRA_THEMES = ("บัญชีครัวเรือน", "สวัสดิการชุมชน", "หนี้สินครัวเรือน", "กลุ่มออมทรัพย์", "กระบวนการเรียนรู้ที่สนุก")
STORY = (
    "กลุ่มของเราเริ่มออมกันเดือนละร้อยบาท ตอนแรกมีสมาชิกไม่ถึงยี่สิบคน",
    "พอทำไปสักพักคนในหมู่บ้านก็เห็นผลเลยมาสมัครเพิ่ม",
    "ปัญหาใหญ่คือกรรมการเป็นคนเดิม ๆ ทำนากรีดยางด้วย เวลาไม่ค่อยพอ",
    "เจ้าหน้าที่มาทีละหน่วย วันจันทร์เรื่องหนึ่ง วันพุธอีกเรื่องหนึ่ง",
    "ที่กลุ่มอยู่ได้เพราะคนในกลุ่มเชื่อใจกัน ไม่ใช่เพราะแบบฟอร์ม",
    "เราลองให้เหรัญญิกเล่าว่าปกติจดบัญชีอย่างไร แล้วปรับแบบฟอร์มให้เหมือนสมุดของเขา",
    "ปีที่แล้วกลุ่มมีเงินหมุนเวียนเพิ่มขึ้นเกือบเท่าตัว หนี้นอกระบบลดลง",
    "ชาวบ้านเชื่อชาวบ้านด้วยกันมากกว่าเชื่อเจ้าหน้าที่",
    "เยาวชนในหมู่บ้านเริ่มมาช่วยทำบัญชีด้วยคอมพิวเตอร์",
    "กองทุนสวัสดิการช่วยคนเจ็บป่วยในหมู่บ้านได้จริง",
    "บางกลุ่มล้มไปเพราะไม่มีการประชุมสมาชิกสม่ำเสมอ",
    "วงคุยแบบนั่งล้อมวงบนเสื่อทำให้คนกล้าพูดมากขึ้น",
)


def _category_themes() -> dict[str, str]:
    """Category id → the Thai label of the theme it feeds, from the codebook."""
    from analysis import codebook

    themes = {c["id"]: c["theme"] for c in codebook.categories()}
    return {cat: themes[cat] for cat in RECOMMENDATIONS}


def _speaker(rng: random.Random, role: str) -> str:
    if role == "facilitator":
        return rng.choice(("ผู้ดำเนินรายการ", "วิทยากร", f"คุณ{rng.choice(FIRST_NAMES)}"))
    if role == "chair":
        return "ประธาน"
    return f"{rng.choice(TITLES)}{rng.choice(FIRST_NAMES)}"


def synthetic_sessions(
    n: int,
    seed: int = 0,
    programme: str = PROGRAMME,
    start_id: int = 1,
    first_day: date = date(2004, 10, 1),
    years: int = 8,
) -> list[dict]:
    """`n` effective session dicts, reproducible from `seed` (see module docstring).

    About one text in twenty is of kind ``other`` (an invitation or plan), as in real programmes.
    """
    rng = random.Random(seed)
    theme_of = _category_themes()
    cats = list(RECOMMENDATIONS)
    span = years * 365
    out = []
    for i in range(n):
        sid = start_id + i
        kind = rng.choices(("transcript", "summary", "other"), (12, 7, 1))[0]
        day = first_day + timedelta(days=rng.randrange(span))
        province = rng.choice(PROVINCES)
        present = rng.sample(AGENCIES, rng.randint(2, 7))
        topic = rng.choice(TOPICS)
        title = f"{rng.choice(SESSION_KINDS)} {topic} จังหวัด{province} ครั้งที่ {rng.randint(1, 12)}"
        chosen = rng.sample(cats, rng.randint(2, 4))
        turns, recs, rec_cats = [], [], []
        n_turns = (
            0
            if kind == "other"
            else rng.randint(3, 12)
            if kind == "transcript"
            else rng.randint(0, 4)
        )
        for k in range(n_turns):
            role = rng.choices(ROLES, ROLE_WEIGHTS)[0]
            agency = rng.choice(present) if role in ("official", "facilitator") else None
            if role == "community member" and rng.random() < 0.3:
                agency = ("ชาวบ้าน", None, "community")
            parts = rng.sample(STORY, rng.randint(1, 3))
            if k % 2 == 0 or rng.random() < 0.4:
                cat = rng.choice(chosen)
                rec = rng.choice(RECOMMENDATIONS[cat])
                if rng.random() < 0.3:  # a paraphrase with a different opening
                    rec = rec.replace("ควร", "น่าจะ", 1) if "ควร" in rec else rec
                parts.insert(rng.randrange(len(parts) + 1), rec)
                if rec not in recs:
                    recs.append(rec)
                    rec_cats.append([cat])
            turns.append(
                {
                    "speaker": _speaker(rng, role),
                    "agency": agency[1] or agency[0] if agency else None,
                    "speaker_role": role,
                    "text": " ".join(parts),
                }
            )
        if kind != "transcript":
            for cat in chosen[:2]:
                rec = rng.choice(RECOMMENDATIONS[cat])
                if rec not in recs:
                    recs.append(rec)
                    rec_cats.append([cat])
        themes = [theme_of[c] for c in chosen]
        if rng.random() < 0.5:
            themes.append(rng.choice(EXTRA_THEMES))
        agencies = [] if kind == "other" else [a[1] or a[0] for a in present]
        canon = (
            [
                {"as_written": a[1] or a[0], "canonical": a[0], "abbreviation": a[1], "type": a[2]}
                for a in present
            ]
            if kind != "other"
            else []
        )
        record = {
            "kind": kind,
            "title": title,
            "session_date": None if kind == "other" or rng.random() < 0.03 else day.isoformat(),
            "time_range": None
            if kind == "other"
            else rng.choice(("09:00-12:00", "13:00-16:00", None)),
            "venue": None if kind == "other" else rng.choice(VENUES),
            "participant_count": None
            if kind == "other" or rng.random() < 0.2
            else rng.randint(8, 120),
            "agencies": agencies,
            "turns": turns,
            "recommendations": recs,
            "themes": themes[:6],
            "agencies_canonical": canon,
            "recommendation_categories": rec_cats,
            "end_date": None,
            "province": None if kind == "other" else province,
            "extractor_version": "synthetic",
        }
        reviewed = rng.random() < 0.35
        out.append(
            {
                "session_id": sid,
                "programme": programme,
                "source_name": f"synthetic_{sid:06d}.txt",
                "imported_at": None,
                "review_state": "reviewed" if reviewed else "unreviewed",
                "reviewed_by": "ผู้ตรวจทดสอบ" if reviewed else None,
                "reviewed_at": None,
                "record": record,
                "followups": [
                    {
                        "recommendation_id": None,
                        "status": rng.choices(
                            ("proposed", "agreed", "in_progress", "done", "dropped"),
                            (6, 2, 2, 1, 1),
                        )[0],
                        "owner_agency": None,
                        "due_date": None,
                        "note": None,
                    }
                    for _ in recs
                ],
            }
        )
    return out


def synthetic_tables(n: int, seed: int = 0, programme: str = PROGRAMME) -> ProgrammeTables:
    """The ProgrammeTables of `synthetic_sessions(n, seed)`, without a database."""
    return tables_from_sessions(synthetic_sessions(n, seed, programme))


def render_text(session: dict) -> str:
    """A raw text for a synthetic session, in the shape of the sample records.

    Header lines (date in the Buddhist era, time, venue, head-count, agencies), then one
    ``ชื่อ (หน่วยงาน)<NBSP×8>ข้อความ`` line per turn, then the recommendations of a summary.
    """
    rec = session["record"]
    lines = [rec.get("title") or "", ""]
    if rec.get("session_date"):
        when = f"วันที่ {_thai_date(date.fromisoformat(rec['session_date']))}"
        if rec.get("time_range"):
            start, end = rec["time_range"].split("-")
            when += f" เวลา {start.replace(':', '.')} – {end.replace(':', '.')} น."
        if rec.get("venue"):
            when += f" ณ {rec['venue']} จังหวัด{rec.get('province') or ''}"
        lines += [when, ""]
    if rec.get("participant_count"):
        lines += [
            f"จำนวนผู้เข้าร่วม {rec['participant_count']} คน มาจาก {' '.join(rec['agencies'])}",
            "",
        ]
    gap = "\u00a0" * 8
    for turn in rec.get("turns") or []:
        label = turn["speaker"] + (f" ({turn['agency']})" if turn.get("agency") else "")
        lines += [f"{label}{gap}{turn['text']}", ""]
    spoken = " ".join(t["text"] for t in rec.get("turns") or [])
    extra = [r for r in rec.get("recommendations") or [] if r not in spoken]
    if extra:
        lines += ["ข้อเสนอแนะ"] + [f"- {r}" for r in extra] + [""]
    return "\n".join(lines)


# Shapes of published records that carry no date/venue/count header (invented here): a web
# page's chrome around a blog post or news item, photo captions, a narrated account, and speech
# reported in running text rather than labelled.
CHROME_ABOVE = (
    "หน้าแรก > ข่าวสารและกิจกรรม > ข่าวกิจกรรม",
    "หน้าหลัก | เกี่ยวกับเรา | ติดต่อเรา | เข้าสู่ระบบ",
    "ขนาดตัวอักษร ก ก ก",
    "เข้าชม {views:,} ครั้ง",
    "โพสต์เมื่อ {posted}",
    "หมวดหมู่: ข่าวประชาสัมพันธ์",
)
CHROME_BELOW = (
    "แชร์ Facebook Twitter Line",
    "ข่าวที่เกี่ยวข้อง",
    "ความคิดเห็น (0)",
    "Copyright © สำนักงานพัฒนาชุมชนอำเภอ สงวนลิขสิทธิ์",
    "ขึ้นไปด้านบน",
)
CAPTIONS = (
    "ภาพ: บรรยากาศการแลกเปลี่ยนเรียนรู้",
    "ภาพประกอบ: สมาชิกกลุ่มนำเสนอสมุดบัญชีครัวเรือน",
    "(ภาพจากเพจของกลุ่ม)",
)
REPORTING_VERBS = ("กล่าวว่า", "เล่าว่า", "ให้ความเห็นว่า", "เสนอว่า", "ฝากไว้ว่า")
POSITIONS = ("ผู้ใหญ่บ้าน", "ประธานกลุ่มออมทรัพย์", "นายก อบต.", "พัฒนาการอำเภอ", "เหรัญญิกกลุ่ม")
SHAPES = ("minutes", "blog", "excerpt")


def _thai_date(day: date, short: bool = False) -> str:
    """``8 ตุลาคม 2551``, or a post stamp such as ``8 ต.ค. 51``."""
    from analysis.i18n import THAI_MONTHS_ABBR, THAI_MONTHS_FULL

    if short:
        return f"{day.day} {THAI_MONTHS_ABBR[day.month - 1]} {(day.year + 543) % 100:02d}"
    return f"{day.day} {THAI_MONTHS_FULL[day.month - 1]} {day.year + 543}"


def render_shaped(session: dict, shape: str, seed: int = 0) -> str:
    """A raw text for a synthetic session in one of `SHAPES`.

    ``minutes``: `render_text`'s header-and-turns record. ``blog``: a web page's chrome (menu,
    breadcrumb, view counter, post date) above a title, a narrated account with the date in
    running text, speech reported as ``ชื่อ ตำแหน่ง กล่าวว่า …``, photo captions, and the
    page's footer. ``excerpt``: the narrated account alone, without title, header or chrome.
    """
    if shape == "minutes":
        return render_text(session)
    rng = random.Random(f"{seed}-{session['session_id']}-{shape}")
    rec = session["record"]
    day = date.fromisoformat(rec["session_date"]) if rec.get("session_date") else None
    where = f" ณ {rec['venue']}" if rec.get("venue") else ""
    opening = (
        f"เมื่อวันที่ {_thai_date(day)} ที่ผ่านมา" if day else "เมื่อไม่นานมานี้"
    ) + f" {rng.choice(('ได้มีการจัด', 'กลุ่มได้จัด', 'มีการจัด'))}{rec.get('title') or 'เวทีพูดคุย'}{where}"
    if rec.get("participant_count"):
        opening += f" มีผู้เข้าร่วมประมาณ {rec['participant_count']} คน"
    body = [opening + " " + rng.choice(STORY)]
    for turn in rec.get("turns") or []:
        who = turn["speaker"]
        if turn.get("agency") and turn["agency"] != "ชาวบ้าน":
            who += f" {rng.choice(POSITIONS)} ({turn['agency']})"
        body.append(f"{who} {rng.choice(REPORTING_VERBS)} “{turn['text']}”")
        if rng.random() < 0.3:
            body.append(rng.choice(STORY))
    spoken = " ".join(t["text"] for t in rec.get("turns") or [])
    extra = [r for r in rec.get("recommendations") or [] if r not in spoken]
    if extra:
        body.append("ที่ประชุมฝากข้อคิดไว้ว่า " + " และ".join(extra))
    if shape == "excerpt":
        return "\n\n".join(body)
    posted = _thai_date(day + timedelta(days=rng.randint(1, 9)), short=True) if day else "-"
    above = [
        line.format(views=rng.randint(40, 9000), posted=posted)
        for line in rng.sample(CHROME_ABOVE, rng.randint(2, len(CHROME_ABOVE)))
    ]
    for at in sorted(rng.sample(range(1, len(body) + 1), min(2, len(body))), reverse=True):
        body.insert(at, rng.choice(CAPTIONS))
    below = rng.sample(CHROME_BELOW, rng.randint(2, len(CHROME_BELOW)))
    return "\n".join([*above, "", rec.get("title") or "", "", *body, "", *below])


def fill_store(engine, n: int, seed: int = 0, programme: str = PROGRAMME, batch: int = 250) -> int:
    """Write `n` synthetic sessions into the store behind `engine`; returns how many were added.

    Goes through the store's own import of exported sessions (`store.import_exported`), which
    stores each raw text with a ready extraction, its follow-ups and review state, instead of
    running the extractor on every text; `batch` sessions share one transaction. Imported as the
    app itself (`auth.system_actor`).
    """
    from analysis import auth, store

    sessions = synthetic_sessions(n, seed, programme)
    added = 0
    for i in range(0, len(sessions), batch):
        with engine.begin() as conn:
            for s in sessions[i : i + batch]:
                texts = s["record"]["recommendations"]
                result = store.import_exported(
                    conn,
                    {
                        "programme": s["programme"],
                        "source_name": s["source_name"],
                        "raw_text": render_text(s),
                        "extracted": s["record"],
                        "review_state": s["review_state"],
                        "reviewed_by": s["reviewed_by"],
                        "followups": [
                            {
                                "recommendation_text": text,
                                "status": f["status"],
                                "updated_by": "synthetic",
                            }
                            for text, f in zip(texts, s["followups"], strict=True)
                            if f["status"] != "proposed"
                        ],
                    },
                    actor=auth.system_actor(),
                )
                added += result.imported
    store.analyze(engine)
    return added
