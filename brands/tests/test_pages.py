"""The brands pages: showcase, brand page, images, a round's page, expert scoring — and the
reminders and yearbook section of brands."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from brands import workflow
from brands.models import Brand, Round, Score
from brands.tests import factories
from brands.tests.test_workflow import png
from notifications import scan
from notifications.models import Reminder
from yearbook.registry import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_showcase_groups_searches_and_filters(
    client, shanghai, xuhui, sh_brands, xh_brands, three_series
):
    factories.brand(shanghai, sh_brands, three_series[0], "政协头条", overview="新闻客户端")
    factories.brand(xuhui, xh_brands, three_series[2], "协商于民", overview="委员工作站")
    hidden = factories.brand(xuhui, xh_brands, three_series[2], "内部品牌")
    workflow.update_brand(hidden, by=xh_brands, is_public=False)
    page = client.get(reverse("brands:showcase"))
    assert page.status_code == 200
    names = [b.name for b in page.context["page"]]
    assert names == ["政协头条", "协商于民"]
    assert [
        b.name for b in client.get(reverse("brands:showcase"), {"q": "工作站"}).context["page"]
    ] == ["协商于民"]
    by_series = client.get(reverse("brands:showcase"), {"series": three_series[0].pk})
    assert [b.name for b in by_series.context["page"]] == ["政协头条"]


@pytest.mark.parametrize(
    "query",
    [{"series": "abc"}, {"committee": "²"}, {"award": "gold"}, {"q": "\x00"}, {"page": "-1"}],
)
def test_showcase_answers_bad_parameters_without_failing(client, query, three_series):
    assert client.get(reverse("brands:showcase"), query).status_code == 200


def test_brand_page_shows_figures_live_work_and_certificates(client, voting_round, sh_brands):
    round_obj, (city, *_rest) = voting_round
    brand = city.brand
    workflow.save_part(brand, "figure", by=sh_brands, label="日均发稿", value=100, unit="篇")
    Round.objects.filter(pk=round_obj.pk).update(
        voting_opens_at=round_obj.voting_opens_at - timedelta(days=30),
        voting_closes_at=timezone.now() - timedelta(seconds=1),
    )
    workflow.close_voting(round_obj, by=sh_brands)
    workflow.publish(round_obj, by=sh_brands)
    page = client.get(reverse("brands:detail", args=[brand.pk]))
    text = page.content.decode()
    assert "日均发稿" in text and "100篇" in text
    assert f"{round_obj.year}-SD-" in text  # every candidate is within the top quota of 10


def test_hidden_and_retired_brands_are_not_public(
    client, xuhui, xh_brands, hp_brands, huangpu, three_series
):
    brand = factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    workflow.change_status(brand, by=xh_brands, status=Brand.Status.RETIRED, reason="整合")
    assert client.get(reverse("brands:detail", args=[brand.pk])).status_code == 404
    client.force_login(hp_brands)  # another district's staff: still not theirs to preview
    assert client.get(reverse("brands:detail", args=[brand.pk])).status_code == 404
    client.force_login(xh_brands)
    assert client.get(reverse("brands:detail", args=[brand.pk])).status_code == 200


def test_images_are_served_after_the_visibility_check(client, xuhui, xh_brands, three_series):
    brand = factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    image = workflow.save_part(
        brand, "image", by=xh_brands, file=SimpleUploadedFile("a.png", png()), caption="授牌"
    )
    response = client.get(reverse("brands:image", args=[image.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    workflow.update_brand(brand, by=xh_brands, is_public=False)
    assert client.get(reverse("brands:image", args=[image.pk])).status_code == 404


def test_a_round_is_public_only_from_voting_on(client, shanghai, sh_brands, three_series):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    assert client.get(reverse("brands:round", args=[round_obj.pk])).status_code == 404


def test_expert_pages_list_what_they_score_and_save_scores(
    client, shanghai, xuhui, sh_brands, xh_brands, three_series, experts
):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    workflow.open_nominations(round_obj, by=sh_brands)
    city = workflow.nominate(
        round_obj,
        factories.brand(shanghai, sh_brands, three_series[0], "政协头条"),
        by=sh_brands,
        materials="材料",
    )
    district = workflow.nominate(
        round_obj,
        factories.brand(xuhui, xh_brands, three_series[2], "协商于民"),
        by=xh_brands,
        materials="材料",
    )
    workflow.close_nominations(round_obj, by=sh_brands)
    for candidate in (city, district):
        workflow.check_eligibility(candidate, by=sh_brands, eligible=True)
    xuhui_expert, _unit = experts[1]
    workflow.add_expert(round_obj, by=sh_brands, user=xuhui_expert)
    workflow.start_scoring(round_obj, by=sh_brands)
    client.force_login(xuhui_expert)
    listing = client.get(reverse("brands:scoring"))
    assert [c.brand.name for c in listing.context["panels"][0]["candidates"]] == ["政协头条"]
    assert client.get(reverse("brands:score", args=[district.pk])).status_code == 404
    fields = {f"criterion_{pk}": "8.5" for pk in round_obj.criteria.values_list("pk", flat=True)}
    bad = client.post(reverse("brands:score", args=[city.pk]), {**fields, next(iter(fields)): "11"})
    assert bad.status_code == 200 and bad.context["form"].errors
    saved = client.post(reverse("brands:score", args=[city.pk]), fields)
    assert saved.status_code == 302
    assert Score.objects.filter(expert__user=xuhui_expert).count() == 2
    client.force_login(sh_brands)  # not on the panel
    assert client.get(reverse("brands:score", args=[city.pk])).status_code == 404


def test_reminders_once_per_threshold(shanghai, xuhui, sh_brands, xh_brands, three_series, experts):
    today = timezone.localdate()
    round_obj = factories.round_(
        shanghai,
        sh_brands,
        three_series,
        nomination_closes_on=today + timedelta(days=5),
        check_closes_on=today + timedelta(days=6),
        scoring_closes_on=today + timedelta(days=8),
        voting_opens_at=timezone.now() + timedelta(days=9),
        voting_closes_at=timezone.now() + timedelta(days=12),
        deliberation_on=today + timedelta(days=13),
        publication_on=today + timedelta(days=14),
    )
    workflow.open_nominations(round_obj, by=sh_brands)
    assert scan.run(today, kinds=["brands.nomination_closing"]) == {"brands.nomination_closing": 1}
    assert scan.run(today, kinds=["brands.nomination_closing"]) == {"brands.nomination_closing": 0}
    reminder = Reminder.objects.get(kind="brands.nomination_closing")
    assert reminder.threshold == "7"
    assert set(reminder.notifications.values_list("recipient__username", flat=True)) == {
        "sh_brands",
        "xh_brands",
    }
    assert scan.run(today + timedelta(days=4), kinds=["brands.nomination_closing"]) == {
        "brands.nomination_closing": 1
    }


def test_scoring_due_reaches_only_experts_who_have_not_finished(scoring_ready):
    round_obj, _finished, waiting = scoring_ready
    today = round_obj.scoring_closes_on - timedelta(days=2)
    scan.run(today, kinds=["brands.scoring_due"])
    recipients = set(
        Reminder.objects.filter(kind="brands.scoring_due").values_list(
            "notifications__recipient", flat=True
        )
    )
    assert recipients == {waiting.pk}


@pytest.fixture
def scoring_ready(shanghai, sh_brands, three_series, experts):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    workflow.open_nominations(round_obj, by=sh_brands)
    candidate = workflow.nominate(
        round_obj,
        factories.brand(shanghai, sh_brands, three_series[0], "政协头条"),
        by=sh_brands,
        materials="材料",
    )
    workflow.close_nominations(round_obj, by=sh_brands)
    workflow.check_eligibility(candidate, by=sh_brands, eligible=True)
    (finished, _a), (waiting, _b) = experts[1], experts[2]
    for user in (finished, waiting):
        workflow.add_expert(round_obj, by=sh_brands, user=user)
    workflow.start_scoring(round_obj, by=sh_brands)
    values = {pk: 8 for pk in round_obj.criteria.values_list("pk", flat=True)}
    workflow.score(candidate, by=finished, values=values)
    return round_obj, finished, waiting


def test_yearbook_section_counts_rounds_votes_and_awards(
    voting_round, sh_brands, shanghai, next_ip, django_capture_on_commit_callbacks
):
    round_obj, (city, xuhui_brand, _huangpu) = voting_round
    workflow.cast_vote(round_obj, city.pk, kind="phone", voter="13100000000", ip="192.0.2.7")
    workflow.cast_vote(round_obj, xuhui_brand.pk, kind="phone", voter="13100000000", ip=next_ip())
    with pytest.raises(workflow.Refused):
        workflow.cast_vote(round_obj, city.pk, kind="phone", voter="13100000000", ip=next_ip())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.invalidate(round_obj, by=sh_brands, kind="ip", value="192.0.2.7", reason="核查")
    Round.objects.filter(pk=round_obj.pk).update(
        voting_opens_at=round_obj.voting_opens_at - timedelta(days=30),
        voting_closes_at=timezone.now() - timedelta(seconds=1),
    )
    workflow.close_voting(round_obj, by=sh_brands)
    workflow.publish(round_obj, by=sh_brands)
    figures = SECTIONS["brands"].compute(shanghai, round_obj.year)
    assert (figures["candidates"], figures["voters"], figures["votes_accepted"]) == (3, 1, 1)
    assert (figures["votes_invalidated"], figures["votes_refused"]) == (1, 1)
    assert (figures["top"], figures["experts_completion"]) == (3, 100.0)
    assert figures["candidates_by_series"] == {
        "综合性工作和机关建设": 1,
        "市区政协联动和区政协工作": 2,
    }
