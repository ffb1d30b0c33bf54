"""Language choice: Simplified Chinese unless the user picked another language with the switcher.

Django's LocaleMiddleware would follow the browser's Accept-Language header; bureau and school computers often
have English-language browsers, and the platform's default is Chinese, so only the switcher's cookie counts.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        lang = chosen if chosen in self.allowed else settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
