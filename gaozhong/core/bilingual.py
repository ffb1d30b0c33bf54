"""Texts written once in both languages, shown in the one the user chose.

Services, engines and jobs write many messages as "中文 (English)": the command line shows both, the tests and
users' scripts read them, and job logs keep them as written. A page shows such a text through :func:`shown`
(the ``|shown`` template filter): in Chinese, the English glosses in brackets are left out; in English, a text
that is one Chinese phrase with its gloss shows the gloss, any other text its translation from the catalog if
it has one, else the text as written (its glosses are the English there is).

A gloss is a bracketed part after Chinese text that begins with an ASCII letter and has an English word in
lower case: "(no match)", "(row 3)", "(one-vote veto: … 师德 …)"; "(GA1-TZ)", "(LB)" and "(56-65)" are codes and
numbers, kept.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language, gettext

# one bracketed part (round or full-width brackets, one level of nesting) in a text that has Chinese before it
_GLOSS = re.compile(r"\s*[（(]([A-Za-z][^()（）]*(?:\([^()（）]*\)[^()（）]*)*)[)）]")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_ONE = re.compile(r"^([^\x00-\x7f][^()（）]*?)\s*[（(]([A-Za-z][^()（）]*(?:\([^()（）]*\)[^()（）]*)*)[)）]$")
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[a-z]{2,}")


_UNITS = {"cm", "mm", "kg", "km", "ms", "min", "yuan"}


def _is_gloss(inner: str) -> bool:
    return inner.strip() not in _UNITS and bool(_ENGLISH_WORD.search(inner))


def chinese(text: str) -> str:
    """``text`` without its English glosses."""
    def drop(m: re.Match) -> str:
        return "" if _is_gloss(m.group(1)) and _CJK.search(text, 0, m.start()) else m.group(0)

    return _GLOSS.sub(drop, text)


def english(text: str) -> str:
    """``text`` for the English interface: the gloss of a one-phrase text without numbers, else the catalog's
    translation of its Chinese, else the text as written (Chinese with its English glosses)."""
    m = _ONE.match(text.strip())
    if m and _is_gloss(m.group(2)) and not any(ch.isdigit() for ch in m.group(1)):
        return m.group(2)
    zh = chinese(text)
    translated = gettext(zh)
    return translated if translated != zh else text


def shown(text) -> str:
    """``text`` in the active language (see the module's docstring). Not a string: returned as is."""
    if not isinstance(text, str):
        return text
    if (get_language() or "zh-hans").startswith("en"):
        return english(text)
    return chinese(text)


def shown_lines(text: str) -> str:
    """A multi-line text (a job's log) with :func:`shown` applied to each line."""
    return "\n".join(shown(line) for line in text.split("\n"))
