"""Deployment checks of the site beyond Django's own (run by ``check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """In production, limits and sessions must be counted in one shared cache, not per process."""
    if settings.ENV == "production" and not settings.REDIS_URL:
        return [Warning("生产环境未配置共享缓存 GAOZHONG_REDIS_URL：限流计数和会话将按进程各自计算 "
                        "(no shared cache: set GAOZHONG_REDIS_URL so every app server counts limits together)",
                        id="gaozhong.W001")]
    return []
