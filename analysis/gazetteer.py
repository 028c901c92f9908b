"""Agency gazetteer: ``data/agencies.csv`` → canonical names, abbreviations and types.

The CSV is data, read once. Columns: ``id, canonical_th, abbreviations, variants, name_en, type,
parent``; ``abbreviations`` and ``variants`` are ``|``-separated; ``parent`` is the id of the body
above (a department's ministry) or empty.

Reading conventions of the data:

- A form written with a leading ``*`` (``*เกษตร``, ``*กค.``, ``*อำเภอ``) is a *list-only* form: it
  names the agency inside an agency list or a speaker's bracket, ``คุณเกรียงไกร (เกษตร)``, but is too
  ambiguous to look for in free text (a word, a month abbreviation such as ``ก.ค.``, a title such as
  ``ม.จ.``). ``resolve`` accepts it; ``surface_forms`` leaves it out and ``bare_forms_in_lists``
  lists it. A ``*`` variant equal to the canonical name makes the canonical name list-only: the
  bare name of a kind of community body (``กองทุนหมู่บ้าน``, ``กลุ่มออมทรัพย์``, ``วิสาหกิจชุมชน``)
  is mostly a topic in running text; named with its place (``กลุ่มออมทรัพย์เพื่อการผลิตบ้านหนองบัว``)
  it still resolves.
- Generic entries name a *kind* of office that a place name follows: local governments
  (``อบต.บ้านใหม่``), provincial and district offices (``สำนักงานพัฒนาชุมชนอำเภอลานสกา``) and any
  entry whose canonical name ends in an administrative unit (``โรงพยาบาลส่งเสริมสุขภาพตำบล`` →
  ``รพ.สต.บ้านนา``). Other entries take only a branch-like qualifier after the name
  (``ธ.ก.ส.สาขาท่าศาลา``, ``มหาวิทยาลัยขอนแก่น วิทยาเขตหนองคาย``).

Deliberate calls on ambiguous forms (tested in ``tests/test_gazetteer.py``):

- ``เกษตร`` alone → กรมส่งเสริมการเกษตร (the extension officer is who attends), list-only.
- ``พัฒนาชุมชน`` alone → กรมการพัฒนาชุมชน, list-only; ``พัฒนาชุมชนอำเภอ…`` → the district office.
- ``สาธารณสุข`` alone → กระทรวงสาธารณสุข, list-only; ``อนามัย`` alone → รพ.สต. (the former
  สถานีอนามัย), list-only.
- ``อำเภอ``/``จังหวัด`` alone → ที่ว่าการอำเภอ / สำนักงานจังหวัด, list-only.
- ``สช.`` → สำนักงานคณะกรรมการสุขภาพแห่งชาติ (not the private-education office); ``กพร.`` → กรมพัฒนา
  ฝีมือแรงงาน (the public-sector commission is ``สำนักงาน ก.พ.ร.``); ``ทช.`` → กรมทรัพยากรทางทะเลและ
  ชายฝั่ง; ``พ.ศ.``, ``ส.ค.`` and ``ส.ส.`` are not agencies.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

AGENCIES_CSV = Path(__file__).resolve().parent.parent / "data" / "agencies.csv"
LIST_ONLY = "*"

AGENCY_TYPES: dict[str, tuple[str, str]] = {
    "ministry": ("กระทรวง", "Ministry"),
    "government_department": ("หน่วยงานราชการ", "Government department"),
    "provincial_office": ("หน่วยงานราชการในจังหวัดและอำเภอ", "Provincial or district office"),
    "state_bank": ("ธนาคารของรัฐ", "State bank"),
    "state_enterprise": ("รัฐวิสาหกิจ", "State enterprise"),
    "public_organization": ("องค์การมหาชนและหน่วยงานของรัฐ", "Public organisation"),
    "university": ("สถาบันอุดมศึกษา", "University"),
    "local_government": ("องค์กรปกครองส่วนท้องถิ่น", "Local government"),
    "fund": ("กองทุน", "Fund"),
    "network": ("เครือข่ายและองค์กรชุมชน", "Network or community organisation"),
    "foundation": ("มูลนิธิ", "Foundation"),
    "ngo": ("องค์กรพัฒนาเอกชน", "NGO"),
    "company": ("บริษัทเอกชน", "Company"),
    "international": ("องค์การระหว่างประเทศ", "International organisation"),
    "hospital": ("สถานพยาบาล", "Hospital or health centre"),
    "school": ("สถานศึกษา", "School"),
}
UNKNOWN_TYPE = "unknown"
_UNKNOWN_LABELS = ("ไม่ทราบประเภท", "Unknown")

# Entries of these types name a kind of office; whatever follows the form is its place name.
PLACE_TAKING_TYPES = frozenset({"local_government", "provincial_office"})
# A canonical name ending in one of these also takes a place name (รพ.สต.…, สภาองค์กรชุมชนตำบล…).
ADMINISTRATIVE_UNITS = ("ตำบล", "อำเภอ", "จังหวัด", "หมู่บ้าน")
# What may follow the name of any other agency: a branch, campus, region or unit of it.
QUALIFIERS = (
    "สาขา",
    "จังหวัด",
    "อำเภอ",
    "ตำบล",
    "วิทยาเขต",
    "ภาค",
    "เขต",
    "ประจำ",
    "สำนักงาน",
    "คณะ",
    "บ้าน",
    "หมู่",
)
# Two-letter keys (``ทน``, ``มก``) match as a prefix only when written with their dot, so that
# ``ทนายความ`` is not a เทศบาลนคร.
_SHORT_KEY = 2
# Thai words that an abbreviation spells once its dots are gone (มวล. → มวล "mass", สอบ. → สอบ
# "exam"): such dotless forms are no surface forms.
_DOTLESS_WORDS = frozenset({"มวล", "มอบ", "สมอ", "สอบ", "สวก"})

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_EDGE_PUNCT = "\"'“”‘’«»,;:、·-–—"
_UNIVERSITY_PREFIXES = ("มหาวิทยาลัย", "มหาลัย")
_PAIR = re.compile(r"^(?P<name>.+?)\s*[(（](?P<inner>[^()（）]+)[)）]\s*$", re.S)


@dataclass(frozen=True)
class Agency:
    """One organisation of the gazetteer.

    >>> lookup("ธกส.").canonical
    'ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร'
    """

    id: str
    canonical: str
    abbreviation: str | None
    name_en: str | None
    type: str
    parent: str | None = None


@dataclass(frozen=True)
class _Form:
    written: str  # as in the CSV, without the list-only mark
    agency_id: str
    list_only: bool


_COMPACT_RX1 = re.compile(r"\s+")


def _compact(text: str) -> str:
    """NFC, no whitespace (NBSP included) or zero-width characters, no edge quotes or commas."""
    text = unicodedata.normalize("NFC", text or "").translate(_ZERO_WIDTH)
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # นิคหิต + สระอา, as PDFs split สระอำ
    return _COMPACT_RX1.sub("", text).strip(_EDGE_PUNCT)


def normalise_key(text: str) -> str:
    """The matching key of a name: compact, lower case, dots and ``ฯ`` dropped, university prefixes
    made one.

    >>> normalise_key("ธ.ก.ส.") == normalise_key("ธกส") == "ธกส"
    True
    >>> normalise_key("มหาวิทยาลัยวลัยลักษณ์") == normalise_key("ม. วลัยลักษณ์")
    True
    """
    key = _compact(text).lower().replace(".", "").replace("ฯ", "")
    for prefix in _UNIVERSITY_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return "ม" + key[len(prefix) :]
    return key


def _split(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Agency, ...], tuple[_Form, ...]]:
    agencies: list[Agency] = []
    forms: list[_Form] = []
    with AGENCIES_CSV.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            aid = rec["id"].strip()
            canonical = unicodedata.normalize("NFC", rec["canonical_th"].strip())
            abbreviations = _split(rec["abbreviations"])
            variants = _split(rec["variants"])
            first = abbreviations[0].lstrip(LIST_ONLY) if abbreviations else None
            agencies.append(
                Agency(
                    id=aid,
                    canonical=canonical,
                    abbreviation=first,
                    name_en=rec["name_en"].strip() or None,
                    type=rec["type"].strip(),
                    parent=rec["parent"].strip() or None,
                )
            )
            listed = [
                unicodedata.normalize("NFC", f) for f in [canonical, *abbreviations, *variants]
            ]
            list_only = {f.lstrip(LIST_ONLY) for f in listed if f.startswith(LIST_ONLY)}
            for written in dict.fromkeys(f.lstrip(LIST_ONLY) for f in listed):
                forms.append(_Form(written, aid, written in list_only))
    return tuple(agencies), tuple(forms)


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Agency]:
    return {a.id: a for a in _load()[0]}


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[_Form, ...]]:
    """Matching key → the forms that have it, in CSV order."""
    index: dict[str, list[_Form]] = {}
    for form in _load()[1]:
        key = normalise_key(form.written)
        if key and form not in index.setdefault(key, []):
            index[key].append(form)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _longest_key() -> int:
    return max(map(len, _index()))


def agencies() -> tuple[Agency, ...]:
    """Every agency of the gazetteer, in CSV order."""
    return _load()[0]


def agency(agency_id: str) -> Agency:
    """The agency with this id; ``ValueError`` for an unknown id.

    >>> agency("cdd").abbreviation
    'พช.'
    """
    try:
        return _by_id()[agency_id]
    except KeyError:
        raise ValueError(f"unknown agency id {agency_id!r} (see {AGENCIES_CSV.name})") from None


@lru_cache(maxsize=8192)
def takes_place_name(agency_id: str) -> bool:
    """Whether the entry is a generic form that a place name follows (``อบต.`` + ``บ้านใหม่``)."""
    a = agency(agency_id)
    return a.type in PLACE_TAKING_TYPES or a.canonical.endswith(ADMINISTRATIVE_UNITS)


def _accepts(form: _Form, text: str) -> bool:
    """A list-only form matches only as written, dots and all (``กค.``, ``กค`` but not the month
    ``ก.ค.``)."""
    if not form.list_only:
        return True
    compact = _compact(text).lower()
    return compact in (form.written.lower(), form.written.replace(".", "").lower())


def _exact(text: str) -> Agency | None:
    for form in _index().get(normalise_key(text), ()):
        if _accepts(form, text):
            return agency(form.agency_id)
    return None


def _prefix(text: str) -> tuple[Agency, str] | None:
    """The longest known form that starts ``text`` and may be followed by what comes after it,
    with that remainder (its matching key).

    A department's abbreviation followed by a place that is no qualifier names the department's
    provincial office, the place-taking entry whose parent it is: ``พช.น่าน`` is the
    สำนักงานพัฒนาชุมชนจังหวัด of น่าน.
    """
    key = normalise_key(text)
    compact = _compact(text)
    index = _index()
    # no form is longer than the longest key: a long run of glued words (a text without
    # spaces) is cut from there, not once per character from its end
    for cut in range(min(len(key) - 1, _longest_key()), 0, -1):
        forms = index.get(key[:cut])
        if not forms:
            continue
        rest = key[cut:]
        for form in forms:
            if cut <= _SHORT_KEY and not ("." in form.written and compact.startswith(form.written)):
                continue
            if takes_place_name(form.agency_id) or rest.startswith(QUALIFIERS):
                return agency(form.agency_id), rest
            office = _provincial_office(form.agency_id)
            if office is not None and "." in form.written and compact.startswith(form.written):
                return office, rest
            if _NUMBERED.match(rest) or rest in _province_keys():
                # a numbered unit, or the body's office in a province: 'ธ.ก.ส.ยโสธร'
                return agency(form.agency_id), rest
    return None


@lru_cache(maxsize=256)
def _provincial_office(agency_id: str) -> Agency | None:
    """The provincial office under a department (``cdd`` → ``pcdo``), if the gazetteer has one."""
    for a in agencies():
        if (
            a.parent == agency_id
            and a.type == "provincial_office"
            and a.canonical.endswith("จังหวัด")
        ):
            return a
    return None


@lru_cache(maxsize=8192)
def _match(text: str) -> tuple[Agency, str] | None:
    """The agency a written name refers to and the key of what follows its form (the place of
    a generic office, a branch qualifier), or ``None``."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if not _compact(text):
        return None
    found = _exact(text)
    if found:
        return found, ""
    pair = _PAIR.match(text)
    if pair:
        hit = _match(pair["name"]) or _match(pair["inner"])
        if hit:
            return hit
    if text.startswith(_OFFICE_OF) and len(text) > len(_OFFICE_OF) + 2:
        # 'สำนักงานเทศบาลตำบลบ้านกลาง' is the municipality itself
        hit = _match(text[len(_OFFICE_OF) :])
        if hit and hit[0].type == "local_government":
            return hit
    return _prefix(text)


_OFFICE_OF = "สำนักงาน"


def lookup(as_written: str) -> Agency | None:
    """The agency a written name refers to, or ``None``.

    Tries the whole name, then (for ``ชื่อเต็ม (ตัวย่อ)``) the name and the bracket, then a known
    form followed by a place name or a branch qualifier.

    >>> lookup("มหาวิทยาลัยวลัยลักษณ์ (มวล.)").id
    'wu'
    >>> lookup("อบต.นาเหรง").type
    'local_government'
    >>> lookup("ชมรมคนรักป่า") is None
    True
    """
    hit = _match(as_written)
    return hit[0] if hit else None


# Place words that may open the place written after a generic office (``อบต.ตำบลนาเหรง``,
# ``สสจ.จ.ลำปาง``); dropped when the canonical name already ends in that unit.
_UNIT_WORDS = {"ตำบล": ("ตำบล", "ต"), "อำเภอ": ("อำเภอ", "อ"), "จังหวัด": ("จังหวัด", "จ")}


@lru_cache(maxsize=1)
def _kinds() -> frozenset[str]:
    """Ids of entries whose canonical name is itself list-only: the name of a kind of community
    body (กองทุนหมู่บ้าน, กลุ่มออมทรัพย์เพื่อการผลิต); each one with its place is its own body."""
    forms = _load()[1]
    return frozenset(f.agency_id for f in forms if f.list_only and f.written == _canonical(f))


def _canonical(form: _Form) -> str:
    return agency(form.agency_id).canonical


@lru_cache(maxsize=1)
def _province_keys() -> frozenset[str]:
    from pythainlp.corpus.common import provinces

    return frozenset(normalise_key(p) for p in provinces())


_NUMBERED = re.compile(r"^(?:ที่)?([0-9๐-๙]+)")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _place(found: Agency, rest: str) -> str:
    """The place of a generic office as a key ('' when none): ``อบต.นาเหรง`` → ``นาเหรง``;
    of a kind of community body, its qualifier: ``กลุ่มออมทรัพย์บ้านนา`` → ``บ้านนา``. A branch
    of any other body is that body (``ธ.ก.ส.สาขาลานสกา`` is the bank)."""
    numbered = _NUMBERED.match(rest)
    if numbered:
        # a numbered unit is its own body: ศูนย์อนามัยที่ 9 and ศอ.9 are one, ศอ.1 another
        return numbered.group(1).translate(_THAI_DIGITS)
    if rest and found.id in _kinds():
        return rest
    if not rest or not takes_place_name(found.id):
        return ""
    for unit, prefixes in _UNIT_WORDS.items():
        if found.canonical.endswith(unit):
            for p in prefixes:
                if rest.startswith(p) and len(rest) > len(p) + 1:
                    return rest[len(p) :]
    return rest


# Abbreviated openings of kinds of body, written out in the canonical form of an unknown name.
_OPENINGS = (
    ("รพ.", "โรงพยาบาล"),
    ("มรภ.", "มหาวิทยาลัยราชภัฏ"),
    ("มทร.", "มหาวิทยาลัยเทคโนโลยีราชมงคล"),
    ("ม.", "มหาวิทยาลัย"),
    ("มหาลัย", "มหาวิทยาลัย"),
)


def unknown_canonical(as_written: str) -> str:
    """The canonical form of a name the gazetteer does not know: the full name of a
    ``ชื่อเต็ม (ตัวย่อ)`` pair, a written-out opening (``รพ.พะเยา`` → ``โรงพยาบาลพะเยา``), no
    trailing ``ฯ``; so that the forms of one unknown body share one canonical name and key.

    >>> unknown_canonical("รพ.เกาะคา") == unknown_canonical("โรงพยาบาลเกาะคา")
    True
    """
    text = unicodedata.normalize("NFC", as_written or "").strip()
    pair = _PAIR.match(text)
    if pair and not pair["inner"].strip().startswith("องค์การมหาชน"):
        text = pair["name"].strip()
    for short, full in _OPENINGS:
        if text.startswith(short) and len(text) > len(short) + 1 and text[len(short)] != " ":
            text = full + text[len(short) :]
            break
    return text.rstrip("ฯ").strip()


@lru_cache(maxsize=8192)
def canonical_key(as_written: str) -> str:
    """One key per organisation, for counting: every written form of one body gives the same key.

    A gazetteer body gives its id (``ธ.ก.ส.``, ``ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.)``
    and ``ธ.ก.ส.สาขาลานสกา`` → ``baac``); a generic office with its place gives id and place
    (``อบต.นาเหรง`` and ``องค์การบริหารส่วนตำบลนาเหรง`` → ``tao:นาเหรง``); a unit type without a
    place stays the type (``อบต.`` → ``tao``); an unknown name gives ``?`` and its matching key,
    the full name of a ``ชื่อเต็ม (ตัวย่อ)`` pair.

    >>> canonical_key("องค์การบริหารส่วนตำบลนาเหรง") == canonical_key("อบต.นาเหรง")
    True
    """
    hit = _match(as_written)
    if hit is None:
        return "?" + normalise_key(unknown_canonical(as_written))
    found, rest = hit
    place = _place(found, rest)
    return f"{found.id}:{place}" if place else found.id


def resolve(as_written: str) -> dict:
    """The spec's derived ``agencies_canonical`` item for one agency as written.

    A generic office written with its place resolves to that one body: its canonical name is
    the generic name followed by the place (``อบต.นาเหรง`` → ``องค์การบริหารส่วนตำบลนาเหรง``);
    written without a place it stays the type (``อบต.`` → ``องค์การบริหารส่วนตำบล``). Unknown
    names keep their own text as canonical, with ``type`` ``"unknown"``.

    >>> resolve("ธกส.")["canonical"]
    'ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร'
    >>> resolve("อบต.นาเหรง")["canonical"]
    'องค์การบริหารส่วนตำบลนาเหรง'
    >>> resolve("เกษตร")["abbreviation"]
    'กสก.'
    >>> resolve("ชมรมคนรักป่า")["type"]
    'unknown'
    """
    hit = _match(as_written)
    if hit is None:
        return {
            "as_written": as_written,
            "canonical": unknown_canonical(as_written),
            "abbreviation": None,
            "type": UNKNOWN_TYPE,
        }
    found, rest = hit
    place = _place(found, rest)
    if place.isdigit():
        place = f"ที่ {place}"
    return {
        "as_written": as_written,
        "canonical": found.canonical + place,
        "abbreviation": found.abbreviation,
        "type": found.type,
    }


def _written_variants(written: str) -> list[str]:
    """The ways one form appears in text: as listed, without its dots, with ``ม.``/``มหาลัย``."""
    out = [written]
    if "." in written:
        bare = written.replace(".", "")
        if len(normalise_key(bare)) > _SHORT_KEY and " " not in bare and bare not in _DOTLESS_WORDS:
            out.append(bare)
    if written.startswith("มหาวิทยาลัย"):
        rest = written[len("มหาวิทยาลัย") :]
        out += ["ม." + rest, "มหาลัย" + rest]
    return out


def _pairs(list_only: bool) -> list[tuple[str, str]]:
    seen: dict[str, set[str]] = {}
    for form in _load()[1]:
        if form.list_only != list_only:
            continue
        for written in _written_variants(form.written):
            if (
                not form.list_only
                and len(normalise_key(written)) <= _SHORT_KEY
                and "." not in written
            ):
                continue  # "UN", "EU": too short to find in running text
            seen.setdefault(written, set()).add(form.agency_id)
    pairs = [(w, next(iter(ids))) for w, ids in seen.items() if len(ids) == 1]
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0], p[1]))


@lru_cache(maxsize=1)
def _surface() -> tuple[tuple[str, str], ...]:
    return tuple(_pairs(list_only=False))


@lru_cache(maxsize=1)
def _bare() -> tuple[tuple[str, str], ...]:
    return tuple(_pairs(list_only=True))


def surface_forms() -> list[tuple[str, str]]:
    """``(form, agency id)`` for every form to search running text with, longest first.

    Includes dotless forms of abbreviations (``ธ.ก.ส.`` → ``ธกส``) and ``ม.``/``มหาลัย`` forms of
    university names; excludes list-only forms (see ``bare_forms_in_lists``) and dotless forms of
    two letters or fewer. A generic form (``อบต.``) is usually followed by a place name that the
    extractor extends to. Forms with a space inside are listed as written.

    >>> ("ม.วลัยลักษณ์", "wu") in surface_forms()
    True
    >>> any(form == "เกษตร" for form, _ in surface_forms())
    False
    """
    return list(_surface())


def bare_forms_in_lists() -> list[tuple[str, str]]:
    """``(form, agency id)`` for list-only forms: they count only inside an agency list or a
    speaker's bracket (``มีคุณเอื้อจาก พช. … เกษตร กศน.``, ``คุณเกรียงไกร (เกษตร)``), longest first.

    >>> ("เกษตร", "doae") in bare_forms_in_lists()
    True
    """
    return list(_bare())


def forms_of(agency_id: str) -> tuple[str, ...]:
    """Every written form of one agency (canonical name, abbreviations, variants), longest first.

    >>> forms_of("baac")[0]
    'ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร'
    """
    return _forms_by_id().get(agency_id, ())


@lru_cache(maxsize=1)
def _forms_by_id() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for form in _load()[1]:
        out.setdefault(form.agency_id, []).append(form.written)
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in out.items()}


def names() -> list[str]:
    """Every written form (canonical names, abbreviations, variants), for a word-segmentation
    dictionary."""
    return sorted({f.written for f in _load()[1]})


def agency_type_labels() -> dict[str, tuple[str, str]]:
    """Agency type → ``(Thai label, English label)``, ``unknown`` included.

    >>> agency_type_labels()["government_department"]
    ('หน่วยงานราชการ', 'Government department')
    """
    return {**AGENCY_TYPES, UNKNOWN_TYPE: _UNKNOWN_LABELS}


def type_label(agency_type: str, lang: str = "th") -> str:
    """The label of one agency type; ``ValueError`` for an unknown type or language."""
    labels = agency_type_labels()
    if agency_type not in labels:
        raise ValueError(f"unknown agency type {agency_type!r}; known: {', '.join(labels)}")
    if lang not in ("th", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'th' or 'en'")
    return labels[agency_type][0 if lang == "th" else 1]
