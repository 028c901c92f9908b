"""The agency gazetteer: data integrity and how written names resolve."""

from __future__ import annotations

import csv
import dataclasses

import pytest

from analysis import gazetteer
from analysis.gazetteer import AGENCIES_CSV, AGENCY_TYPES, normalise_key

COLUMNS = ["id", "canonical_th", "abbreviations", "variants", "name_en", "type", "parent"]
# Matching keys deliberately shared by two agencies, with the reason. None so far.
DOCUMENTED_SHARED_KEYS: dict[str, str] = {}
# Keys that must never name an agency in running text: era and month abbreviations, titles.
NOT_AGENCIES = [
    "พ.ศ.",
    "ค.ศ.",
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
    "ส.ส.",
    "ส.ว.",
    "ม.จ.",
    "ดร.",
    "ผศ.",
    "รศ.",
]


def _rows() -> list[dict]:
    with AGENCIES_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _forms(row: dict) -> list[str]:
    cells = [row["canonical_th"], row["abbreviations"], row["variants"]]
    return [f.strip() for cell in cells for f in cell.split("|") if f.strip()]


# ----------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    "written, agency_id",
    [
        # the seed record's bodies
        ("พช.", "cdd"),
        ("พอช.", "codi"),
        ("ธกส.", "baac"),
        ("ธ.ก.ส.", "baac"),
        ("ธกส", "baac"),
        ("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", "baac"),
        ("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.)", "baac"),
        ("ออมสิน", "gsb"),
        ("ธนาคารออมสิน", "gsb"),
        ("เกษตร", "doae"),
        ("กศน.", "nfe"),
        ("สำนักงาน กศน.", "nfe"),
        ("มวล.", "wu"),
        # university prefixes are one: มหาวิทยาลัย = มหาลัย = ม.
        ("มหาวิทยาลัยวลัยลักษณ์", "wu"),
        ("ม.วลัยลักษณ์", "wu"),
        ("ม. วลัยลักษณ์", "wu"),
        ("มหาลัยวลัยลักษณ์", "wu"),
        ("มหาวิทยาลัยวลัยลักษณ์ (มวล.)", "wu"),
        ("ม.ขอนแก่น", "kku"),
        ("ม.อ.", "psu"),
        ("มอ.", "psu"),
        ("จุฬาฯ", "chula"),
        ("จุฬาลงกรณ์มหาวิทยาลัย", "chula"),
        ("มรภ.นครศรีธรรมราช", "nstru"),
        ("มทร.ศรีวิชัย", "rusv"),
        # either part of a ชื่อเต็ม (ตัวย่อ) pair
        ("สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม (สคส.)", "kmi"),
        ("ชื่อที่ไม่รู้จัก (สคส.)", "kmi"),
        ("สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", "codi"),
        ("สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน) (พอช.)", "codi"),
        # a place name after a generic form
        ("อบต.นาเหรง", "tao"),
        ("อบต.บ้านใหม่", "tao"),
        ("องค์การบริหารส่วนตำบลท่าศาลา", "tao"),
        ("องค์การบริหารส่วนตำบลท่าศาลา (อบต.ท่าศาลา)", "tao"),
        ("เทศบาลตำบลนาเหรง", "sub_municipality"),
        ("ทต.บ้านนา", "sub_municipality"),
        ("เทศบาลนครนครศรีธรรมราช", "city_municipality"),
        ("สำนักงานพัฒนาชุมชนอำเภอลานสกา", "dcdo"),
        ("สำนักงานพัฒนาชุมชนจังหวัดนครศรีธรรมราช", "pcdo"),
        ("พัฒนาชุมชนอำเภอลานสกา", "dcdo"),
        ("รพ.สต.บ้านนา", "sdhph"),
        ("โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านนา", "sdhph"),
        ("สถานีอนามัยบ้านนา", "sdhph"),
        ("อำเภอลานสกา", "district_office"),
        ("กลุ่มออมทรัพย์เพื่อการผลิตบ้านหนองบัว", "savings_group"),
        ("เครือข่ายกองทุนหมู่บ้านตำบลหนองบัว", "village_fund_network"),
        ("กองทุนสวัสดิการชุมชนตำบลโพธิ์ศรี", "community_welfare_fund"),
        ("กองทุนหมู่บ้าน", "village_fund"),
        ("กองทุนหมู่บ้านบ้านนา", "village_fund"),
        ("กลุ่มสัจจะบ้านโพธิ์ศรี", "sajja_group"),
        ("เกษตรอำเภอท่าศาลา", "daeo"),
        # a branch or campus after a specific name
        ("ธ.ก.ส.สาขาท่าศาลา", "baac"),
        ("ธนาคารออมสินสาขาปากพนัง", "gsb"),
        ("มหาวิทยาลัยขอนแก่น วิทยาเขตหนองคาย", "kku"),
        # list-only forms, as written inside a list or a bracket
        ("พัฒนาชุมชน", "cdd"),
        ("สาธารณสุข", "moph"),
        ("กค.", "mof"),
        # spacing and invisible characters
        ("\u00a0พช.\u200b", "cdd"),
        (" ธ. ก. ส. ", "baac"),
        ("กรมการพัฒนาชุมชน", "cdd"),
        ("กรมส่งเสริมการปกครองท้องถิ่น", "dla"),
        ("สถ.", "dla"),
        ("กสส.", "cpd"),
        ("สทบ.", "vuf_office"),
        ("ส.ป.ก.", "alro"),
        ("สปสช.", "nhso"),
    ],
)
def test_resolves(written: str, agency_id: str) -> None:
    found = gazetteer.lookup(written)
    assert found is not None, written
    assert found.id == agency_id
    res = gazetteer.resolve(written)
    # a generic office written with its place resolves to that one body: name + place
    assert res["canonical"].startswith(found.canonical)
    assert res == {
        "as_written": written,
        "canonical": res["canonical"],
        "abbreviation": found.abbreviation,
        "type": found.type,
    }


@pytest.mark.parametrize(
    "written",
    [
        "ชมรมคนรักป่าบ้านนา",
        "เกษตรกร",  # farmers, not the department: list-only forms take no suffix
        "ทนายความ",  # ทน. only with its dot
        "มกราคม",
        "ทตบ้านนา",
        "ก.ค.",  # July, not the list-only กค.
        "พ.ศ.",
        "คุณเอื้อ",
        "",
    ],
)
def test_unknown(written: str) -> None:
    assert gazetteer.lookup(written) is None
    res = gazetteer.resolve(written)
    assert res == {
        "as_written": written,
        "canonical": written.strip(),
        "abbreviation": None,
        "type": "unknown",
    }


def test_unknown_keeps_its_text_stripped() -> None:
    assert gazetteer.resolve("  กลุ่มทอผ้าบ้านนา ")["canonical"] == "กลุ่มทอผ้าบ้านนา"


@pytest.mark.parametrize(
    "written, canonical, abbreviation, agency_type",
    [
        ("เกษตร", "กรมส่งเสริมการเกษตร", "กสก.", "government_department"),
        ("ธกส.", "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", "ธ.ก.ส.", "state_bank"),
        ("มวล.", "มหาวิทยาลัยวลัยลักษณ์", "มวล.", "university"),
        ("อบต.นาเหรง", "องค์การบริหารส่วนตำบลนาเหรง", "อบต.", "local_government"),
        ("อบต.", "องค์การบริหารส่วนตำบล", "อบต.", "local_government"),
        ("สสจ.ลำปาง", "สำนักงานสาธารณสุขจังหวัดลำปาง", "สสจ.", "provincial_office"),
        ("พช.น่าน", "สำนักงานพัฒนาชุมชนจังหวัดน่าน", "สพจ.", "provincial_office"),
        ("ออมสิน", "ธนาคารออมสิน", None, "state_bank"),
        ("พอช.", "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", "พอช.", "public_organization"),
    ],
)
def test_resolve_fields(written, canonical, abbreviation, agency_type) -> None:
    res = gazetteer.resolve(written)
    assert (res["canonical"], res["abbreviation"], res["type"]) == (
        canonical,
        abbreviation,
        agency_type,
    )


@pytest.mark.parametrize(
    "variants",
    [
        ["ธกส.", "ธ.ก.ส.", "ธกส", "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.)", "BAAC"],
        ["ม.วลัยลักษณ์", "มวล.", "มหาวิทยาลัยวลัยลักษณ์", "มหาลัยวลัยลักษณ์"],
        ["พอช.", "สถาบันพัฒนาองค์กรชุมชน", "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", "CODI"],
        ["อบต.นาเหรง", "องค์การบริหารส่วนตำบลนาเหรง", "อบต.ตำบลนาเหรง"],
        ["อบต.", "องค์การบริหารส่วนตำบล"],
        ["สสจ.ลำปาง", "สำนักงานสาธารณสุขจังหวัดลำปาง", "สสจ.จังหวัดลำปาง"],
        ["พช.น่าน", "สำนักงานพัฒนาชุมชนจังหวัดน่าน", "พช.จังหวัดน่าน"],
        ["อำเภอบ้านนา", "ที่ว่าการอำเภอบ้านนา"],
    ],
)
def test_equivalent_forms(variants: list[str]) -> None:
    assert len({gazetteer.resolve(v)["canonical"] for v in variants}) == 1
    assert len({gazetteer.canonical_key(v) for v in variants}) == 1


@pytest.mark.parametrize(
    "one, other",
    [
        ("อบต.นาเหรง", "อบต.บ้านใหม่"),  # two TAOs are two bodies
        ("อบต.", "อบต.นาเหรง"),  # a unit type without a place is a type, not that body
        ("เทศบาล", "เทศบาลตำบลบ้านกลาง"),
        ("สสจ.ลำปาง", "สสจ.น่าน"),
        ("ชมรมคนรักป่า", "ชมรมคนรักน้ำ"),
    ],
)
def test_distinct_bodies_keep_distinct_keys(one: str, other: str) -> None:
    assert gazetteer.canonical_key(one) != gazetteer.canonical_key(other)
    assert gazetteer.resolve(one)["canonical"] != gazetteer.resolve(other)["canonical"]


@pytest.mark.parametrize(
    "forms",
    [
        ["รพ.เกาะคา", "โรงพยาบาลเกาะคา"],
        ["มรภ.อุตรดิตถ์", "มหาวิทยาลัยราชภัฏอุตรดิตถ์"],
        ["ชมรมคนรักป่า (ชคป.)", "ชมรมคนรักป่า"],
    ],
)
def test_unknown_forms_of_one_body_share_canonical_and_key(forms: list[str]) -> None:
    assert len({gazetteer.resolve(f)["canonical"] for f in forms}) == 1
    assert len({gazetteer.canonical_key(f) for f in forms}) == 1
    assert all(gazetteer.resolve(f)["type"] == "unknown" for f in forms)


def test_unknown_pair_keys_on_its_full_name() -> None:
    assert gazetteer.canonical_key("ชมรมคนรักป่า (ชคป.)") == gazetteer.canonical_key("ชมรมคนรักป่า")


def test_ambiguous_bare_forms_are_list_only() -> None:
    bare = dict(gazetteer.bare_forms_in_lists())
    surface = dict(gazetteer.surface_forms())
    for form, agency_id in [
        ("เกษตร", "doae"),
        ("พัฒนาชุมชน", "cdd"),
        ("อำเภอ", "district_office"),
        ("กค.", "mof"),
        ("มจ.", "mju"),
        # bare names of kinds of community bodies are topics in running text
        ("กองทุนหมู่บ้าน", "village_fund"),
        ("กลุ่มออมทรัพย์", "savings_group"),
        ("กองทุนสวัสดิการชุมชน", "community_welfare_fund"),
        ("วิสาหกิจชุมชน", "community_enterprise"),
    ]:
        assert bare[form] == agency_id
        assert form not in surface
    assert surface["ออมสิน"] == "gsb"
    assert surface["เทศบาล"] == "municipality"


# ----------------------------------------------------------------------------- surface forms


def test_surface_forms_longest_first_and_unambiguous() -> None:
    forms = gazetteer.surface_forms()
    lengths = [len(f) for f, _ in forms]
    assert lengths == sorted(lengths, reverse=True)
    written = [f for f, _ in forms]
    assert len(written) == len(set(written)), "a surface form maps to two agencies"
    ids = {a.id for a in gazetteer.agencies()}
    assert all(aid in ids for _, aid in forms)


@pytest.mark.parametrize(
    "form, agency_id",
    [
        ("ธ.ก.ส.", "baac"),
        ("ธกส.", "baac"),
        ("ธกส", "baac"),
        ("ม.วลัยลักษณ์", "wu"),
        ("มวล.", "wu"),
        ("มหาลัยขอนแก่น", "kku"),
        ("ม.ขอนแก่น", "kku"),
        ("อบต.", "tao"),
        ("องค์การบริหารส่วนตำบล", "tao"),
        ("รพ.สต.", "sdhph"),
        ("กศน.", "nfe"),
        ("สคส.", "kmi"),
        ("จุฬาฯ", "chula"),
    ],
)
def test_surface_forms_include(form: str, agency_id: str) -> None:
    assert (form, agency_id) in gazetteer.surface_forms()


@pytest.mark.parametrize("form", ["เกษตร", "มวล", "สอบ", "มอบ", "UN", "EU", "พม", "มก"])
def test_surface_forms_exclude_words_and_short_dotless(form: str) -> None:
    assert form not in dict(gazetteer.surface_forms())


def test_bare_forms_sorted_and_disjoint_from_surface() -> None:
    bare = gazetteer.bare_forms_in_lists()
    assert [len(f) for f, _ in bare] == sorted((len(f) for f, _ in bare), reverse=True)
    assert not {f for f, _ in bare} & {f for f, _ in gazetteer.surface_forms()}


# ----------------------------------------------------------------------------- API


def test_agency_dataclass() -> None:
    a = gazetteer.agency("baac")
    assert (a.canonical, a.abbreviation, a.name_en, a.type) == (
        "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร",
        "ธ.ก.ส.",
        "Bank for Agriculture and Agricultural Cooperatives",
        "state_bank",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.canonical = "x"  # type: ignore[misc]


def test_unknown_agency_id_raises() -> None:
    with pytest.raises(ValueError, match="unknown agency id"):
        gazetteer.agency("no_such_agency")


def test_type_labels() -> None:
    labels = gazetteer.agency_type_labels()
    assert set(labels) == set(AGENCY_TYPES) | {"unknown"}
    assert labels["government_department"] == ("หน่วยงานราชการ", "Government department")
    assert all(th and en for th, en in labels.values())
    assert gazetteer.type_label("state_bank", "en") == "State bank"
    with pytest.raises(ValueError):
        gazetteer.type_label("bank")
    with pytest.raises(ValueError):
        gazetteer.type_label("state_bank", "fr")


def test_names_for_a_tokenizer_dictionary() -> None:
    names = gazetteer.names()
    assert "กรมการพัฒนาชุมชน" in names and "เกษตร" in names
    assert not any(n.startswith("*") for n in names)


# ----------------------------------------------------------------------------- CSV integrity


def test_csv_header_and_size() -> None:
    with AGENCIES_CSV.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS
    rows = _rows()
    assert len(rows) >= 170
    assert all(r["id"] and r["canonical_th"] for r in rows)


def test_ids_unique() -> None:
    ids = [r["id"] for r in _rows()]
    assert len(ids) == len(set(ids))


def test_types_valid() -> None:
    bad = [(r["id"], r["type"]) for r in _rows() if r["type"] not in AGENCY_TYPES]
    assert not bad


def test_parents_exist() -> None:
    rows = _rows()
    ids = {r["id"] for r in rows}
    bad = [
        (r["id"], r["parent"])
        for r in rows
        if r["parent"] and (r["parent"] not in ids or r["parent"] == r["id"])
    ]
    assert not bad
    assert all(not r["parent"] for r in rows if r["type"] == "ministry")


def test_departments_sit_under_a_ministry_or_office() -> None:
    by_id = {r["id"]: r for r in _rows()}
    for r in by_id.values():
        if r["type"] == "government_department" and r["parent"]:
            assert by_id[r["parent"]]["type"] in ("ministry", "government_department")


def test_no_key_names_two_agencies() -> None:
    owners: dict[str, set[str]] = {}
    for r in _rows():
        for form in _forms(r):
            owners.setdefault(normalise_key(form.lstrip("*")), set()).add(r["id"])
    shared = {k: v for k, v in owners.items() if len(v) > 1 and k not in DOCUMENTED_SHARED_KEYS}
    assert not shared


@pytest.mark.parametrize("written", NOT_AGENCIES)
def test_dates_and_titles_are_no_free_text_forms(written: str) -> None:
    key = normalise_key(written)
    assert all(normalise_key(f) != key for f, _ in gazetteer.surface_forms())


def test_coverage() -> None:
    rows = _rows()
    by_type: dict[str, int] = {}
    for r in rows:
        by_type[r["type"]] = by_type.get(r["type"], 0) + 1
    assert by_type["university"] >= 40
    assert by_type["ministry"] >= 20
    assert by_type["local_government"] >= 6
    ministries = {r["canonical_th"] for r in rows if r["type"] == "ministry"}
    assert {
        "กระทรวงมหาดไทย",
        "กระทรวงเกษตรและสหกรณ์",
        "กระทรวงการคลัง",
        "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
        "กระทรวงศึกษาธิการ",
        "กระทรวงสาธารณสุข",
    } <= ministries


def test_forms_are_nfc_and_trimmed() -> None:
    import unicodedata

    for r in _rows():
        for form in _forms(r):
            assert form == unicodedata.normalize("NFC", form)
        for cell in ("abbreviations", "variants"):
            assert all(p == p.strip() and p for p in r[cell].split("|")) or not r[cell]
