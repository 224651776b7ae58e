"""The columns of the meetings' export — the admin's Excel action and the API's xlsx / CSV."""

from django.db.models import Count

MEETING_SHEET = "协商会议"
MEETING_HEADINGS = ["编号", "日期", "会议", "类型", "状态", "地点", "发言", "意见建议"]


def meeting_rows(meetings):
    meetings = meetings.annotate(
        speech_count=Count("speeches", distinct=True),
        suggestion_count=Count("suggestions", distinct=True),
    ).order_by("-held_on", "-id")
    for m in meetings.iterator(chunk_size=500):
        yield [
            m.pk,
            m.held_on,
            m.title,
            m.get_kind_display(),
            m.get_status_display(),
            m.venue,
            m.speech_count,
            m.suggestion_count,
        ]
