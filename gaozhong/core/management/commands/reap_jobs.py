"""``gaozhong manage reap_jobs``: mark failed the jobs whose worker died (no heartbeat), releasing what they held."""

from django.core.management.base import BaseCommand

from gaozhong.core.services.jobs import reap_dead_jobs


class Command(BaseCommand):
    help = "将失去任务进程（无心跳）的任务标记为失败 (mark jobs whose worker died as failed)"

    def handle(self, *args, **options):
        dead = reap_dead_jobs()
        self.stdout.write(f"{len(dead)} 个任务已标记为失败 ({len(dead)} jobs marked failed): {dead}")
