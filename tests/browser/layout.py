"""Layout checks any browser test can call on a page it has open: the page is no wider than the screen (no
horizontal scrolling, no element sticking out on the right), a name is never broken over two lines, and a
screenshot of the page (the whole height) goes to a folder to be looked at.

    from .layout import PHONE, assert_fits, assert_names_unbroken, assert_one_line, phone_context, screenshot

    ctx, page = phone_context(browser)       # 390×844, a phone's touch and viewport rules, Chinese
    page.goto(url)
    assert_fits(page)                        # scrollWidth ≤ innerWidth, every box's right edge ≤ innerWidth + 1
    assert_names_unbroken(page, ["晋阳市第一中学", "王小明"])   # each occurrence of each name on one line
    assert_one_line(page, "[data-testid=status]")              # each element's text on one line
    screenshot(page, "lookup-phone")         # into shots_dir() (GAOZHONG_SCREENSHOTS or a temporary folder)
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

_shots: Path | None = None


def shots_dir() -> Path:
    """Where screenshots go: ``GAOZHONG_SCREENSHOTS`` when set, else one temporary folder per test process."""
    global _shots
    if _shots is None:
        env = os.environ.get("GAOZHONG_SCREENSHOTS")
        _shots = Path(env) if env else Path(tempfile.mkdtemp(prefix="gaozhong-screens-"))
        _shots.mkdir(parents=True, exist_ok=True)
    return _shots


def phone_context(browser, *, size: dict | None = None):
    """A new browser context as a phone (viewport, touch, the meta viewport honoured) and a page in it, with the
    console errors collected on ``page.console_errors``. The caller closes the context."""
    ctx = browser.new_context(locale="zh-CN", viewport=size or PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    return ctx, page


def open_menu(page) -> None:
    """Unfold the menu where it is folded behind the 菜单 button (a phone, a long menu); nothing otherwise."""
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def sign_out(page) -> None:
    """退出, from the folded menu on a phone when the role's menu is long."""
    open_menu(page)
    page.click("button:has-text('退出')")
    page.wait_for_url("**/accounts/login/**")


def screenshot(page, name: str) -> Path:
    """The whole page as ``<shots_dir>/<name>.png``."""
    path = shots_dir() / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_OVERFLOW_JS = """
() => {
  const vw = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    if (r.right > vw + 1 || r.left < -1) {
      const id = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
        (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '');
      out.push({el: id, left: Math.round(r.left), right: Math.round(r.right), text: (el.innerText || el.value || '').slice(0, 40)});
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: vw, wide: out};
}
"""


def overflow(page) -> dict:
    """The page's scroll width, the window's width, and every visible element whose box leaves the window on the
    right (by more than 1 px) or on the left."""
    return page.evaluate(_OVERFLOW_JS)


def assert_fits(page, where: str = "") -> None:
    """No horizontal scrolling: the page is no wider than the window, and no visible element reaches beyond it."""
    found = overflow(page)
    label = where or page.url
    assert found["scrollWidth"] <= found["innerWidth"], f"{label}: page {found['scrollWidth']} px wide in a {found['innerWidth']} px window"
    assert not found["wide"], f"{label}: elements beyond the {found['innerWidth']} px window: {found['wide'][:8]}"


_LINES_OF_TEXT_JS = """
([selector, names]) => {
  // The number of lines a piece of text takes: the distinct tops of its line boxes (a Range's client rects).
  function lines(range) {
    const tops = [];
    for (const r of range.getClientRects()) {
      if (r.width < 0.5 || r.height < 0.5) continue;
      if (!tops.some(t => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
    }
    return tops.length;
  }
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement || node.parentElement.closest('[hidden], template, script, style, option')) continue;
      const style = getComputedStyle(node.parentElement);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      for (const name of names) {
        let at = node.data.indexOf(name);
        while (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + name.length);
          const n = lines(range);
          if (n === 0) { /* not laid out (inside a closed details, off-screen clip) */ }
          else out.push({name: name, lines: n});
          at = node.data.indexOf(name, at + name.length);
        }
      }
    }
  }
  return out;
}
"""


def name_lines(page, names: list[str], selector: str = "main") -> list[dict]:
    """Each visible occurrence of each of ``names`` in the text under ``selector``, with the lines it takes."""
    return page.evaluate(_LINES_OF_TEXT_JS, [selector, list(names)])


def assert_names_unbroken(page, names: list[str], selector: str = "main", *, at_least: int = 1) -> list[dict]:
    """Every visible occurrence of every name is on one line, and ``at_least`` occurrences are shown at all (a
    name that is not on the page proves nothing)."""
    found = name_lines(page, names, selector)
    assert len(found) >= at_least, f"{page.url}: {len(found)} of the names {names[:5]} shown"
    broken = [f for f in found if f["lines"] != 1]
    assert not broken, f"{page.url}: names broken over lines: {broken[:8]}"
    return found


_ELEMENT_LINES_JS = """
(selector) => [...document.querySelectorAll(selector)].filter(el => el.getClientRects().length).map(el => {
  const cs = getComputedStyle(el);
  const fs = parseFloat(cs.fontSize);
  const lh = cs.lineHeight === 'normal' ? fs * 1.25 : parseFloat(cs.lineHeight);
  const r = el.getBoundingClientRect();
  const box = r.height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom) - parseFloat(cs.borderTopWidth) - parseFloat(cs.borderBottomWidth);
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = [];
  for (const q of range.getClientRects()) {
    if (q.width < 0.5 || q.height < 0.5) continue;
    if (!tops.some(t => Math.abs(t - q.top) < q.height / 2)) tops.push(q.top);
  }
  return {text: el.innerText.slice(0, 40), height: Math.round(box), lineHeight: Math.round(lh), lines: tops.length,
          inline: cs.display.startsWith('inline') && cs.display !== 'inline-block'};
})
"""


def assert_one_line(page, selector: str, *, at_least: int = 1) -> list[dict]:
    """Each element matching ``selector`` shows its text on one line: one line box, and (for a block) a content
    height below two line heights."""
    found = page.evaluate(_ELEMENT_LINES_JS, selector)
    assert len(found) >= at_least, f"{page.url}: {len(found)} elements match {selector}"
    wrapped = [f for f in found if f["lines"] > 1 or (not f["inline"] and f["height"] >= 2 * f["lineHeight"])]
    assert not wrapped, f"{page.url}: {selector} wraps: {wrapped[:8]}"
    return found
