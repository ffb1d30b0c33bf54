"""``gaozhong manage mfa_reset USERNAME --user CITY_ADMIN``: remove a user's authenticator (a lost phone); audited."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from gaozhong.core.services.mfa import mfa_reset


class Command(BaseCommand):
    help = "重置账号的动态口令（手机丢失时）(reset a user's authenticator)"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--user", required=True, help="执行操作的市教育局管理员账号 (the acting city administrator)")

    def handle(self, *args, username, user, **options):
        User = get_user_model()
        try:
            target, actor = User.objects.get(username=username), User.objects.get(username=user)
        except User.DoesNotExist as exc:
            raise CommandError(f"账号不存在 (no such user): {exc}") from None
        try:
            mfa_reset(actor=actor, user=target)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已重置 {username} 的动态口令 (authenticator of {username} removed)")
