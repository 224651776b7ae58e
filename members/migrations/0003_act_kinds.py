"""The standard kinds of performance acts and their initial points (staff may change the points)."""

from django.db import migrations

KINDS = [
    # code, name, category, points
    ("plenary_attendance", "出席全体会议", "会议", 5),
    ("meeting_attendance", "出席协商会议", "会议", 3),
    ("meeting_leave", "会议请假", "会议", 0),
    ("speech", "会议发言", "会议", 5),
    ("proposal_lead", "领衔提交提案", "提案", 5),
    ("proposal_cosign", "联名附议提案", "提案", 2),
    ("proposal_filed", "提案立案", "提案", 5),
    ("proposal_excellent", "优秀提案", "提案", 10),
    ("research_visit", "参加调研视察", "调研", 3),
    ("workstation_activity", "参加站室点活动", "工作站", 2),
    ("opinion_submitted", "报送社情民意信息", "社情民意", 2),
    ("opinion_adopted_district", "社情民意信息被区政协采用", "社情民意", 3),
    ("opinion_adopted_municipal", "社情民意信息被市政协采用", "社情民意", 5),
    ("opinion_adopted_national", "社情民意信息被全国政协采用", "社情民意", 10),
]


def create_kinds(apps, schema_editor):
    ActKind = apps.get_model("members", "ActKind")
    for order, (code, name, category, points) in enumerate(KINDS, start=1):
        ActKind.objects.get_or_create(
            code=code,
            defaults={"name": name, "category": category, "points": points, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_people_seats_visits_performance")]

    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
