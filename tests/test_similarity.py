"""The documented similarity of recommendations (analysis.similarity), on paraphrase pairs."""

from __future__ import annotations

import pytest

from analysis.similarity import DEFAULT_THRESHOLD, group_similar, ngrams, normalise, similarity

# Paraphrases: the same proposal in other words (cue word, particles, spacing, a word or two).
PARAPHRASES = [
    ("ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น", "น่าจะทำงานร่วมกับ อบต. ตั้งแต่แรก"),
    ("อยากให้รวมเป็นเรื่องเดียว", "ไม่อยากให้แยกกันคนละเรื่องอยากให้เป็นเรื่องเดียว"),
    ("ควรเชิญปราชญ์ชาวบ้านมาเป็นวิทยากร", "น่าจะเชิญปราชญ์ชาวบ้านมาเป็นวิทยากรด้วยนะครับ"),
    ("หน่วยงานควรคุยกันให้จบก่อนลงพื้นที่", "หน่วยงานต้องคุยกันเองให้จบก่อนแล้วค่อยมาหาชาวบ้าน"),
    ("เอา KM มาจับงานที่มีอยู่แล้ว", "ควรเอา km ไปจับกับงานที่มีอยู่แล้ว"),
    ("ขอให้นัดลงพื้นที่พร้อมกันครั้งเดียว", "อยากให้หน่วยงานนัดกันลงพื้นที่ครั้งเดียว"),
    ("ต้องเข้าแผนพัฒนาตำบล", "ควรเอาเข้าแผนพัฒนาตำบลให้ได้"),
    ("ใช้ AAR ทุกครั้งหลังประชุม", "ควรใช้ AAR  ทุกครั้ง หลังการประชุม"),
]

# Different proposals that share only the topic words.
DIFFERENT = [
    ("ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น", "ควรเชิญปราชญ์ชาวบ้านมาเป็นวิทยากร"),
    ("ต้องเริ่มจากสิ่งที่ชาวบ้านทำอยู่แล้ว", "อยากให้หน่วยงานฟังชาวบ้านมากกว่าสั่งการ"),
    ("ต้องให้ อบต. ตั้งงบสนับสนุนกลุ่มออมทรัพย์", "อยากให้ อบต. เป็นเจ้าภาพเวทีครั้งต่อไป"),
    ("ไม่ควรบังคับให้ชาวบ้านทำบัญชี", "ควรถามความต้องการของชาวบ้านก่อนออกแบบโครงการ"),
    ("ควรเอาวงถอดบทเรียนไปต่อท้ายเวทีที่มีอยู่แล้ว", "น่าจะใช้ศูนย์เรียนรู้ที่มีอยู่แล้วแทนการจัดเวทีใหม่"),
    ("ควรมีปฏิทินงานร่วมของทุกหน่วยงาน", "ควรให้เยาวชนช่วยทำบัญชีกลุ่ม"),
]


@pytest.mark.parametrize("a, b", PARAPHRASES)
def test_paraphrases_reach_the_threshold(a, b):
    assert similarity(a, b) >= DEFAULT_THRESHOLD
    assert similarity(a, b) == pytest.approx(similarity(b, a))


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_different_proposals_stay_below_it(a, b):
    assert similarity(a, b) < DEFAULT_THRESHOLD


def test_normalise_removes_cues_particles_spacing_and_thai_digits():
    assert normalise("ควรทำกับ อบต. นะครับ") == "ทำกับอบต"
    assert normalise("ไม่อยากให้แยก ๒ งาน") == "แยก2งาน"
    assert normalise("KM  ต้อง ใช้") == "kmใช้"
    assert normalise("") == ""


def test_similarity_bounds():
    assert similarity("ควรทำบัญชี", "ต้องทำบัญชี") == pytest.approx(1.0)  # only the cue differs
    assert similarity("ทำบัญชี", "ปลูกผัก") == 0.0
    assert similarity("", "ทำบัญชี") == 0.0
    assert ngrams("ทำงาน") == {"ทำง": 1, "ำงา": 1, "งาน": 1}
    assert ngrams("ทำ") == {"ทำ": 1}


def test_group_similar_groups_paraphrases_and_keeps_loners_apart():
    texts = [p for pair in PARAPHRASES[:3] for p in pair] + ["ควรปลูกผักสวนครัว"]
    labels = group_similar(texts)
    assert labels == [0, 0, 1, 1, 2, 2, 3]


def test_group_similar_merges_exact_duplicates_and_is_order_stable():
    texts = ["ควรทำบัญชีครัวเรือน", "ต้องทำบัญชีครัวเรือน", "ทำบัญชี ครัวเรือน นะ", "ปลูกผัก"]
    assert group_similar(texts) == [0, 0, 0, 1]
    assert group_similar([]) == []


def test_groups_form_around_a_leader_not_a_chain():
    # b is like a and like c, but a and c are not alike: single linkage would chain all three;
    # here b (repeated, so the leader) takes both, and a text like only a stays apart.
    a, b, c = (
        "ทำบัญชีครัวเรือนทุกเดือน",
        "ทำบัญชีครัวเรือนทุกเดือนแล้วเอามาคุยกันในกลุ่มออมทรัพย์",
        "เอามาคุยกันในกลุ่มออมทรัพย์",
    )
    assert similarity(a, c) < DEFAULT_THRESHOLD <= min(similarity(a, b), similarity(b, c))
    assert group_similar([a, b, b, c]) == [0, 0, 0, 0]
    leader_first = group_similar([a, a, b, c])  # a leads: takes b, c stays out
    assert leader_first == [0, 0, 0, 1]


def test_group_similar_threshold_is_respected():
    a, b = PARAPHRASES[3]
    score = similarity(a, b)
    assert group_similar([a, b], threshold=score - 0.01) == [0, 0]
    assert group_similar([a, b], threshold=score + 0.01) == [0, 1]


def test_group_similar_groups_thousands():
    """5,000 near-repeats fall into at most as many groups as distinct recommendations (its
    speed at scale is measured by bench/dashboard.py, not here)."""
    import random

    from analysis.synthetic import RECOMMENDATIONS

    rng = random.Random(0)
    pool = [r for rs in RECOMMENDATIONS.values() for r in rs]
    texts = [rng.choice(pool) + rng.choice(["", " นะครับ", " ด้วย", " ก่อน"]) for _ in range(5000)]
    labels = group_similar(texts)
    assert len(set(labels)) <= len(pool)
