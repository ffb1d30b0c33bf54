"""Masking of identifiers: an ID number, and a 学籍号 that embeds one."""

from gaozhong.core.masking import mask_id_number, mask_student_no


def test_a_student_number_embedding_an_id_is_masked_where_the_id_is():
    assert mask_student_no("G14052220050101123X") == "G" + mask_id_number("14052220050101123X")
    assert mask_student_no("G14052220050101123X") == "G1405**********123X"


def test_a_student_number_without_an_id_is_shown_as_it_is():
    assert mask_student_no("S2025-0017") == "S2025-0017"
    assert mask_student_no("") == "" and mask_student_no(None) == ""
