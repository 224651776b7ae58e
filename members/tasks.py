"""Celery tasks of members: large roster imports (members.roster.start_import queues them)."""

from celery import shared_task

from members import roster


@shared_task
def import_roster_file(job_id: int) -> str:
    """Import a kept roster file; the job records the counts or the errors."""
    return roster.run_import(job_id).state
