"""The codebook: integrity, recommendation categories, themes, labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from analysis import codebook
from analysis.codebook import CODEBOOK_YAML, normalise

# ../shared beside the repository root (skipped with a reason where it is absent)
SEED_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seed"
SEED = "000_01da0c225d495bdd"
FIRST_SIX = [
    "การทำงานร่วมกับ อบต.",
    "บูรณาการงานเดิม",
    "ความต้องการของชาวบ้าน",
    "ความสมัครใจ",
    "กระบวนการเรียนรู้ที่สนุก",
    "ผู้รู้และภูมิปัญญาชาวบ้าน",
]
REQUIRED_CATEGORIES = {
    "work_through_tao",
    "integrate_km_into_existing_work",
    "respond_to_villagers_needs",
    "voluntary_participation",
    "local_wisdom",
    "local_plans_and_budgets",
    "simple_enjoyable_process",
}


def _raw() -> dict:
    with CODEBOOK_YAML.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# ----------------------------------------------------------------------------- integrity


def test_sections_and_sizes() -> None:
    raw = _raw()
    assert len(raw["themes"]) >= 18
    assert len(raw["recommendation_categories"]) >= len(REQUIRED_CATEGORIES) + 6


@pytest.mark.parametrize("section", ["themes", "recommendation_categories"])
def test_entries_complete_and_unique(section: str) -> None:
    items = _raw()[section]
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids))
    for item in items:
        assert item["id"] and item["label_th"] and item["label_en"], item
        assert item["cues"], item["id"]
        assert all(isinstance(c, str) and normalise(c) for c in item["cues"]), item["id"]
        assert all(normalise(c) for c in item.get("not_within") or []), item["id"]
    labels = [i["label_th"] for i in items]
    assert len(labels) == len(set(labels))


def test_first_six_themes() -> None:
    assert [t["label_th"] for t in codebook.themes()[:6]] == FIRST_SIX


def test_required_categories() -> None:
    assert REQUIRED_CATEGORIES <= set(codebook.category_ids())


def test_category_themes_exist() -> None:
    theme_labels = {t["label_th"] for t in codebook.themes()}
    for cat in codebook.categories():
        assert cat["theme_id"] in codebook.theme_ids()
        assert cat["theme"] in theme_labels


def test_accessors_return_copies() -> None:
    first = codebook.themes()
    first[0]["cues"].append("xyz")
    first[0]["label_th"] = "changed"
    assert codebook.themes()[0]["label_th"] == FIRST_SIX[0]
    assert "xyz" not in codebook.themes()[0]["cues"]
    assert codebook.themes()[0]["label"] == FIRST_SIX[0]


# ----------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ทำกับ อบต. ก่อน", "ทำกับอบต.ก่อน"),
        ("ทำกับ\u00a0\u00a0อบต.\u200bก่อน", "ทำกับอบต.ก่อน"),
        ("ใช้ AAR  BAR", "ใช้aar bar"),
        ("เอา KM มา", "เอาkmมา"),
        ("ง่าย ๆ", "ง่ายๆ"),
        ("น\u0e4d\u0e32", "นำ"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


# ----------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    "recommendation, expected",
    [
        ("ไม่ต้องไปบังคับจิตใจ", ["voluntary_participation"]),
        ("ต้องให้เขาเต็มใจ", ["voluntary_participation"]),
        ("ขอให้เปิดรับสมาชิกแบบสมัครใจ", ["voluntary_participation"]),
        ("ผมว่าเราน่าจะลองทำกับ อบต. ก่อน", ["work_through_tao"]),
        ("ควรทำงานร่วมกับองค์กรปกครองส่วนท้องถิ่น", ["work_through_tao"]),
        ("อยากให้รวมเป็นเรื่องเดียว", ["integrate_km_into_existing_work"]),
        ("ไม่ต้องเพิ่มงาน", ["integrate_km_into_existing_work"]),
        ("เอา KM มาจับงานที่มีอยู่แล้ว", ["integrate_km_into_existing_work"]),
        ("ควรถามความต้องการของชาวบ้านก่อน", ["respond_to_villagers_needs"]),
        ("อยากให้ทำตามความต้องการของชุมชน", ["respond_to_villagers_needs"]),
        ("ควรเชิญปราชญ์ชาวบ้านมาเป็นวิทยากร", ["local_wisdom"]),
        ("ควรเชิญปราชญ์ท้องถิ่นมาเล่า", ["local_wisdom"]),  # not local government
        ("น่าจะใส่ในแผนพัฒนาตำบล", ["local_plans_and_budgets"]),
        ("ต้องให้ อบต. ตั้งงบ", ["work_through_tao", "local_plans_and_budgets"]),
        ("ควรทำให้สนุก มีเกมคลายเครียด", ["simple_enjoyable_process"]),
        ("ควรจัดอบรมพัฒนาศักยภาพกรรมการ", ["capacity_building"]),
        ("ต้องติดตามผลทุกเดือน", ["follow_up_and_monitoring"]),
        ("สิ่งที่จะนำกลับไปทำ: ใช้ AAR ทุกครั้งหลังประชุม", ["follow_up_and_monitoring"]),
        ("ควรพาไปศึกษาดูงานกลุ่มที่เข้มแข็ง", ["network_and_exchange"]),
        ("อยากให้เยาวชนเข้ามาสืบทอดกลุ่ม", ["youth_and_succession"]),
        ("ต้องทำบัญชีครัวเรือนทุกวัน", ["financial_discipline"]),
        ("ควรกู้เงินจากออมสิน", []),  # the bank, not saving
        ("หน่วยงานที่เกี่ยวข้องควรประสานงานกัน", ["coordinate_agencies"]),
        ("ควรเผยแพร่ผ่านบล็อก", ["documentation_and_sharing"]),
        ("ควรหาตลาดให้ผลิตภัณฑ์ของกลุ่ม", ["livelihood_and_market"]),
        ("ต้องมีข้อบังคับกลุ่มที่ชัดเจน", ["group_governance"]),  # a regulation, not coercion
        ("อยากให้ชาวบ้านมีส่วนร่วมตั้งแต่ต้น", ["community_participation"]),
        ("ควรตั้งกองทุนสวัสดิการดูแลผู้สูงอายุ", ["community_welfare", "health_and_care"]),
        ("มติที่ประชุมให้จัดเวทีเดือนหน้า", []),
        ("", []),
    ],
)
def test_categorise(recommendation: str, expected: list[str]) -> None:
    assert codebook.categorise_recommendation(recommendation) == expected


@pytest.mark.parametrize("text", ["ผมต้องการเงินกู้", "ต้องทำให้เสร็จ", "เขาต้องไปก่อน", "ความต้องการสูง"])
def test_want_is_no_need_category(text: str) -> None:
    assert "respond_to_villagers_needs" not in codebook.categorise_recommendation(text)


def test_latin_cues_are_whole_words() -> None:
    assert "follow_up_and_monitoring" not in codebook.categorise_recommendation("ไปที่ bazaar กัน")
    assert "follow_up_and_monitoring" in codebook.categorise_recommendation("ทำ AAR ทุกครั้ง")
    assert "km_tools" not in codebook.theme_scores("copy ไฟล์")


# ----------------------------------------------------------------------------- themes


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("วันนี้ฝนตก", []),
        ("ทำกับ อบต.", ["การทำงานร่วมกับ อบต."]),
        ("ชาวบ้านมาด้วยความสมัครใจ เล่นเกมกันสนุก", ["กระบวนการเรียนรู้ที่สนุก", "ความสมัครใจ"]),
        ("ปราชญ์ชาวบ้านเล่าเรื่องภูมิปัญญาท้องถิ่น", ["ผู้รู้และภูมิปัญญาชาวบ้าน"]),
        ("สมาชิกทำบัญชีครัวเรือนเพื่อลดหนี้นอกระบบ", ["บัญชีครัวเรือน", "หนี้สินครัวเรือน"]),
        ("กองทุนหมู่บ้านกับกลุ่มออมทรัพย์ร่วมกันจัดสวัสดิการชุมชน", ["กองทุนหมู่บ้าน", "กลุ่มออมทรัพย์", "สวัสดิการชุมชน"]),
    ],
)
def test_find_themes_small_texts(text: str, expected: list[str]) -> None:
    assert codebook.find_themes(text) == expected


def test_themes_ranked_by_evidence_then_codebook_order() -> None:
    text = "สนุก สนุก สนุก อบต. สมัครใจ ผู้รู้"
    assert codebook.find_themes(text) == [
        "กระบวนการเรียนรู้ที่สนุก",
        "การทำงานร่วมกับ อบต.",
        "ความสมัครใจ",
        "ผู้รู้และภูมิปัญญาชาวบ้าน",
    ]
    assert codebook.theme_scores(text)["enjoyable_learning"] == 3


def test_overlapping_cues_count_once() -> None:
    assert codebook.theme_scores("ทำตามความต้องการของชาวบ้าน") == {"villagers_needs": 1}


def test_max_themes() -> None:
    text = "อบต. บูรณาการ ความต้องการของชาวบ้าน สมัครใจ สนุก ผู้รู้ กองทุนหมู่บ้าน กลุ่มออมทรัพย์ บัญชีครัวเรือน หนี้สิน"
    assert len(codebook.find_themes(text)) == 6
    assert len(codebook.find_themes(text, max_themes=3)) == 3
    assert codebook.find_themes(text, max_themes=0) == []
    with pytest.raises(ValueError):
        codebook.find_themes(text, max_themes=-1)


def _seed() -> tuple[str, dict]:
    txt, js = SEED_DIR / f"{SEED}.txt", SEED_DIR / f"{SEED}.json"
    if not (txt.exists() and js.exists()):
        pytest.skip("seed record not present")
    return txt.read_text(encoding="utf-8"), json.loads(js.read_text(encoding="utf-8"))


def test_seed_themes() -> None:
    text, expected = _seed()
    found = codebook.find_themes(text)
    assert sorted(found) == sorted(expected["themes"])
    assert sorted(found) == sorted(FIRST_SIX)


def test_seed_recommendation_categories() -> None:
    _, expected = _seed()
    got = [codebook.categorise_recommendation(r) for r in expected["recommendations"]]
    assert got == expected["recommendation_categories"]


# ----------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "key, lang, expected",
    [
        ("tao_collaboration", "th", "การทำงานร่วมกับ อบต."),
        ("voluntary_participation", "en", "Voluntary participation"),
        ("ความสมัครใจ", "en", "Voluntary participation"),
        ("Voluntary participation", "th", "ความสมัครใจ"),
    ],
)
def test_theme_label(key: str, lang: str, expected: str) -> None:
    assert codebook.theme_label(key, lang) == expected


def test_category_label() -> None:
    assert codebook.category_label("work_through_tao") == "ทำงานผ่าน อบต./ท้องถิ่น"
    assert (
        codebook.category_label("work_through_tao", "en")
        == "Work through the TAO / local government"
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: codebook.theme_label("no_such_theme"),
        lambda: codebook.theme_label("tao_collaboration", "fr"),
        lambda: codebook.category_label("no_such_category"),
        lambda: codebook.category_label("work_through_tao", "de"),
    ],
)
def test_unknown_names_raise(call) -> None:
    with pytest.raises(ValueError, match="unknown"):
        call()
