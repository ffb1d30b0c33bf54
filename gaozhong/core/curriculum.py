"""The subjects of the senior high school curriculum (普通高中课程方案, 2017年版2020年修订): code, name and whether it
is one of the six 3+1+2 选考 subjects. ``setup_city`` creates them in a fresh install, so teacher and course
imports can name them; the codes are what the engines and the demo use (``WL`` 物理 …)."""

from __future__ import annotations

SUBJECTS: list[tuple[str, str, bool]] = [
    ("YW", "语文", False), ("SX", "数学", False), ("WY", "外语", False), ("WL", "物理", True), ("HX", "化学", True),
    ("SW", "生物", True), ("ZZ", "政治", True), ("LS", "历史", True), ("DL", "地理", True), ("TY", "体育", False),
    ("XX", "信息技术", False), ("TJ", "通用技术", False), ("XL", "心理健康", False), ("YY", "音乐", False), ("MS", "美术", False),
]
