"""Phrase → value tables for the header fields and kind as real pages write them (issue 9).

Each row states one convention of ../shared/spec/record-format.md with an invented Thai example:
kind needs a positive sign for `other`; site chrome, counters and captions are no title;
distractor dates, two-digit years, glued ranges; start-time-only; venues in datelines; head-counts
among other numbers.
"""

import pytest

from analysis.extract import extract
from analysis.extract.header import title
from analysis.extract.layout import Layout

NARRATED = (
    "พอถึงเดือนที่สาม กลุ่มออมทรัพย์บ้านหนองแคก็นัดสมาชิกมานั่งคุยกันที่ลานวัดอีกครั้ง "
    "คราวนี้ทุกคนเอาสมุดบัญชีมาด้วย แล้วผลัดกันเล่าว่าเดือนที่ผ่านมาออมได้เท่าไร ติดขัดตรงไหน "
    "กรรมการช่วยกันจดลงกระดาษแผ่นใหญ่ หลายคนบอกว่าเพิ่งเห็นภาพรวมของกลุ่มเป็นครั้งแรก"
)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a narrated account without date, venue or head-count is still a summary
        ("ตอนที่ 2\n" + NARRATED, "summary"),
        (NARRATED, "summary"),
        # a design: objectives and target group on lines of their own
        (
            "ออกแบบวงคุยกองทุนหมู่บ้าน\nวัตถุประสงค์\n1. เพื่อให้กรรมการได้เล่าวิธีทำงาน\n"
            "กลุ่มเป้าหมาย\nกรรมการกองทุน 10 กองทุน กองทุนละ 2 คน\n" + NARRATED,
            "other",
        ),
        # a report of a held forum keeps its objectives and target group: still a summary
        (
            "สรุปผลเวทีถอดบทเรียนกองทุนหมู่บ้าน\nวัตถุประสงค์\n1. เพื่อให้กรรมการได้เล่าวิธีทำงาน\n"
            "กลุ่มเป้าหมาย\nกรรมการกองทุน 10 กองทุน\nผลการดำเนินงาน\n"
            "เมื่อวันที่ 4 มิถุนายน 2566 ได้จัดเวทีที่ศาลาประชาคม ผู้เข้าร่วม 28 คน "
            "ช่วงบ่ายแต่ละวงได้สรุปบทเรียนที่ผ่านมาให้ทั้งห้องฟัง\n" + NARRATED,
            "summary",
        ),
        # a headline opening 'ร่วมกัน…' over a held forum is no invitation
        (
            "ร่วมกันถอดบทเรียนกองทุนแม่ของแผ่นดินบ้านโคก\n"
            "เมื่อวันที่ 8 ม.ค. 2567 ได้จัดวงคุยที่ศาลาวัด ช่วงบ่ายแต่ละวงได้สรุปบทเรียนที่ผ่านมา\n" + NARRATED,
            "summary",
        ),
        # a Q&A page put to one person
        (
            "คุยกับประธานกลุ่มออมทรัพย์บ้านดอนแก้ว\n"
            + "".join(
                f"คำถาม ({i}) : เรื่องที่ {i} เป็นอย่างไร\nป้าสมร : ก็ค่อย ๆ ทำกันไปจ้ะ\n" for i in (1, 2, 3)
            ),
            "other",
        ),
        # an explainer of a practice
        ("ธนาคารความดี คืออะไร\n" + NARRATED, "other"),
        # an invitation to a coming forum: an upcoming date in the headline
        (
            "สถาบันการเงินชุมชนชวนสมาชิกร่วมเวทีทบทวนระเบียบ 12-13 ส.ค. นี้\n"
            "ทางสถาบันจะจัดวงคุยที่ศาลากลางบ้าน ผู้สนใจสอบถามได้ที่เหรัญญิก",
            "other",
        ),
        # a web-board post
        ("เว็บบอร์ด » ร้องทุกข์ » ไฟทางในซอยดับ\n" + NARRATED, "other"),
        # an auto-caption dump: timestamp, index and millisecond lines
        (
            "คลิปเวทีชาวบ้าน\n"
            + "".join(f"00:{i:02d}\n{i}\n{i * 1000}\nพูดคุยเรื่องกองทุน\n" for i in range(10, 16)),
            "other",
        ),
        # the writer reflects and argues rather than records
        (
            "สิบปีกับวงออมทรัพย์\nผมนั่งทบทวนงานที่ผ่านมาทั้งปี " + NARRATED + "\nท่านผู้อ่านคิดเห็นอย่างไรกับเรื่องนี้",
            "other",
        ),
        # reflection words said inside a speaker's turn are speech, not the writer arguing
        (
            "วงคุยกองทุนเงินล้านบ้านโคก\nวันที่ 4 ก.ค. 2566 ณ ศาลาวัดโคก\n"
            "นายสมบัติ ใจดี : ผมนั่งทบทวนเรื่องเงินกู้มาทั้งปี ผมคิดว่ากองทุนต้องมีบัญชีที่ทุกคนอ่านได้\n"
            "นางสาวพร ศรีสุข : ดิฉันเห็นด้วย กรรมการต้องประกาศยอดทุกเดือน",
            "transcript",
        ),
        ("", "other"),
    ],
)
def test_kind_needs_a_positive_sign_for_other(text, expected):
    assert extract(text).kind == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "อ่าน: 2210\nความเห็น: 3\nวงเล่าเรื่องกองทุนแม่ของแผ่นดิน\n" + NARRATED,
            "วงเล่าเรื่องกองทุนแม่ของแผ่นดิน",
        ),
        ("เปิดอ่าน 64 ครั้ง\nเวทีประชาคมบ้านโนนงาม\n" + NARRATED, "เวทีประชาคมบ้านโนนงาม"),
        ("2,310 views ・ 2022-04-01\nเสียงจากวงออมทรัพย์\n" + NARRATED, "เสียงจากวงออมทรัพย์"),
        (
            "ปรัชญากลุ่ม 1.ซื่อสัตย์ 2.เสียสละ 3.รับผิดชอบ\nวงคุยสัจจะออมทรัพย์บ้านหนองแค\n" + NARRATED,
            "วงคุยสัจจะออมทรัพย์บ้านหนองแค",
        ),
        # a session code before a pipe is no dateline
        (
            "S2-04 | วงคุย “ป่าชุมชนกับน้ำ : เสียงคนต้นน้ำ”\n" + NARRATED,
            "S2-04 | วงคุย “ป่าชุมชนกับน้ำ : เสียงคนต้นน้ำ”",
        ),
    ],
)
def test_title_skips_counters_and_taglines(text, expected):
    assert title(Layout(text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Skip to main content\nEnglish version\nวงคุยกองทุนเงินล้าน\n" + NARRATED, "วงคุยกองทุนเงินล้าน"),
        (
            "featuredข่าวชุมชน\nสภาองค์กรชุมชนตำบลนาดีประชุมประจำเดือน\n" + NARRATED,
            "สภาองค์กรชุมชนตำบลนาดีประชุมประจำเดือน",
        ),
        (
            "สำนักงานพัฒนาชุมชนอำเภอนาดี :: หน้าบล็อก\nชื่อบล็อก : ออมวันละบาทที่บ้านโคก\n" + NARRATED,
            "ออมวันละบาทที่บ้านโคก",
        ),
        ("หน้าแรก   ข่าวกิจกรรม\nเวทีสรุปบทเรียนกลุ่มผู้เลี้ยงโค\n" + NARRATED, "เวทีสรุปบทเรียนกลุ่มผู้เลี้ยงโค"),
        (
            "กระดานสนทนา » ถาม-ตอบ » น้ำประปาหมู่บ้านขุ่นทุกเช้าช่วงหน้าแล้ง\n"
            "น้ำประปาหมู่บ้านขุ่นทุกเช้าช่วงหน้าแล้ง\n" + NARRATED,
            "น้ำประปาหมู่บ้านขุ่นทุกเช้าช่วงหน้าแล้ง",
        ),
        # a news site's section label above the headline is chrome
        (
            "ข่าวสหกรณ์\nสหกรณ์ออมทรัพย์ครูเลยเปิดวงคุยเรื่องหนี้ครู\n" + NARRATED,
            "สหกรณ์ออมทรัพย์ครูเลยเปิดวงคุยเรื่องหนี้ครู",
        ),
        (
            "Uncategorized ข่าวอุดรธานี\nเทศบาลนาข่าชวนชาวบ้านทำแผนรับมือภัยแล้ง\n" + NARRATED,
            "เทศบาลนาข่าชวนชาวบ้านทำแผนรับมือภัยแล้ง",
        ),
        ("ข่าวท้องถิ่น  พะเยา\nอบต.บ้านตุ่นถอดบทเรียนกองทุนขยะ\n" + NARRATED, "อบต.บ้านตุ่นถอดบทเรียนกองทุนขยะ"),
        ("ข่าวเด่นข่าวกิจกรรมอบจ.\nวงเสวนาน้ำเพื่อเกษตรกรรม\n" + NARRATED, "วงเสวนาน้ำเพื่อเกษตรกรรม"),
        # a post's reading-time meta line is chrome
        (
            "- กองบรรณาธิการ / - 3 ก.ค. 2566 / - 4 min read\nวงคุยกองทุนแม่ของแผ่นดิน\n" + NARRATED,
            "วงคุยกองทุนแม่ของแผ่นดิน",
        ),
        ("เรียน ท่านอาจารย์ที่ปรึกษา\n" + NARRATED, None),  # a salutation, then prose
        ("วันพุธที่ 4 มีนาคม 2563\n" + NARRATED, None),  # only a date line before the prose
        (
            "ห้าเดือนในหมู่บ้านกับงานวิจัยเรื่องหนี้ของครัวเรือน "
            "ทีมงานได้เรียนรู้มากกว่าที่คิดไว้ตอนเขียนข้อเสนอ ขอเล่าทีละเรื่องตามลำดับเวลา\n" + NARRATED,
            None,
        ),
    ],
)
def test_title_skips_site_chrome_salutations_and_prose(text, expected):
    assert title(Layout(text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a publish stamp above the title: weekday and date alone on a line
        (
            "วันจันทร์ที่ 9 ตุลาคม พ.ศ. 2560\nสรุปเวทีสภาองค์กรชุมชน\n"
            "เมื่อวันที่ ๘ ตุลาคม ๒๕๖๐ ที่ศาลาประชาคม มีการประชุม",
            "2017-10-08",
        ),
        # a Gregorian post stamp with a clock time
        ("วันศุกร์, 6 ตุลาคม 2023 09:41\nวันที่ 4-5 ตุลาคม 2566 ทีมพี่เลี้ยงจัดวงคุยที่ศูนย์เรียนรู้", "2023-10-04"),
        (
            "8 พ.ย. 2565 เวลา 16:05 น.\nฟังข่าว\nเมื่อวันที่ 7 พฤศจิกายน 2565 ที่หอประชุมอำเภอ มีการประชุม",
            "2022-11-07",
        ),
        # the next meeting is a distractor
        (
            "ให้ทุกคนอ่านร่างก่อนประชุมนัดถัดไป วันที่ ๒ ก.ย. ๕๕\nวันที่ ๒๐ สิงหาคม ๒๕๕๕\nณ ห้องประชุมเทศบาล",
            "2012-08-20",
        ),
        # a typo in the era word
        ("วันที่12-13มีนาคม พ.. 2561\nณ ห้องประชุมโรงพยาบาลชุมชน", "2018-03-12"),
        # an as-of date is a balance, not a session
        (
            "🗓 เสาร์ 8 กพ 68\n⏰ 19.00-20.30น\n"
            "- เงินสัจจะ ณ 31 ม.ค. 68 = 250,000 บาท\n- สมาชิกใหม่ 4 คน",
            "2025-02-08",
        ),
    ],
)
def test_session_date_skips_stamps_and_distractors(text, expected):
    from analysis.extract.dates import session_dates

    assert session_dates(text)[0] == expected


def test_dates_under_the_page_footer_are_comment_stamps():
    from analysis.extract.dates import session_dates

    body = "\n".join([NARRATED] * 12)
    text = body + "\nความเห็น (1)\n1. ครูดอย เมื่อ จ. 3 ก.ค. 2549 @ 09:12\nอ่านแล้วได้ความรู้ค่ะ"
    assert session_dates(text) == (None, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a glued ที่ after a verb of holding
        (
            "เทศบาลจัดเวทีประชาคมขึ้นที่ศาลาอเนกประสงค์บ้านโคกสูง หมู่ที่ 4 เพื่อทบทวนแผน",
            "ศาลาอเนกประสงค์บ้านโคกสูง หมู่ที่ 4",
        ),
        ("พวกเรานัดกันไว้ที่ที่ทำการกลุ่มออมทรัพย์บ้านนาซึ่งอยู่กลางหมู่บ้าน", "ที่ทำการกลุ่มออมทรัพย์บ้านนา"),
        # ใช้ <place> เป็นที่ประชุม
        ("รอบนี้ใช้โรงแรมเวียงทอง จังหวัดแพร่ เป็นที่ประชุม มีผู้นำมาครบ", "โรงแรมเวียงทอง จังหวัดแพร่"),
        # the venue ends where the sentence moves on
        (
            "เมื่อวันที่ 3 มี.ค. 2565 ที่ห้องประชุมลำพูน สสจ.ลำพูน พวกเรากลับมาเขียนรายงานทันที",
            "ห้องประชุมลำพูน สสจ.ลำพูน",
        ),
        (
            "ณ โรงแรม ณ ภูเขา รีสอร์ท อำเภอเมือง จังหวัดเลย ผู้แทนกองทุนมาร่วมกว่า 90 คน",
            "โรงแรม ณ ภูเขา รีสอร์ท อำเภอเมือง จังหวัดเลย",
        ),
        # ณ opening a name is no venue; a bare place noun names no place
        ("นายณัฐพล ใจดี เล่าว่ากลุ่มเริ่มออมตั้งแต่ปีก่อน", None),
        ("ชาวบ้านไปรวมกันที่วัด ตกลงกันว่าจะห้ามจับปลา", None),
        ("ไปถึงหมู่บ้านตอนบ่าย ใช้ลานหน้าบ้านผู้ใหญ่เป็นที่ประชุม ชาวบ้านทยอยมา", "ลานหน้าบ้านผู้ใหญ่"),
        (
            "5 ก.ย. 66 09:30-12:00 น. ห้องประชุมชั้น 2 ศาลากลางจังหวัดยโสธร\nผู้ร่วม : …",
            "ห้องประชุมชั้น 2 ศาลากลางจังหวัดยโสธร",
        ),
        (
            "เมื่อวันที่ 9 มิถุนายน ที่คณะเกษตรศาสตร์ มหาวิทยาลัยอุบลราชธานี จัดวงเสวนา",
            "คณะเกษตรศาสตร์ มหาวิทยาลัยอุบลราชธานี",
        ),
        # a headline subject after the clock time is an organiser, not a place
        ("วันที่ 2 มี.ค. 2566 เวลา 10.00 น. สำนักงานเกษตรอำเภอเมือง จัดประชุม", None),
        ("ที่คณะกรรมการกองทุนเสนอมา ทุกคนเห็นด้วย", None),
    ],
)
def test_venue_as_real_pages_write_it(text, expected):
    from analysis.extract.header import venue

    assert venue(text, Layout(text))[0] == expected


def test_a_dateline_opening_the_first_paragraph_beats_a_date_inside_the_speech():
    from analysis.extract.dates import session_dates

    text = (
        "นายกเทศมนตรีแถลงผลงานต่อสภา\n\n"
        "5 ก.พ. 2566 นายสมชาย ใจงาม นายกเทศมนตรีตำบลโพธิ์ทอง ได้แถลงผลงานต่อสภาเทศบาล ดังนี้\n"
        "ท่านประธานสภาที่เคารพ คณะผู้บริหารที่ประชาชนเลือกเข้ามาเมื่อวันที่ 28 มีนาคม 2564 "
        "ได้ทำงานตามนโยบายมาครบสองปีแล้ว"
    )
    assert session_dates(text)[0] == "2023-02-05"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("มีผู้นำกลุ่ม พัฒนากร และผู้แทนธนาคาร รวมจำนวน 85 คน โดยมีนายอำเภอเป็นประธาน", 85),
        ("เวทีเปิดให้ชมสดทางเพจด้วย คนในห้องราว 70 คน ยอดชมสดกว่า 1,500 ครั้ง", 70),
        ("คนฟังนั่งเต็มศาลาวัดราว 150 คน ผู้อภิปรายสามคน", 150),
        ("วันนั้นเข้าเรียน ๙ คน ที่ห้องเรียนชั้น ๓", 9),
        ("มีสมาชิกมาร่วม 36 คน ส่วนสมาชิกทั้งหมดมี 210 คน", 36),
        ("ผู้แทนกองทุนจาก 5 อำเภอ จำนวน 140 คน เข้ารับการอบรม", 140),
        # a cue before a closing bracket belongs to another clause: the author's own team
        ("(กรรมการเครือข่ายมากัน 7 กลุ่ม) ทีมวิจัยจากมหาวิทยาลัยไปกัน 3 คน", None),
        # a non-attendance word between the cue and the number: members, not attendees
        ("ชาวบ้านมากัน 21 คน จากสมาชิกกลุ่มทั้งหมด 180 คน", 21),
        # a total closing the list of who came: 'รวมกันแล้ว'
        ("ทีมพี่เลี้ยงไป 4 คน ชาวบ้านมาเองอีกราวสิบคน รวมกันแล้วราว 15 คน นั่งล้อมวงใต้ต้นมะขาม", 15),
    ],
)
def test_head_count_among_other_numbers(text, expected):
    from analysis.extract.header import participant_count

    assert participant_count(text, Layout(text)) == expected


@pytest.mark.parametrize(
    "first_line",
    [
        "วันที่ 9 มีนาคม 2566 เวลา 09.30 น. ณ ห้องประชุม อบต.หนองบัว",
        "เมื่อวันที่ 4 สิงหาคม 2565 สำนักงานพัฒนาชุมชนอำเภอเมือง",
        "14 ก.พ. 2567 เวลา 18.00-20.00 น. กลุ่มเยาวชนชวนคุยออนไลน์",
    ],
)
def test_a_dateline_first_line_is_no_title(first_line):
    assert title(Layout(first_line + "\n" + NARRATED)) is None


def test_a_plan_announces_what_will_be_done_and_lists_points():
    text = (
        "แนวทางใหม่ของวงคุยกองทุนหมู่บ้าน\n"
        "ปีนี้วงคุยของอำเภอจะเปลี่ยนรูปแบบตามข้อต่อไปนี้\n"
        "1. ไม่มีการบรรยายช่วงเช้า\n2. ทุกวงต้องมีคนจด\n3. วงละไม่เกิน 12 คน\n"
    )
    assert extract(text).kind == "other"


def test_the_body_of_short_wrapped_lines_is_not_all_header():
    """Slide text wrapped into short lines: only the first lines can be a header block."""
    from analysis.extract.kind import body_chars

    lines = [f"บรรทัดสไลด์ที่ {i} เล่าเรื่องการออมของกลุ่ม" for i in range(40)]
    text = "\n".join(lines)
    assert body_chars(text, Layout(text)) > len("".join(lines[20:]).replace(" ", ""))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("เริ่มประชุมเวลา 19.30 น.\nประธานแจ้งเรื่องการเงิน\nปิดประชุมเวลา 21.15 น.", "19:30-21:15"),
        ("วันที่ 3 มี.ค. 2560 เวลา 09.30 ณ ศาลาวัด", None),  # a start time only
        ("เมื่อเวลา 13.30น. วันนี้ (9 ส.ค. 59) ที่ห้องประชุม", None),
        ("ลงทะเบียน 08.30-09.00 น. เปิดเวที 09.00 น.", None),  # a registration slot
        ("เวลา ๐๙.๓๐ - ๑๒.๐๐ น.", "09:30-12:00"),
    ],
)
def test_time_range_needs_both_ends_of_the_session(text, expected):
    from analysis.extract.header import time_range

    assert time_range(text) == expected


def test_online_session_has_no_venue_and_a_royal_building_date_is_no_session_date():
    from analysis.extract.dates import session_dates
    from analysis.extract.header import venue

    online = "วันที่ 5 ก.ค. 2564 ณ ห้องประชุมออนไลน์ผ่านระบบ Zoom มีครูร่วม 30 คน"
    assert venue(online, Layout(online))[0] is None
    royal = "เวทีครู ณ อาคารเฉลิมพระเกียรติ ๘๔ พรรษา ๕ ธันวาคม ๒๕๕๔ จัดขึ้นวันนี้ (9 ส.ค. 59) มีผู้เข้าร่วม ๔๐ คน"
    assert venue(royal, Layout(royal))[0] == "อาคารเฉลิมพระเกียรติ ๘๔ พรรษา ๕ ธันวาคม ๒๕๕๔"
    assert session_dates(royal)[0] == "2016-08-09"


@pytest.mark.parametrize(
    "first_line",
    ["ภาพบรรยากาศเวทีถอดบทเรียน", "ภาพ : ทีมข่าวชุมชน", "ปีที่ 4 ฉบับที่ 11 ประจำเดือนมิถุนายน 2562"],
)
def test_captions_and_issue_lines_are_no_title(first_line):
    text = first_line + "\nสรุปวงคุยกองทุนแม่ของแผ่นดิน\n" + NARRATED
    assert title(Layout(text)) == "สรุปวงคุยกองทุนแม่ของแผ่นดิน"


def test_every_lexicon_word_is_a_plain_string():
    """'ที่มา :' unquoted in a YAML flow list becomes a mapping and silently never matches."""
    from analysis.extract.lexicon import lexicon

    def lists(node):
        if isinstance(node, list):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from lists(value)

    bad = [w for words in lists(lexicon()) for w in words if not isinstance(w, (str, int))]
    assert bad == []


def test_a_bracketed_date_after_the_venue_is_not_part_of_it():
    from analysis.extract.header import venue

    text = "ณ ศาลาประชาคมอำเภอเมือง (๒ มีนาคม ๒๕๖๖) เครือข่ายออมทรัพย์จัดเวทีประจำปี"
    assert venue(text, Layout(text))[0] == "ศาลาประชาคมอำเภอเมือง"


def test_the_word_month_between_day_and_month():
    from analysis.extract.dates import session_dates

    assert session_dates("เมื่อวันที่ 7 เดือน มีนาคม พ.ศ.2566 เวลา 09.00 น. ณ หอประชุม")[0] == "2023-03-07"


def test_an_earlier_incident_date_is_no_session_date():
    from analysis.extract.dates import session_dates

    text = (
        "หลังไฟไหม้ตลาดสดเมื่อวันที่ 2 มีนาคม 2566 แม่ค้าหลายรายยังไม่มีแผงขาย\n"
        "ชาวบ้านจึงนัดกันคุยหาทางออกในวันที่ 9 มีนาคม 2566"
    )
    assert session_dates(text)[0] == "2023-03-09"


def test_a_site_bar_stamp_is_no_session_date():
    from analysis.extract.dates import session_dates

    text = (
        "องค์การบริหารส่วนตำบลนาดี | 20 ม.ค. 2566\nเปิดอ่าน 40 ครั้ง\n"
        "วันที่ 14 มกราคม พ.ศ. 2566 องค์การบริหารส่วนตำบลนาดีจัดประชุมประชาคมหมู่บ้าน"
    )
    assert session_dates(text)[0] == "2023-01-14"
