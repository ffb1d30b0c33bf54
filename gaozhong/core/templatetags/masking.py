"""Template filters that mask personal identifiers: ``{{ no|mask_student_no }}``, ``{{ id|mask_id_number }}``, and
``{{ text|mask_ids }}`` for free text (evidence, problems, logs, messages, audit values) that may hold one."""

from django import template

from gaozhong.core import masking

register = template.Library()
register.filter("mask_student_no", masking.mask_student_no)
register.filter("mask_id_number", masking.mask_id_number)
register.filter("mask_ids", masking.mask_ids)
