"""Demo: run the reminder scan once, so the demo users find their reminders at first login
(the beat schedule runs it hourly afterwards)."""

from django.conf import settings

from notifications import scan


def seed(stdout) -> None:
    if not settings.DEMO_MODE:
        return
    issued = scan.run()
    stdout.write(f"提醒：本次扫描发出 {sum(issued.values())} 条")
