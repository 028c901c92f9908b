"""Thai/English labels as one data table, Buddhist-era date formatting, and display helpers.

Every user-visible word of the dashboard comes from `LABELS` (key → Thai, English), so the
English switch is one lookup and a missing translation is one test. Dates are stored as ISO
Gregorian and shown in the Buddhist era by default: ``format_date(date(2005, 11, 17))`` →
``'17 พ.ย. 2548'``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from analysis.extract.lexicon import lexicon

LANGS = ("th", "en")
ERAS = ("be", "ce")
BE_OFFSET = 543

# Thai month names come from the extractor's lexicon (data/lexicon.yaml), one list for reading
# and writing dates: the first form of each month is its full name, the first dotted one its
# standard abbreviation.
_MONTH_FORMS = [[str(f) for f in lexicon()["months"][m]] for m in range(1, 13)]
THAI_MONTHS_FULL = tuple(forms[0] for forms in _MONTH_FORMS)
THAI_MONTHS_ABBR = tuple(next(f for f in forms if "." in f) for forms in _MONTH_FORMS)
ENGLISH_MONTHS_ABBR = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

# key → (Thai, English). Grouped by where the words appear.
LABELS: dict[str, tuple[str, str]] = {
    # app and pages
    "app_title": ("สังเคราะห์ — สังเคราะห์บทเรียนการจัดการความรู้", "Sangkhro — KM programme synthesis"),
    "page_overview": ("ภาพรวม", "Overview"),
    "page_sessions": ("เวที", "Sessions"),
    "page_agencies": ("หน่วยงาน", "Agencies"),
    "page_themes": ("ประเด็น", "Themes"),
    "page_recommendations": ("ข้อเสนอแนะ", "Recommendations"),
    "page_import": ("นำเข้าและตรวจทาน", "Import & review"),
    "page_present": ("นำเสนอ", "Present"),
    "page_audit": ("บันทึกการใช้งาน", "Audit trail"),
    "page_users": ("ผู้ใช้", "Users"),
    # sidebar: display and filters
    "english": ("English", "English"),
    "gregorian_years": ("แสดงปี ค.ศ.", "Gregorian years (CE)"),
    "filters": ("ตัวกรอง", "Filters"),
    "filter_programme": ("โครงการ", "Programme"),
    "filter_all_programmes": ("ทุกโครงการ", "All programmes"),
    "filter_date_from": ("จัดตั้งแต่เดือน", "From month"),
    "filter_date_to": ("ถึงเดือน", "Until month"),
    "filter_fiscal_year": ("ปีงบประมาณ (ต.ค.–ก.ย.)", "Fiscal year (Oct–Sep)"),
    "filter_province": ("จังหวัด", "Province"),
    "filter_agency": ("หน่วยงาน", "Agency"),
    "filter_kind": ("ประเภทบันทึก", "Record kind"),
    "filter_theme": ("ประเด็น", "Theme"),
    "filter_reset": ("ล้างตัวกรอง", "Clear filters"),
    "filter_note": (
        "ตัวกรองอยู่ใน URL: คัดลอกลิงก์เพื่อเปิดมุมมองเดียวกัน",
        "Filters live in the URL: copy the link to share this view",
    ),
    "filter_active": ("ตัวกรองที่ใช้", "Active filters"),
    "filter_none": ("ไม่มีตัวกรอง (ทุกเวที)", "No filters (all sessions)"),
    # kinds, roles, review states, follow-up statuses
    "kind_transcript": ("บันทึกคำพูด", "Transcript"),
    "kind_summary": ("สรุปเวที", "Summary"),
    "kind_other": ("อื่น ๆ (ไม่ใช่บันทึกเวที)", "Other (not a session record)"),
    "role_community member": ("ชาวบ้าน/สมาชิกชุมชน", "Community members"),
    "role_official": ("เจ้าหน้าที่รัฐ", "Officials"),
    "role_facilitator": ("คุณอำนวย (ผู้อำนวยความสะดวก)", "Facilitators"),
    "role_chair": ("ประธาน", "Chairs"),
    "role_unknown": ("ไม่ทราบบทบาท", "Role unknown"),
    "review_unreviewed": ("ยังไม่ตรวจ", "Not reviewed"),
    "review_reviewed": ("ตรวจแล้ว", "Reviewed"),
    "status_proposed": ("เสนอ", "Proposed"),
    "status_agreed": ("เห็นชอบ", "Agreed"),
    "status_in_progress": ("กำลังดำเนินการ", "In progress"),
    "status_done": ("ดำเนินการแล้ว", "Done"),
    "status_dropped": ("ยกเลิก", "Dropped"),
    "unknown": ("ไม่ระบุ", "Not stated"),
    "no_agency": ("ไม่ระบุหน่วยงาน", "No agency"),
    # metrics
    "metric_sessions": ("เวที", "Sessions"),
    "metric_participants": ("ผู้เข้าร่วม (ตามที่ระบุ)", "Participants (as stated)"),
    "metric_agencies": ("หน่วยงาน", "Agencies"),
    "metric_recommendations": ("ข้อเสนอแนะ", "Recommendations"),
    "metric_acted_on": ("ได้รับการดำเนินการ", "acted on"),
    "metric_reviewed": ("ตรวจทานแล้ว", "Reviewed"),
    "metric_turns": ("การพูด", "Turns"),
    "metric_others": ("เอกสารอื่นที่เก็บไว้ (ไม่นับในกราฟ)", "Other texts kept (not charted)"),
    "participants_help": (
        "ผลรวมจำนวนผู้เข้าร่วมที่บันทึกระบุไว้ ({known} จาก {total} เวทีระบุจำนวน)",
        "Sum of stated head-counts ({known} of {total} sessions state one)",
    ),
    "reviewed_help": (
        "สัดส่วนเวทีที่มีผู้ตรวจทานผลการสกัดแล้ว",
        "Share of sessions whose extraction a person has reviewed",
    ),
    "acted_on_help": (
        "สถานะ เห็นชอบ / กำลังดำเนินการ / ดำเนินการแล้ว",
        "Status agreed, in progress or done",
    ),
    # chart titles
    "chart_sessions_per_month": ("จำนวนเวทีรายเดือน", "Sessions per month"),
    "chart_sessions_over_time": ("จำนวนเวทีตามช่วงเวลา", "Sessions over time"),
    "chart_sessions_per_fy": ("จำนวนเวทีตามปีงบประมาณ", "Sessions per fiscal year"),
    "chart_sessions_per_province": ("จำนวนเวทีรายจังหวัด", "Sessions per province"),
    "chart_latest_sessions": ("เวทีล่าสุด", "Latest sessions"),
    "chart_participation": ("การเข้าร่วมของหน่วยงาน", "Participation by agency"),
    "chart_share_of_voice": ("สัดส่วนการพูดของหน่วยงาน", "Share of voice by agency"),
    "chart_voice_by_role": ("สัดส่วนการพูดตามบทบาทผู้พูด", "Share of voice by speaker role"),
    "chart_agency_theme": ("หน่วยงาน × ประเด็น", "Agency × theme"),
    "chart_coattendance": ("หน่วยงานที่ร่วมเวทีเดียวกัน", "Agencies that sit together"),
    "chart_agency_trend": ("แนวโน้มการเข้าร่วมของหน่วยงาน", "Agency participation over time"),
    "chart_theme_counts": ("ประเด็นที่ถูกหยิบยก", "How often each theme is raised"),
    "chart_themes_over_time": ("ประเด็นตามช่วงเวลา", "Themes over time"),
    "chart_themes_by_agency": ("ประเด็นตามหน่วยงาน", "Themes by agency"),
    "chart_themes_by_province": ("ประเด็นตามจังหวัด", "Themes by province"),
    "chart_theme_cooccurrence": ("ประเด็นที่มาด้วยกัน", "Theme co-occurrence"),
    "chart_key_phrases": (
        "คำและวลีเด่น (พบบ่อยในบางเวที ไม่ใช่ทุกเวที)",
        "Key words and phrases (frequent in some sessions, not in all)",
    ),
    "chart_recs_by_category": ("ข้อเสนอแนะตามหมวด", "Recommendations by category"),
    "chart_recs_status": ("สถานะการติดตามข้อเสนอแนะ", "Follow-up status"),
    "no_data": ("ไม่มีข้อมูลตามตัวกรองนี้", "No data for these filters"),
    "table_view": ("ดูเป็นตาราง", "Show as a table"),
    "download_csv": ("ดาวน์โหลด CSV", "Download CSV"),
    "showing_top": ("แสดง {n} อันดับแรก", "Showing the top {n}"),
    # column headers
    "col_session_id": ("รหัสเวที", "Session id"),
    "col_programme": ("โครงการ", "Programme"),
    "col_source_name": ("ไฟล์ต้นฉบับ", "Source file"),
    "col_title": ("ชื่อเวที", "Title"),
    "col_session_date": ("วันที่จัด", "Date"),
    "col_end_date": ("วันสุดท้าย", "End date"),
    "col_fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "col_month": ("เดือน", "Month"),
    "col_time_range": ("เวลา", "Time"),
    "col_venue": ("สถานที่", "Venue"),
    "col_province": ("จังหวัด", "Province"),
    "col_participant_count": ("ผู้เข้าร่วม", "Participants"),
    "col_kind": ("ประเภท", "Kind"),
    "col_n_turns": ("การพูด", "Turns"),
    "col_n_recommendations": ("ข้อเสนอแนะ", "Recommendations"),
    "col_n_agencies": ("หน่วยงาน", "Agencies"),
    "col_agencies": ("หน่วยงาน", "Agencies"),
    "col_themes": ("ประเด็น", "Themes"),
    "col_review_state": ("การตรวจทาน", "Review"),
    "col_reviewed_by": ("ผู้ตรวจทาน", "Reviewed by"),
    "col_imported_at": ("นำเข้าเมื่อ", "Imported"),
    "col_sessions": ("จำนวนเวที", "Sessions"),
    "col_agency": ("หน่วยงาน", "Agency"),
    "col_type": ("ประเภทหน่วยงาน", "Agency type"),
    "col_turns": ("จำนวนครั้งที่พูด", "Turns"),
    "col_chars": ("จำนวนอักษรที่พูด", "Characters spoken"),
    "col_share_of_voice": ("สัดส่วนการพูด", "Share of voice"),
    "col_people": ("ผู้พูดที่ระบุชื่อ", "People present (named)"),
    "col_speaker_role": ("บทบาทผู้พูด", "Speaker role"),
    "col_theme": ("ประเด็น", "Theme"),
    "col_share": ("สัดส่วน", "Share"),
    "col_phrase": ("วลี", "Phrase"),
    "col_score": ("ความเด่น", "How distinctive"),
    "col_category": ("หมวดข้อเสนอแนะ", "Category"),
    "col_categories": ("หมวด", "Categories"),
    "col_recommendations": ("ข้อเสนอแนะ", "Recommendations"),
    "col_acted_on": ("ดำเนินการแล้ว/กำลังทำ", "Acted on"),
    "col_text": ("ข้อความ", "Text"),
    "col_quote": ("คำพูด", "Quote"),
    "col_speaker": ("ผู้พูด", "Speaker"),
    "col_status": ("สถานะ", "Status"),
    "col_owner_agency": ("หน่วยงานรับผิดชอบ", "Owner agency"),
    "col_due_date": ("กำหนดเสร็จ", "Due date"),
    "col_note": ("หมายเหตุ", "Note"),
    "col_group": ("กลุ่ม", "Group"),
    "col_size": ("จำนวนข้อ", "Size"),
    "col_n_sessions": ("จำนวนเวที", "Sessions"),
    "col_corrected_at": ("แก้เมื่อ", "Corrected at"),
    "col_corrected_by": ("ผู้แก้", "Corrected by"),
    "col_similarity": ("ความคล้าย", "Similarity"),
    "col_field": ("ช่องข้อมูล", "Field"),
    "col_value": ("ค่า", "Value"),
    "col_recommendation_id": ("รหัสข้อเสนอ", "Recommendation id"),
    "col_seq": ("ลำดับ", "No."),
    "col_other": ("หน่วยงานร่วม", "With agency"),
    # overview page
    "overview_intro": (
        "ภาพรวมเวทีจัดการความรู้ตามตัวกรองด้านซ้าย",
        "The knowledge-management sessions selected by the filters on the left",
    ),
    # sessions page
    "search": ("ค้นหาคำ (ตัดคำภาษาไทยอัตโนมัติ)", "Search words (Thai word segmentation)"),
    "search_help": (
        "พิมพ์คำหรือวลี เช่น ทำงานกับอบต — ทุกคำต้องปรากฏในเวที",
        "Type words or a phrase, e.g. ทำงานกับอบต — every word must appear in the session",
    ),
    "search_placeholder": ("เช่น ทำงานกับอบต", "e.g. ทำงานกับอบต (working with the TAO)"),
    "sessions_found": ("พบ {n} เวที", "{n} sessions found"),
    "sessions_pick": ("เลือกแถวเพื่อเปิดหน้าเวที", "Select a row to open the session"),
    "open_session": ("เปิดเวที", "Open session"),
    "back_to_list": ("กลับไปรายการเวที", "Back to the list"),
    "session_fields": ("ข้อมูลเวที", "Session fields"),
    "conversation": ("บทสนทนา", "Conversation"),
    "no_turns": ("บันทึกนี้ไม่มีการพูดที่ระบุผู้พูด", "This record has no speaker-attributed turns"),
    "highlighted_text": ("ข้อความพร้อมไฮไลต์", "Text with highlights"),
    "legend_recommendation": ("ข้อเสนอแนะ", "recommendation"),
    "legend_theme": ("คำที่บ่งชี้ประเด็น", "theme cue word"),
    "legend_agency": ("หน่วยงาน", "agency"),
    "legend_speaker": ("ผู้พูด", "speaker"),
    "raw_text": ("ข้อความต้นฉบับ", "Raw text"),
    "download_raw": ("ดาวน์โหลดข้อความต้นฉบับ", "Download the raw text"),
    "review_this": ("ตรวจทาน/แก้ไขเวทีนี้", "Review or correct this session"),
    "session_missing": (
        "ไม่พบเวทีรหัส {id} (อาจถูกลบแล้ว) — เลือกเวทีจากรายการ",
        "Session {id} was not found (it may have been deleted) — pick one from the list",
    ),
    "anonymise": (
        "แสดงผู้พูดเป็นบทบาท + หน่วยงาน (ไม่แสดงชื่อ)",
        "Show speakers as role + agency (hide names)",
    ),
    "anonymise_help": (
        "ใช้เมื่อฉายขึ้นจอหรือส่งออก เพื่อคุ้มครองข้อมูลส่วนบุคคล",
        "Use on projectors and in exports: protects personal data",
    ),
    # themes page
    "drilldown": ("ที่มาของตัวเลข: เวทีและคำพูด", "Behind the number: sessions and quotes"),
    "drilldown_pick": ("เลือกประเด็น (หรือคลิกแท่งกราฟ)", "Pick a theme (or click a bar)"),
    "drilldown_hint": (
        "คลิกแท่งใดก็ได้ในกราฟด้านบนเพื่อดูเวทีและคำพูดที่อยู่เบื้องหลัง",
        "Click any bar above to see the sessions and quotes behind it",
    ),
    "drilldown_none": ("ยังไม่ได้เลือก", "Nothing selected"),
    "time_grain": ("ช่วงเวลา", "Time grain"),
    "grain_fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "grain_month": ("รายเดือน", "Month"),
    # recommendations page
    "recs_by_category": ("ข้อเสนอแนะตามหมวด", "Recommendations by category"),
    "recs_category_pick": ("หมวด", "Category"),
    "recs_all_categories": ("ทุกหมวด", "All categories"),
    "recs_uncategorised": ("ยังไม่จัดหมวด", "Uncategorised"),
    "recs_edit_help": (
        "แก้สถานะ หน่วยงานรับผิดชอบ กำหนดเสร็จ และหมายเหตุ ได้ในตาราง แล้วกดบันทึก",
        "Edit status, owner, due date and note in the table, then press Save",
    ),
    "save": ("บันทึก", "Save"),
    "followup_edit": ("แก้ไขการติดตามข้อเสนอแนะ", "Edit a recommendation's follow-up"),
    "choose": ("เลือก…", "Choose…"),
    "saved": ("บันทึกแล้ว {n} รายการ", "Saved {n} changes"),
    "nothing_to_save": ("ไม่มีการเปลี่ยนแปลง", "Nothing changed"),
    "similar_groups": ("ข้อเสนอแนะที่คล้ายกันข้ามเวที", "Similar recommendations across sessions"),
    "similar_help": (
        "รวมข้อเสนอแนะที่ใช้ถ้อยคำคล้ายกันไว้ด้วยกัน (ไม่นับคำอย่าง ควร ต้อง)"
        " ยิ่งตั้งเกณฑ์สูง ยิ่งรวมเฉพาะข้อที่เขียนเกือบเหมือนกัน",
        "Recommendations worded alike are put together (words such as ควร 'should' are ignored);"
        " a higher threshold keeps only those written almost the same",
    ),
    "similar_threshold": ("เกณฑ์ความคล้าย", "Similarity threshold"),
    "similar_none": ("ไม่พบข้อเสนอแนะที่คล้ายกันข้ามเวที", "No similar recommendations across sessions"),
    "page_of": ("หน้า {page} จาก {pages}", "Page {page} of {pages}"),
    "page_number": ("หน้า", "Page"),
    # sign-in (pages/_auth.py) and the audit page
    "sign_in_needed": ("โปรดลงชื่อเข้าใช้เพื่อดูข้อมูล", "Sign in to see the data"),
    "sign_in": ("ลงชื่อเข้าใช้", "Sign in"),
    "sign_out": ("ออกจากระบบ", "Sign out"),
    "sign_in_email": ("อีเมล", "E-mail"),
    "sign_in_password": ("รหัสผ่าน", "Password"),
    "sign_in_no_email": (
        "ผู้ให้บริการลงชื่อเข้าใช้ไม่ได้ส่งอีเมลมา โปรดให้ผู้ดูแลเพิ่ม scope email",
        "the sign-in provider sent no e-mail address: ask the admin to request the email scope",
    ),
    "signed_in_as": ("ลงชื่อเข้าใช้: {who} · {role}", "Signed in: {who} · {role}"),
    "audit_intro": (
        "ทุกการนำเข้า แก้ไข ตรวจทาน ติดตาม สกัดใหม่ ลบ ส่งออก และเปลี่ยนสิทธิ์ พร้อมผู้ทำและเวลา"
        " (อ่านได้อย่างเดียว แก้ไขจากแอปไม่ได้)",
        "Every import, correction, review, follow-up, re-extraction, deletion, export and role"
        " change, with who and when (read only: nobody can edit it from the app)",
    ),
    "audit_action": ("การกระทำ", "Action"),
    "audit_all_actions": ("ทุกการกระทำ", "All actions"),
    "audit_user": ("อีเมลผู้ใช้", "User's e-mail"),
    "audit_since": ("ตั้งแต่วันที่", "From"),
    "audit_until": ("ถึงวันที่ (รวม)", "To (inclusive)"),
    "audit_session": ("รหัสเวที", "Session id"),
    "audit_none": ("ไม่มีรายการตามตัวกรองนี้", "No entries match these filters"),
    "audit_export": ("ส่งออก {fmt}", "Export {fmt}"),
    "users_intro": (
        "ผู้ที่ลงชื่อเข้าใช้ได้และบทบาท: ผู้ชมเห็นแดชบอร์ดแบบปิดชื่อ ผู้แก้ไขนำเข้าและแก้ไขได้"
        " ผู้ดูแลลบ สกัดใหม่ และจัดการผู้ใช้ได้ (มีผลในการกดครั้งถัดไปของผู้ใช้)",
        "Who may sign in, and their role: a viewer sees the dashboards with names masked, an"
        " editor also imports and corrects, an admin also deletes, re-extracts and manages users"
        " (a change counts on the user's next click)",
    ),
    "user_add": ("เพิ่มผู้ใช้", "Add a user"),
    "user_name": ("ชื่อ (ไม่บังคับ)", "Name (optional)"),
    "user_role": ("บทบาท", "Role"),
    "user_password_optional": (
        "รหัสผ่าน (เฉพาะบัญชีในระบบ SANGKHRO_AUTH=local)",
        "Password (only for local accounts, SANGKHRO_AUTH=local)",
    ),
    "user_change": ("แก้ไขผู้ใช้", "Change a user"),
    "user_set_role": ("เปลี่ยนบทบาท", "Change the role"),
    "user_new_password": ("รหัสผ่านใหม่", "New password"),
    "user_set_password": ("ตั้งรหัสผ่าน", "Set the password"),
    "user_remove_confirm": ("ยืนยันว่าต้องการลบผู้ใช้นี้", "I am sure: remove this user"),
    "user_remove": ("ลบผู้ใช้", "Remove the user"),
    "user_added": ("เพิ่มผู้ใช้ {email} แล้ว", "Added {email}"),
    "user_changed": ("บันทึกการเปลี่ยนแปลงของ {email} แล้ว", "Saved the change to {email}"),
    "user_removed": ("ลบผู้ใช้ {email} แล้ว", "Removed {email}"),
    "col_email": ("อีเมล", "E-mail"),
    "col_name": ("ชื่อ", "Name"),
    "col_role": ("บทบาท", "Role"),
    "col_has_password": ("มีรหัสผ่าน", "Has a password"),
    "col_locked": ("ถูกล็อก", "Locked"),
    "col_created_at": ("เพิ่มเมื่อ", "Added"),
    "col_at": ("เวลา", "Time"),
    "col_actor_email": ("ผู้ใช้", "User"),
    "col_action_label": ("การกระทำ", "Action"),
    "col_details": ("รายละเอียด", "Details"),
    # import and review page
    "import_files": ("อัปโหลดไฟล์บันทึก", "Upload record files"),
    "import_files_help": (
        "ไฟล์ .txt .docx .pdf .html หรือ .zip หลายไฟล์พร้อมกันได้",
        ".txt .docx .pdf .html or .zip files; several at once",
    ),
    "import_paste": ("หรือวางข้อความ", "Or paste text"),
    "import_paste_name": ("ชื่อเรียกข้อความที่วาง", "A name for the pasted text"),
    "import_programme": ("นำเข้าสู่โครงการ", "Import into programme"),
    "import_button": ("นำเข้า", "Import"),
    "import_progress": ("กำลังนำเข้า {done}/{total}: {name}", "Importing {done}/{total}: {name}"),
    "import_done": ("นำเข้าแล้ว {n} รายการ", "Imported {n} records"),
    "import_nothing": ("ยังไม่ได้เลือกไฟล์หรือวางข้อความ", "Choose files or paste text first"),
    "import_errors": ("นำเข้าไม่ได้ {n} ไฟล์", "{n} files could not be imported"),
    "review_queue": ("คิวรอตรวจทาน", "Review queue"),
    "review_queue_empty": ("ไม่มีบันทึกที่รอตรวจทาน", "No records are waiting for review"),
    "review_pick": ("เลือกบันทึกที่จะตรวจ", "Record to review"),
    "review_pick_placeholder": (
        "เลือกบันทึกจากคิวเพื่อเปิดตรวจทาน",
        "Pick a record from the queue to review it",
    ),
    "extraction": ("ผลการสกัดข้อมูล", "Extraction"),
    "text_with_spans": ("ข้อความพร้อมส่วนที่พบ", "Text with the found spans marked"),
    "one_per_line": ("หนึ่งรายการต่อบรรทัด", "one per line"),
    "turns_editor": ("การพูด (แก้ไข เพิ่ม หรือลบแถวได้)", "Turns (edit, add or delete rows)"),
    "save_corrections": ("บันทึกการแก้ไข", "Save corrections"),
    "corrections_saved": ("บันทึกการแก้ไขแล้ว: {fields}", "Corrections saved: {fields}"),
    "corrections_kept": ("การแก้ไขที่บันทึกไว้", "Saved corrections"),
    "mark_reviewed": ("ทำเครื่องหมายว่าตรวจแล้ว", "Mark reviewed"),
    "marked_reviewed": ("บันทึกว่าตรวจแล้ว", "Marked as reviewed"),
    "re_extract": ("สกัดข้อมูลใหม่ทั้งหมด (เก็บการแก้ไขไว้)", "Re-extract all (keeps corrections)"),
    "re_extract_progress": ("กำลังสกัดใหม่ {done}/{total}", "Re-extracting {done}/{total}"),
    "re_extract_done": ("สกัดใหม่แล้ว {n} รายการ", "Re-extracted {n} records"),
    "delete": ("ลบบันทึกนี้", "Delete this record"),
    "delete_confirm": ("ยืนยันว่าต้องการลบ (ย้อนกลับไม่ได้)", "I am sure: delete it (cannot be undone)"),
    "deleted": ("ลบบันทึก {id} แล้ว", "Deleted record {id}"),
    "invalid_date": (
        "อ่านวันที่ «{value}» ไม่ได้ — พิมพ์ วัน เดือน ปี พ.ศ. เช่น 17 พ.ย. 2565 หรือ 17/11/2565",
        "Cannot read the date «{value}» — type day, month, year, e.g. 17 Nov 2022 or 17/11/2565",
    ),
    "invalid_count": ("จำนวนผู้เข้าร่วมต้องเป็นตัวเลข", "The participant count must be a number"),
    "all_sessions": ("ทุกบันทึก", "All records"),
    "store_error": (
        "เปิดฐานข้อมูลไม่ได้: {error} — ตรวจค่า SANGKHRO_DATABASE_URL หรือลบไฟล์ data/*.db แล้วเริ่มใหม่",
        "Cannot open the store: {error} — check SANGKHRO_DATABASE_URL"
        " or remove data/*.db and restart",
    ),
    "empty_store": (
        "ยังไม่มีบันทึกเวที — นำเข้าได้ที่หน้า นำเข้าและตรวจทาน",
        "No session records yet — import some on the Import & review page",
    ),
    "loading_sample": ("กำลังนำเข้าโครงการตัวอย่าง…", "Importing the sample programme…"),
    # present page
    "slide_prev": ("◀ ก่อนหน้า", "◀ Previous"),
    "slide_next": ("ถัดไป ▶", "Next ▶"),
    "slide_of": ("สไลด์ {i} / {n}", "Slide {i} / {n}"),
    "slide_summary": ("สรุปโครงการ", "Programme at a glance"),
    "slide_quote": ("เสียงจากเวที", "Voices from the sessions"),
    # field names on the review page
    "field_kind": ("ประเภท", "Kind"),
    "field_title": ("ชื่อเรื่อง", "Title"),
    "field_session_date": ("วันที่จัด (วัน เดือน ปี)", "Date (day month year)"),
    "field_end_date": ("วันสุดท้าย (วัน เดือน ปี)", "End date (day month year)"),
    "field_time_range": ("เวลา (ชั่วโมง:นาที เช่น 09:00-12:00)", "Time (e.g. 09:00-12:00)"),
    "field_venue": ("สถานที่", "Venue"),
    "field_province": ("จังหวัด", "Province"),
    "field_participant_count": ("จำนวนผู้เข้าร่วม", "Participant count"),
    "field_agencies": ("หน่วยงาน", "Agencies"),
    "field_recommendations": ("ข้อเสนอแนะ", "Recommendations"),
    "field_themes": ("ประเด็น", "Themes"),
    "field_turns": ("การพูด", "Turns"),
    # issue 12 — present
    "slide_participants": ("ผู้เข้าร่วม", "Participants"),
    "slide_ctx_provinces": ("ใน {n} จังหวัด", "in {n} province(s)"),
    "slide_ctx_no_sessions": ("ไม่มีเวทีตามตัวกรองที่เลือก", "No sessions match the filters"),
    "slide_ctx_participants": (
        "รวมจำนวนที่ระบุไว้ใน {k} จาก {n} เวที",
        "the head-counts stated in {k} of {n} sessions",
    ),
    "slide_ctx_agencies": ("หน่วยงานที่ร่วมเวทีอย่างน้อยหนึ่งครั้ง", "took part in at least one session"),
    "slide_ctx_acted_on": ("ดำเนินการแล้ว {n} ข้อ ({pct}%)", "{n} acted on ({pct}%)"),
    "slide_ctx_no_follow_up": (
        "ยังไม่มีข้อเสนอที่บันทึกการติดตาม",
        "no follow-up recorded yet",
    ),
    "slide_note_reviewed": (
        "ตรวจทานโดยเจ้าหน้าที่แล้ว {k} จาก {n} บันทึก",
        "{k} of {n} records checked by a person",
    ),
    "slide_note_unreviewed": (
        "ตัวเลขจากการอ่านบันทึกอัตโนมัติ ยังไม่มีบันทึกที่ตรวจทาน",
        "Numbers read from the records automatically; none checked by a person yet",
    ),
    "slide_note_others": ("ไม่นับเอกสารอื่น {n} รายการ", "{n} other texts not counted"),
    "slide_jump": ("ไปที่สไลด์", "Go to slide"),
    "slide_item": ("{i}. {title}", "{i}. {title}"),
    "present_filters": ("ตัวกรอง", "Filters"),
    "present_filters_help": (
        "เปิดแถบตัวกรองชุดเดียวกับหน้าอื่น",
        "Open the same filters as on the other pages",
    ),
    "present_show_names": ("แสดงชื่อผู้พูด", "Show speakers' names"),
    "present_show_names_help": (
        "ปกติซ่อนชื่อบนจอฉาย (แสดงเป็นบทบาท + หน่วยงาน) — เปิดเมื่อผู้เข้าร่วมยินยอมแล้วเท่านั้น",
        "Names are hidden on the projector (role + agency shown) — show them only with consent",
    ),
    "present_export": ("ส่งออก", "Export"),
    "present_export_names": (
        "ไฟล์ที่ส่งออกจากหน้านี้ซ่อนชื่อผู้พูดเช่นเดียวกับสไลด์ เปิด “แสดงชื่อผู้พูด” เพื่อใส่ชื่อ",
        "Files exported here hide speakers' names as the slides do; turn on"
        " “Show speakers' names” to include them",
    ),
    "present_keys": (
        "← → หรือ PageUp/PageDown เปลี่ยนสไลด์ · Home/End สไลด์แรก/สุดท้าย · F11 เต็มจอ",
        "← → or PageUp/PageDown change slides · Home/End first/last · F11 full screen",
    ),
    # issue 12 — drill: what each axis counts, hidden records, time bins, drill-down, search
    "axis_sessions": ("จำนวนเวที (นับเวทีละ 1)", "Sessions (each counted once)"),
    "axis_sessions_attended": ("จำนวนเวทีที่เข้าร่วม", "Sessions attended"),
    "axis_theme_sessions": ("จำนวนเวทีที่หยิบยกประเด็นนี้", "Sessions raising the theme"),
    "axis_agency_attendances": (
        "จำนวนครั้งที่หน่วยงานร่วมเวทีที่หยิบยกประเด็นนี้ (เวทีเดียวนับตามจำนวนหน่วยงาน)",
        "Agency attendances at sessions raising the theme (a session counts once per agency)",
    ),
    "axis_voice_share": (
        "สัดส่วนการพูด (% ของตัวอักษรที่พูดทั้งหมด)",
        "Share of voice (% of all characters spoken)",
    ),
    "axis_recommendations": (
        "จำนวนข้อเสนอแนะ (ข้อที่อยู่สองหมวดนับในทั้งสองหมวด)",
        "Recommendations (one in two categories counts in both)",
    ),
    "distinct_sessions": ("{n} เวที", "{n} sessions"),
    "cell_themes_by_agency": (
        "ปลายแท่ง = จำนวนเวทีที่หยิบยกประเด็นนี้ (ไม่นับซ้ำ)",
        "At the bar's end: sessions raising the theme, each counted once",
    ),
    "cell_agency_theme": (
        "ตัวเลขในช่อง = จำนวนเวทีที่หน่วยงานเข้าร่วมและหยิบยกประเด็นนั้น",
        "In each cell: sessions the agency attended that raised the theme",
    ),
    "cell_coattendance": (
        "ตัวเลขในช่อง = จำนวนเวทีที่สองหน่วยงานร่วมกัน; ช่องสีเทา = เวทีที่หน่วยงานนั้นเข้าร่วมทั้งหมด",
        "In each cell: sessions both agencies attended; grey: all sessions the agency attended",
    ),
    "diagonal_coattendance": ("เวทีที่เข้าร่วมทั้งหมด", "all sessions attended"),
    "cell_theme_province": (
        "ตัวเลขในช่อง = จำนวนเวทีในจังหวัดที่หยิบยกประเด็นนั้น",
        "In each cell: sessions in the province that raised the theme",
    ),
    "cell_cooccurrence": (
        "ตัวเลขในช่อง = จำนวนเวทีที่หยิบยกทั้งสองประเด็น; ช่องสีเทา = เวทีที่หยิบยกประเด็นนั้นทั้งหมด",
        "In each cell: sessions raising both themes; grey: all sessions raising the theme",
    ),
    "diagonal_cooccurrence": ("เวทีที่หยิบยกประเด็นนี้ทั้งหมด", "all sessions raising it"),
    "chart_sessions_per_quarter": (
        "จำนวนเวทีรายไตรมาส (ปีงบประมาณ)",
        "Sessions per quarter (fiscal year)",
    ),
    "quarter_n": ("ไตรมาส {q}", "Q{q}"),
    "quarter_short": ("ไตรมาส {q}", "Q{q}"),
    "col_quarter": ("ไตรมาส", "Quarter"),
    "col_theme_sessions": ("เวทีที่หยิบยกประเด็น (ไม่นับซ้ำ)", "Sessions raising it (once each)"),
    "grain_quarter": ("รายไตรมาส", "Quarter"),
    "grain_note_quarter": (
        "รวมเป็นรายไตรมาส เพราะเกือบทุกเดือนมีเวทีเพียง 0–1 ครั้ง",
        "Shown by quarter: most months hold 0 or 1 session",
    ),
    "grain_note_fiscal_year": (
        "รวมเป็นรายปีงบประมาณ เพราะเกือบทุกไตรมาสมีเวทีเพียง 0–1 ครั้ง",
        "Shown by fiscal year: most quarters hold 0 or 1 session",
    ),
    "hidden_others": (
        "ซ่อนบันทึกที่ไม่ใช่การประชุม {n} รายการ (เช่น แผนโครงการ หนังสือเชิญ)",
        "{n} records that are not sessions are hidden (e.g. plans, invitations)",
    ),
    "hidden_others_show": ("แสดง", "Show them"),
    "shown_others": (
        "แสดงบันทึกที่ไม่ใช่การประชุม {n} รายการในรายการเวทีแล้ว (ไม่นับในกราฟ)",
        "{n} records that are not sessions are listed (not counted in the charts)",
    ),
    "shown_others_hide": ("ซ่อน", "Hide them"),
    "drill_title": ("เวทีและคำพูดเบื้องหลัง", "The sessions and quotes behind it"),
    "drill_hint": (
        "คลิกแท่ง ช่อง หรือจุดในกราฟ เพื่อดูเวทีและคำพูดเบื้องหลังตัวเลข",
        "Click a bar, cell or point to see the sessions and quotes behind the number",
    ),
    "drill_count": ("{sessions} เวที · {quotes} คำพูด", "{sessions} sessions · {quotes} quotes"),
    "drill_more": (
        "และอีก {n} เวที — ดูทั้งหมดในตารางด้านล่าง",
        "and {n} more sessions — see them all in the table below",
    ),
    "drill_more_limited": (
        "และอีก {n} เวที — ตารางด้านล่างมี {shown} เวทีล่าสุด "
        "เลือกตัวกรองให้แคบลง (เช่น ปีงบประมาณ หรือจังหวัด) เพื่อดูเวทีที่เก่ากว่า",
        "and {n} more sessions — the table below holds the newest {shown}; "
        "narrow the filters (a fiscal year, a province) to see older ones",
    ),
    "drill_no_quote": ("(ไม่พบคำพูดที่ตรงกัน)", "(no matching quote found)"),
    "drill_open_session": ("เปิดเวทีนี้", "Open this session"),
    "drill_table": ("ตารางทั้งหมด", "The whole table"),
    "drill_theme": ("ประเด็น", "Theme"),
    "drill_with_theme": ("ร่วมกับประเด็น", "Together with"),
    "drill_agency": ("หน่วยงาน", "Agency"),
    "drill_other_agency": ("ร่วมกับหน่วยงาน", "Together with"),
    "drill_province": ("จังหวัด", "Province"),
    "drill_fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "drill_month": ("เดือน", "Month"),
    "drill_quarter": ("ไตรมาส", "Quarter"),
    "drill_category": ("หมวด", "Category"),
    "search_in_context": ("คำที่พบในบริบท", "Matches in context"),
    "search_where_title": ("ชื่อเวที", "title"),
    "search_where_turn": ("คำพูด", "turn"),
    "search_where_recommendation": ("ข้อเสนอแนะ", "recommendation"),
    "search_where_agency": ("หน่วยงาน", "agency"),
    "search_no_names": (
        "ผู้ชมค้นหาด้วยชื่อบุคคลไม่ได้ เพราะชื่อถูกซ่อนไว้ ลองค้นด้วยคำอื่น",
        "Viewers cannot search for a person's name: names are hidden. Try other words.",
    ),
    "search_context_more": (
        "แสดงบริบท {shown} จาก {n} เวที — เลือกแถวในตารางเพื่อเปิดเวที",
        "Context for {shown} of {n} sessions — pick a row in the table to open one",
    ),
    # issue 12 — thai: BE month choosers, role names, review flow
    "filter_any_month": ("ทุกเดือน", "Any month"),
    "filter_dates_help": (
        "เดือนที่จัดเวที (มีบันทึก {span})",
        "The month the session was held (records span {span})",
    ),
    "field_date_help": (
        "พิมพ์ วัน เดือน ปี พ.ศ. เช่น 17 พ.ย. 2565 หรือ 17/11/2565 (ปี ค.ศ. ก็ได้)",
        "Type day, month, year, e.g. 17 Nov 2022 or 17/11/2565 (a Buddhist-era year works too)",
    ),
    "review_progress": (
        "ตรวจแล้ว {done} จาก {total} บันทึก · รอตรวจ {waiting}",
        "Reviewed {done} of {total} records · {waiting} waiting",
    ),
    "review_as": (
        "ผู้ตรวจทานคือผู้ที่ลงชื่อเข้าใช้: การแก้ไขและการตรวจทานบันทึกในชื่อ {who} โดยอัตโนมัติ ไม่ต้องพิมพ์ชื่อ",
        "The reviewer is whoever is signed in: corrections and reviews are recorded as {who}"
        " automatically; there is no name to type",
    ),
    "queue_table": ("รายการที่รอตรวจ ({n})", "Records waiting ({n})"),
    "save_next": ("บันทึกแล้วไปรายการถัดไป", "Save and next"),
    "save_next_help": (
        "บันทึกการแก้ไข ทำเครื่องหมายว่าตรวจแล้ว แล้วเปิดบันทึกถัดไปในคิว",
        "Saves the corrections, marks the record reviewed and opens the next one in the queue",
    ),
    "save_only_help": (
        "บันทึกการแก้ไขโดยยังไม่ทำเครื่องหมายว่าตรวจแล้ว",
        "Saves the corrections without marking the record reviewed",
    ),
    "reviewed_next": (
        "บันทึก {id} ตรวจแล้ว{fields} — นี่คือรายการถัดไป",
        "Record {id} reviewed{fields} — here is the next one",
    ),
    "reviewed_fields": (" (แก้ {fields})", " (corrected {fields})"),
    "review_queue_done": (
        "บันทึก {id} ตรวจแล้ว — ตรวจครบทุกบันทึกในคิวแล้ว",
        "Record {id} reviewed — every record in the queue is reviewed",
    ),
}


def t(key: str, lang: str = "th", **fmt) -> str:
    """The label for `key` in `lang` ("th" or "en"), formatted with `fmt`; the key if unknown."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def has_label(key: str) -> bool:
    return key in LABELS


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = pd.to_datetime(value, errors="coerce")
    if isinstance(value, float) or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    return value


def year_label(year: int, era: str = "be") -> int:
    """A Gregorian year as shown: 2005 → 2548 in the Buddhist era."""
    return year + BE_OFFSET if era == "be" else year


def format_date(value, lang: str = "th", era: str = "be") -> str:
    """``17 พ.ย. 2548`` (Thai, BE); ``17 Nov 2548 BE`` (English, BE); ``17 Nov 2005`` (CE).

    Empty string for a missing date.
    """
    d = _as_date(value)
    if d is None:
        return ""
    month = THAI_MONTHS_ABBR[d.month - 1] if lang == "th" else ENGLISH_MONTHS_ABBR[d.month - 1]
    suffix = " BE" if lang == "en" and era == "be" else ""
    return f"{d.day} {month} {year_label(d.year, era)}{suffix}"


def format_month(value, lang: str = "th", era: str = "be") -> str:
    """``พ.ย. 2548`` for any day in November 2005."""
    d = _as_date(value)
    if d is None:
        return ""
    month = THAI_MONTHS_ABBR[d.month - 1] if lang == "th" else ENGLISH_MONTHS_ABBR[d.month - 1]
    return f"{month} {year_label(d.year, era)}"


def format_fiscal_year(fy_be, lang: str = "th", era: str = "be") -> str:
    """A fiscal year given in BE (as `tables.fiscal_year_be` makes it): ``ปีงบฯ 2549`` / ``FY 2549``.

    With era "ce" the year is shown as its Gregorian equivalent (``FY 2006``).
    """
    if fy_be is None or pd.isna(fy_be):
        return t("unknown", lang)
    year = int(fy_be) if era == "be" else int(fy_be) - BE_OFFSET
    return f"ปีงบฯ {year}" if lang == "th" else f"FY {year}"


def format_number(value, digits: int = 0) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.{digits}f}"


def format_percent(share, digits: int = 0) -> str:
    if share is None or pd.isna(share):
        return "–"
    return f"{100 * share:.{digits}f}%"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# GFM turns bare URLs, www. names and e-mail addresses in plain text into links, escapes or not:
# an invisible WORD JOINER inside "://", after "www" and after "@" stops that.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\b[wW]{3})(?=\.)|(?<=@)")


def md_escape(text: str) -> str:
    """Escape a piece of untrusted text so Streamlit markdown shows it literally.

    Backslash-escapes every markdown punctuation character and ``<``/``>`` (so no HTML tag can
    form even though Streamlit already refuses raw HTML), puts an invisible word joiner where
    GFM would make a bare URL or e-mail address a live link, and keeps line breaks as breaks:
    ``md_escape("*ควร* [ทำ](x)")`` → ``'\\*ควร\\* \\[ทำ\\]\\(x\\)'``.
    """
    text = _AUTOLINK.sub(WORD_JOINER, text)
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")


@dataclass(frozen=True)
class Display:
    """How to show things: language ("th"/"en") and era ("be"/"ce"), for figures and tables."""

    lang: str = "th"
    era: str = "be"

    def __post_init__(self):
        if self.lang not in LANGS:
            raise ValueError(f"unknown language {self.lang!r}; use one of {LANGS}")
        if self.era not in ERAS:
            raise ValueError(f"unknown era {self.era!r}; use one of {ERAS}")

    def t(self, key: str, **fmt) -> str:
        return t(key, self.lang, **fmt)

    def date(self, value) -> str:
        return format_date(value, self.lang, self.era)

    def month(self, value) -> str:
        return format_month(value, self.lang, self.era)

    def fiscal_year(self, fy_be) -> str:
        return format_fiscal_year(fy_be, self.lang, self.era)

    def kind(self, kind: str) -> str:
        return t(f"kind_{kind}", self.lang)

    def role(self, role: str | None) -> str:
        key = f"role_{role or 'unknown'}"
        return t(key, self.lang) if has_label(key) else str(role)

    def status(self, status: str | None) -> str:
        key = f"status_{status or 'proposed'}"
        return t(key, self.lang) if has_label(key) else str(status)

    def review_state(self, state: str | None) -> str:
        return t(f"review_{state or 'unreviewed'}", self.lang)

    def column(self, name: str) -> str:
        key = f"col_{name}"
        return t(key, self.lang) if has_label(key) else str(name)


DEFAULT_DISPLAY = Display()
"""Thai labels, Buddhist-era dates: what the dashboard shows unless switched."""


# ----------------------------------------------------------------------------- issue 12 — thai
# Dates a person types (the review form) in the era they see, and times of day for the
# tables that log when something happened (corrections, the audit trail, users).

_TYPED_DATE = re.compile(
    r"(?P<d>\d{1,2})\s*(?:[/.\-]\s*(?P<mn>\d{1,2})\s*[/.\-]|\s*(?P<mw>[^\d\s/]+?)\s*)\s*"
    r"(?:พ\.\s*ศ\.|ค\.\s*ศ\.|be|ce|b\.e\.|a\.d\.)?\s*(?P<y>\d{2,4})\s*(?P<era>be|ce|b\.e\.)?",
    re.I,
)
_ISO_TYPED = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
ENGLISH_MONTHS_FULL = (
    "january february march april may june july august september october november december"
).split()


def _typed_month(word: str) -> int | None:
    from analysis.extract.dates import month_number

    word = word.strip().lower().rstrip(",")
    number = month_number(word)
    if number is not None:
        return number
    for i, (abbr, full) in enumerate(zip(ENGLISH_MONTHS_ABBR, ENGLISH_MONTHS_FULL, strict=True)):
        if word in (abbr.lower(), abbr.lower() + ".", full):
            return i + 1
    return None


def parse_date(text: str | None) -> date | None:
    """A date as a person types it, in either era: ``17 พ.ย. 2565``, ``17 พฤศจิกายน 65``,
    ``17/11/2565``, ``๑๗/๑๑/๖๕``, ``17 Nov 2022``, ``2022-11-17`` → 2022-11-17.

    A year from 2400 up is Buddhist era, a two-digit year is 25xx BE (as Thai records write it),
    1900–2399 is Gregorian. Raises ValueError when the text is not a date (None for empty text).
    """
    from analysis.text import thai_digits

    raw = re.sub(r"\s+", " ", thai_digits((text or "").strip()))
    if not raw:
        return None
    if len(raw) > 40:  # no date is written that long (and the pattern stays cheap)
        raise ValueError(f"not a date: {text[:40]!r}…")
    iso = _ISO_TYPED.fullmatch(raw)
    if iso:
        return date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
    m = _TYPED_DATE.fullmatch(raw)
    if not m:
        raise ValueError(f"not a date: {text!r}")
    month = int(m["mn"]) if m["mn"] else _typed_month(m["mw"] or "")
    if month is None:
        raise ValueError(f"not a month: {m['mw']!r}")
    year = int(m["y"])
    if year < 100:
        year += 2500
    if year >= 2400:
        year -= BE_OFFSET
    if not 1900 <= year <= 2200:
        raise ValueError(f"year out of range: {m['y']}")
    return date(year, month, int(m["d"]))


THAI_TIME = pd.Timedelta(hours=7)  # the store keeps UTC; Thailand is UTC+7 all year


def format_datetime(value, lang: str = "th", era: str = "be") -> str:
    """A moment the store noted (UTC) in Thai time: ``2026-12-06 12:33`` → ``6 ธ.ค. 2569 19:33``."""
    if value is None or value is pd.NaT:
        return ""
    stamp = pd.to_datetime(value, errors="coerce", utc=True)
    if stamp is None or pd.isna(stamp):
        return ""
    local = (stamp + THAI_TIME).tz_localize(None)
    return f"{format_date(local, lang, era)} {local:%H:%M}"
