"""Simple SVG bar and line charts for the 通报 file (PDF and standalone HTML), drawn without a browser.

The web pages draw the same series with ECharts; the report file cannot run JavaScript, so these functions write
the SVG text directly: axes with rounded ticks, bars (stacked or grouped), lines with points, an optional
dashed target line and a dashed projection segment. Text uses the Noto CJK font that WeasyPrint finds on the
system.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["Series", "bar_chart", "line_chart", "nice_ticks", "PALETTE"]

PALETTE = ["#1d5fa8", "#e8a33d", "#b3261e", "#2e7d4f", "#7b5ea7", "#5f6b7a"]
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str | None = None


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _num(v: float) -> str:
    if abs(v) >= 10000:
        return f"{v / 10000:g}万"
    return f"{v:g}" if abs(v - round(v)) > 1e-9 else f"{int(round(v))}"


class _Canvas:
    def __init__(self, width: int, height: int, title: str):
        self.w, self.h = width, height
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}">',
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        ]
        if title:
            self.text(width / 2, 18, title, size=13, anchor="middle", weight="bold")

    def text(self, x, y, s, *, size=10, anchor="start", color="#1f2933", weight="normal", rotate=None):
        tr = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}" font-weight="{weight}"{tr}>{escape(str(s))}</text>')

    def line(self, x1, y1, x2, y2, color="#d9e2ec", width=1, dash=None):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" stroke-width="{width}"{d}/>')

    def rect(self, x, y, w, h, color):
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" fill="{color}"/>')

    def svg(self) -> str:
        return "".join(self.parts) + "</svg>"


def _frame(c: _Canvas, categories, lo, hi, left, right, top, bottom, unit):
    ticks = nice_ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    plot_h = c.h - top - bottom

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    for t in ticks:
        y = y_of(t)
        c.line(left, y, c.w - right, y)
        c.text(left - 4, y + 3.5, _num(t), anchor="end", size=9, color="#616e7c")
    if unit:
        c.text(left - 4, top - 8, unit, anchor="end", size=9, color="#616e7c")
    c.line(left, top + plot_h, c.w - right, top + plot_h, color="#616e7c")
    n = max(1, len(categories))
    band = (c.w - left - right) / n
    long_labels = any(len(str(x)) > max(2, int(band / 11)) for x in categories)
    for i, cat in enumerate(categories):
        x = left + band * (i + 0.5)
        if long_labels:
            c.text(x, top + plot_h + 10, cat, size=9, anchor="end", rotate=-35)
        else:
            c.text(x, top + plot_h + 14, cat, size=9, anchor="middle")
    return y_of, band


def _legend(c: _Canvas, series: Sequence[Series], y: float, extra: Sequence[tuple[str, str, bool]] = ()):
    x = 50.0
    items = [(s.name, s.color or PALETTE[i % len(PALETTE)], False) for i, s in enumerate(series)] + list(extra)
    for name, color, dashed in items:
        if dashed:
            c.line(x, y - 3.5, x + 14, y - 3.5, color=color, width=2, dash="4 3")
        else:
            c.rect(x, y - 8, 12, 9, color)
        c.text(x + 17, y, name, size=9)
        x += 30 + 9.5 * len(name)


def bar_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, stacked: bool = False,
              target: float | None = None, target_label: str = "目标", unit: str = "", width: int = 640, height: int = 280) -> str:
    """Bars per category: one bar per series side by side, or stacked; an optional dashed target line."""
    c = _Canvas(width, height, title)
    left, right, top = 56, 16, 40
    long_labels = any(len(str(x)) > 4 for x in categories) and len(categories) > 6
    bottom = 78 if long_labels else 44
    vals = []
    if stacked:
        for i in range(len(categories)):
            vals.append(sum((s.values[i] or 0) for s in series))
    else:
        vals = [v for s in series for v in s.values if v is not None]
    hi = max([0.0, *vals, *( [target] if target is not None else [] )])
    lo = min([0.0, *vals])
    y_of, band = _frame(c, categories, lo, hi if hi > lo else lo + 1, left, right, top, bottom, unit)
    for i in range(len(categories)):
        x0 = left + band * i + band * 0.15
        bw = band * 0.7
        if stacked:
            base = 0.0
            for k, s in enumerate(series):
                v = s.values[i] or 0
                if v:
                    c.rect(x0, y_of(base + v), bw, y_of(base) - y_of(base + v), s.color or PALETTE[k % len(PALETTE)])
                base += v
        else:
            w = bw / max(1, len(series))
            for k, s in enumerate(series):
                v = s.values[i]
                if v is None:
                    continue
                y0, y1 = y_of(max(v, 0)), y_of(min(v, 0))
                c.rect(x0 + k * w, y0, w * 0.92, y1 - y0, s.color or PALETTE[k % len(PALETTE)])
    extra = []
    if target is not None:
        y = y_of(target)
        c.line(left, y, width - right, y, color="#b3261e", width=1.5, dash="5 4")
        extra.append((f"{target_label} {_num(target)}", "#b3261e", True))
    if len(series) > 1 or extra:
        _legend(c, series if len(series) > 1 else [], height - 6, extra)
    return c.svg()


def line_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, target: float | None = None,
               projection: tuple[int, float, int, float] | None = None, unit: str = "", width: int = 640, height: int = 260) -> str:
    """Lines with points over ``categories`` (years); ``projection`` = (from index, from value, to index, to value)
    is drawn dashed, and may reach past the last category (the deadline year)."""
    c = _Canvas(width, height, title)
    left, right, top, bottom = 56, 16, 40, 44
    cats = list(categories)
    if projection is not None and projection[2] >= len(cats):
        last = cats[-1]
        try:
            base = int(str(last)[:4])
            dashed = "-" in str(last)
            cats += [f"{base + k}-{base + k + 1}" if dashed else str(base + k) for k in range(1, projection[2] - len(cats) + 2)]
        except ValueError:
            cats += [""] * (projection[2] - len(cats) + 1)
    vals = [v for s in series for v in s.values if v is not None]
    if target is not None:
        vals.append(target)
    if projection is not None:
        vals += [projection[1], projection[3]]
    lo = min([0.0, *vals]) if vals else 0.0
    hi = max(vals) if vals else 1.0
    y_of, band = _frame(c, cats, lo, hi if hi > lo else lo + 1, left, right, top, bottom, unit)

    def x_of(i: float) -> float:
        return left + band * (i + 0.5)

    for k, s in enumerate(series):
        color = s.color or PALETTE[k % len(PALETTE)]
        pts = [(x_of(i), y_of(v)) for i, v in enumerate(s.values) if v is not None]
        if len(pts) > 1:
            c.parts.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(color, " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)))
        for x, y in pts:
            c.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
    extra = []
    if target is not None:
        y = y_of(target)
        c.line(left, y, width - right, y, color="#b3261e", width=1.5, dash="5 4")
        extra.append((f"目标 {_num(target)}", "#b3261e", True))
    if projection is not None:
        i0, v0, i1, v1 = projection
        c.line(x_of(i0), y_of(v0), x_of(i1), y_of(v1), color="#5f6b7a", width=1.5, dash="3 3")
        extra.append(("趋势预测", "#5f6b7a", True))
    _legend(c, series, height - 6, extra)
    return c.svg()
