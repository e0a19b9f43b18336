"""The shape every scheduled command shares: run a service now, or hand it to the task backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandParser

if TYPE_CHECKING:
    from django.tasks import Task


class ScheduledCommand(BaseCommand):
    """A command cron runs that is also a task in Django's tasks framework.

    Subclasses set ``task`` (the task that does the same work) and implement
    ``run()``, which does the work now and returns the line to print.
    ``--enqueue`` queues ``task`` instead.
    """

    task: Task[[], Any] | None = None

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work on the task backend instead of running it now.",
        )

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            if self.task is None:
                raise NotImplementedError(f"{type(self).__name__} sets no task to queue.")
            result = self.task.enqueue()
            self.stdout.write(f"Queued {self.task.name} ({result.id}, {result.status}).")
            return
        self.stdout.write(self.run())

    def run(self) -> str:
        raise NotImplementedError
