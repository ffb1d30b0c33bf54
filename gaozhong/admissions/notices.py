"""The printed 录取通知书 as a PDF: the HTML notice (admissions/notice_print.html) laid out by WeasyPrint with the
Noto CJK fonts, as the supervision reports and the 调课通知 are."""

from __future__ import annotations

__all__ = ["notice_pdf"]


def notice_pdf(html: str) -> bytes:
    # WeasyPrint (and its Pango stack) loads only when a notice is printed, not with every page of the app.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
