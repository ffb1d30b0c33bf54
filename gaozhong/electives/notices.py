"""The printed 调课通知 of a re-solve after a leave as a PDF: the HTML notice (one teacher a page) laid out by
WeasyPrint with the Noto CJK fonts, as the supervision reports are."""

from __future__ import annotations

__all__ = ["changes_pdf"]


def changes_pdf(html: str) -> bytes:
    # WeasyPrint (and its Pango stack) loads only when a notice is printed, not with every page of the app.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
