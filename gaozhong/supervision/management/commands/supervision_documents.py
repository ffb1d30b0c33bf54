"""``manage.py supervision_documents``: list the policy documents and which the deployment adopts; adopt or
withdraw one (a city admin account, one audit row each).

    supervision_documents                                       # list
    supervision_documents --sync-catalog 2020 --user city_admin # load the shipped catalog (a fresh install)
    supervision_documents --adopt 003 --user city_admin         # a city document: the whole city
    supervision_documents --adopt 001 --county 149923 --school 阳城一中=G0413 --user city_admin
    supervision_documents --withdraw 002 --note "改用 003 为本市十四五规划" --user city_admin

Bad input (unknown document, county, school or user; a county document without its county) exits with status 2
and changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from gaozhong.core.models import County
from gaozhong.supervision.models import PolicyDocument
from gaozhong.supervision.services.catalog import catalog_sync, document_adopt, document_withdraw


class Command(BaseCommand):
    help = "列出、采用或停用督导依据的政策文件 (list, adopt or withdraw the policy documents judged)"

    def add_arguments(self, parser):
        parser.add_argument("--adopt", metavar="CODE", help="采用的文件代码 (document code to adopt)")
        parser.add_argument("--withdraw", metavar="CODE", help="停用的文件代码 (document code to withdraw)")
        parser.add_argument("--county", help="县级文件适用的县(区)代码 (the county a county document binds)")
        parser.add_argument("--school", action="append", default=[], metavar="NAME=CODE",
                            help="文件点名学校对应的本地学校代码，可重复 (bind a school the document names)")
        parser.add_argument("--note", default="", help="说明 (note; required to withdraw)")
        parser.add_argument("--user", help="市教育局账号 (a city admin account)")
        parser.add_argument("--sync-catalog", type=int, metavar="YEAR",
                            help="载入随平台提供的指标目录和政策文件，自该学年起生效 (load the shipped catalog, effective from YEAR)")

    def handle(self, *args, adopt=None, withdraw=None, county=None, school=(), note="", user=None, sync_catalog=None, **opts):
        if sync_catalog is not None:
            try:
                res = catalog_sync(actor=self._user(user), effective_from=sync_catalog)
            except PermissionDenied as exc:
                raise CommandError(str(exc), returncode=2) from None
            self.stdout.write(f"指标目录 {res.catalog_version} 已载入：新增指标 {res.indicators_created} 个 (catalog loaded)")
        if adopt or withdraw:
            actor = self._user(user)
            doc = self._doc(adopt or withdraw)
            try:
                if adopt:
                    place = None
                    if county:
                        place = County.objects.filter(code=county).first()
                        if place is None:
                            raise CommandError(f"--county {county}: 县(区)不存在 (no such county)", returncode=2)
                    schools = {}
                    for pair in school:
                        name, sep, code = pair.partition("=")
                        if not sep:
                            raise CommandError(f"--school {pair}: 应为 名称=代码 (expected NAME=CODE)", returncode=2)
                        schools[name] = code
                    document_adopt(actor=actor, document=doc, county=place, schools=schools, note=note)
                else:
                    document_withdraw(actor=actor, document=doc, note=note)
            except (ValidationError, PermissionDenied) as exc:
                msg = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                raise CommandError(msg, returncode=2) from None
        for d in PolicyDocument.objects.select_related("adoption", "adoption__county").order_by("code"):
            a = getattr(d, "adoption", None)
            where = "未采用" if a is None else (f"采用：{a.county.name}" if a.county_id else "采用：全市")
            bound = "；".join(f"{k}→{v}" for k, v in (a.schools.items() if a else []))
            self.stdout.write(f"{d.code}  {d.short_title}  {d.number or '（无文号）'}  {d.get_level_display()}  {where}{('  ' + bound) if bound else ''}")

    def _user(self, username):
        if not username:
            raise CommandError("--user 必填 (a city admin account is needed)", returncode=2)
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no such user: {username}", returncode=2) from None

    def _doc(self, code):
        doc = PolicyDocument.objects.filter(code=code).first()
        if doc is None:
            raise CommandError(f"{code}: 文件不存在 (no such document)", returncode=2)
        return doc
