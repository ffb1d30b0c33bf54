"""API tokens: issued per user, carrying that user's scope, revocable; and the call log the API writes.

The token is 40 random URL-safe characters shown once; the database keeps its SHA-256. Issuing and revoking are
audited. The call log (:func:`api_call_record`) is itself the record of each read, so it writes no audit row.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Role
from gaozhong.core.scoping import scope_of
from gaozhong.core.roles import STAFF

from ..models import ApiCall, ApiToken

TOKEN_ROLES = STAFF
PREFIX = "gz_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token for ``actor``; returns it with the raw key, which is not stored and cannot be shown again."""
    scope = scope_of(actor)
    if scope.role not in TOKEN_ROLES:
        raise PermissionDenied("当前角色不能申请接口令牌 (your role may not have API tokens)")
    if not name.strip():
        raise ValidationError("请填写令牌用途 (say what the token is for)")
    raw = PREFIX + secrets.token_urlsafe(30)
    tok = ApiToken.objects.create(user=actor, name=name.strip()[:80], prefix=raw[:10], key_hash=token_hash(raw))
    audit_record(actor=actor, action="supervision.api_token.issued", obj=tok, object_repr=str(tok), county_id=scope.county_id,
                 school_id=scope.school_id, after={"name": tok.name, "prefix": tok.prefix})
    return tok, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke a token: its owner, or the city admin for anyone's. Takes effect on the next call."""
    scope = scope_of(actor)
    if token.user_id != actor.pk and scope.role != Role.CITY_ADMIN:
        raise PermissionDenied("只能吊销自己的令牌 (you may revoke only your own tokens)")
    t = ApiToken.objects.select_for_update().get(pk=token.pk)
    if t.revoked_at is not None:
        raise ValidationError("令牌已吊销 (already revoked)")
    t.revoked_at = timezone.now()
    t.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="supervision.api_token.revoked", obj=t, object_repr=str(t), county_id=scope.county_id,
                 school_id=scope.school_id, before={"revoked_at": None}, after={"revoked_at": t.revoked_at})
    token.revoked_at = t.revoked_at


def token_lookup(raw: str) -> ApiToken | None:
    """The active token with this key, or None."""
    if not raw or not raw.startswith(PREFIX):
        return None
    tok = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw), revoked_at__isnull=True).first()
    if tok is None or not tok.user.is_active:
        return None
    return tok


def api_call_record(*, token: ApiToken | None, method: str, path: str, query: str, status: int, rows: int | None, ip: str | None) -> ApiCall:
    """Log one API call (every call, refused ones too), and note when the token was last used."""
    call = ApiCall.objects.create(token=token, user=token.user if token else None, method=method[:8], path=path[:300], query=query[:500],
                                  status=status, rows=rows, ip=ip)
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=call.at)
    return call
