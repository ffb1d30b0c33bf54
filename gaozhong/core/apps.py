"""Django app configuration of the foundation: a new sign-in starts without its second factor; every app's
audit action names are loaded (gaozhong.core.actionnames)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gaozhong.core"
    label = "core"
    verbose_name = "基础数据 (foundation)"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from gaozhong.core.actionnames import load_all
        from gaozhong.core.services.mfa import SESSION_FLAG

        def second_factor_per_sign_in(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                request.session.pop(SESSION_FLAG, None)

        user_logged_in.connect(second_factor_per_sign_in, dispatch_uid="gaozhong-mfa-per-sign-in", weak=False)
        load_all()
