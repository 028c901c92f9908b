"""The words of the facilitator exports that `analysis.i18n` does not already hold: key → (Thai,
English). Kept beside the exports so the report can grow without touching the dashboard's table;
`t` falls back to `analysis.i18n.t` for every other key (chart titles, columns, statuses).
"""

from __future__ import annotations

from analysis import i18n

LABELS: dict[str, tuple[str, str]] = {
    # formats, as offered on the dashboard
    "format_pptx": ("PowerPoint (สไลด์แก้ไขได้)", "PowerPoint (editable slides)"),
    "format_xlsx": ("Excel (ตารางทั้งหมด)", "Excel (all tables)"),
    "format_docx": ("Word (รายงานสรุป)", "Word (summary report)"),
    "format_png": ("ภาพ PNG", "PNG image"),
    "format_pdf": ("PDF", "PDF"),
    "chart_summary": ("สรุปโครงการหนึ่งหน้า", "One-page programme summary"),
    "chart_themes_over_time_month": ("ประเด็นรายเดือน", "Themes per month"),
    # the dashboard's export panel
    "export_panel": ("ส่งออกไฟล์สำหรับคุณอำนวย (ผู้อำนวยความสะดวก)", "Export files for facilitators"),
    "export_format": ("รูปแบบไฟล์", "File format"),
    "export_chart": ("กราฟ (สำหรับ PNG/PDF)", "Chart (for PNG/PDF)"),
    "export_prepare": ("สร้างไฟล์", "Prepare the file"),
    "export_download": ("ดาวน์โหลด {name}", "Download {name}"),
    "export_progress": ("กำลังสร้าง {done}/{total}: {label}", "Building {done}/{total}: {label}"),
    "export_filters_note": (
        "ใช้ตัวกรองและการแสดงผู้พูดตามแถบด้านข้าง",
        "Uses the sidebar's filters and speaker setting",
    ),
    # report text
    "report_title": ("รายงานสรุปผลการจัดการความรู้", "Knowledge-management programme summary"),
    "deck_title": ("สรุปบทเรียนจากเวทีจัดการความรู้", "Lessons from the knowledge-management sessions"),
    "period": ("ช่วงเวลา", "Period"),
    "period_unknown": ("ไม่ทราบช่วงเวลา", "Period unknown"),
    "sessions_participants": (
        "{sessions} เวที · ผู้เข้าร่วม {participants} คน",
        "{sessions} sessions · {participants} participants",
    ),
    "participants_known": (
        "(จำนวนผู้เข้าร่วมระบุไว้ใน {known} จาก {total} เวที)",
        "(head-count stated in {known} of {total} sessions)",
    ),
    "participants_known_count": ("เวทีที่ระบุจำนวนผู้เข้าร่วม", "Sessions stating a head-count"),
    "filters_in_force": ("ตัวกรอง", "Filters"),
    "generated_on": ("จัดทำเมื่อ", "Prepared on"),
    "speakers_anonymised": (
        "แสดงผู้พูดเป็นบทบาทและหน่วยงาน ไม่แสดงชื่อ",
        "Speakers shown as role and agency, not by name",
    ),
    "followup_table": ("การติดตามข้อเสนอแนะ", "Recommendations follow-up"),
    "followup_more": (
        "แสดง {shown} จาก {total} ข้อ — ดูทั้งหมดในไฟล์ Excel",
        "Showing {shown} of {total} — the Excel workbook has them all",
    ),
    "followup_status_line": ("สถานะ: {counts}", "Status: {counts}"),
    "col_session": ("เวที", "Session"),
    "quote_from": ("— {who}", "— {who}"),
    "section_overview": ("ภาพรวมโครงการ", "The programme at a glance"),
    "section_participation": ("การเข้าร่วมของหน่วยงาน", "Participation by agency"),
    "section_time": ("จำนวนเวทีตามช่วงเวลา", "Sessions over time"),
    "section_themes": ("ประเด็นที่ถูกหยิบยก", "Themes raised"),
    "section_recommendations": ("ข้อเสนอแนะและการติดตาม", "Recommendations and follow-up"),
    "section_quotes": ("เสียงจากเวที", "Voices from the sessions"),
    "table_more": (
        "แสดง {shown} แถวแรกจาก {total} แถว — ดูทั้งหมดในไฟล์ Excel",
        "The first {shown} of {total} rows — the Excel workbook has them all",
    ),
    "figure_caption": ("ภาพที่ {n} {title}", "Figure {n}. {title}"),
    "table_caption": ("ตารางที่ {n} {title}", "Table {n}. {title}"),
    "overview_text": (
        "ช่วง{period} มีการจัดเวทีจัดการความรู้ {sessions} เวที ผู้เข้าร่วมรวม {participants} คน "
        "จาก {agencies} หน่วยงาน มีการพูดที่บันทึกไว้ {turns} ครั้ง และข้อเสนอแนะ {recommendations} ข้อ "
        "ซึ่งได้รับการดำเนินการแล้ว {acted_on} ข้อ",
        "Over {period}, {sessions} knowledge-management sessions were held with {participants} "
        "participants from {agencies} agencies; {turns} turns of speech and {recommendations} "
        "recommendations were recorded, {acted_on} of which have been acted on.",
    ),
    "acted_on_green": ("สีเขียว: ได้รับการดำเนินการ", "green: acted on"),
    "summary_item": ("ข้อมูล", "Item"),
    "summary_value": ("ค่า", "Value"),
    "no_quotes": ("ไม่มีข้อเสนอแนะที่ระบุผู้พูด", "No recommendation with a named speaker"),
    # sheet titles (workbook)
    "sheet_summary": ("สรุป", "Summary"),
    # progress steps
    "step_prepare": ("เตรียมข้อมูล", "preparing the data"),
    "step_slide": ("สไลด์", "slide"),
    "step_save": ("บันทึกไฟล์", "saving the file"),
    "step_chart_images": ("สร้างภาพกราฟ", "rendering charts"),
    "step_browser": ("เปิดเบราว์เซอร์สำหรับภาพ", "starting the browser for images"),
}


def t(key: str, lang: str = "th", **fmt) -> str:
    """The label for `key` in `lang`: this module's table first, then the dashboard's."""
    pair = LABELS.get(key)
    if pair is None:
        return i18n.t(key, lang, **fmt)
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text
