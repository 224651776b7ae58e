"""Every act of the registry and of a round, with its refusals."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from brands import workflow
from brands.models import Brand, Candidate, Round, Score
from brands.tests import factories
from core.errors import Invalid, NotAllowed, WrongState
from core.roles import Role
from members.models import Act
from members.tests.factories import SeatFactory, UserFactory

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


# --- Registry ------------------------------------------------------------------------------------


def test_office_registers_and_edits_its_brand(xuhui, xh_brands, three_series):
    brand = factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    workflow.update_brand(brand, by=xh_brands, highlights="五个好")
    brand.refresh_from_db()
    assert brand.highlights == "五个好"
    reasons = [h.history_change_reason for h in brand.history.order_by("history_date")]
    assert reasons == ["登记品牌", "修改品牌信息"]


def test_another_district_may_not_register_or_edit(
    xuhui, huangpu, xh_brands, hp_brands, three_series
):
    with pytest.raises(NotAllowed):
        factories.brand(xuhui, hp_brands, three_series[2], "越权品牌")
    brand = factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    with pytest.raises(NotAllowed):
        workflow.update_brand(brand, by=hp_brands, name="改名")


def test_member_may_not_register(xuhui, three_series):
    member = UserFactory(committee=xuhui, roles=[Role.MEMBER])
    with pytest.raises(NotAllowed):
        factories.brand(xuhui, member, three_series[2], "委员自建")


def test_brand_refuses_a_duplicate_name_a_future_year_and_foreign_links(
    xuhui, huangpu, xh_brands, three_series
):
    from workstations.models import Tier, Workstation

    factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    with pytest.raises(Invalid) as duplicate:
        factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    assert duplicate.value.field == "name"
    with pytest.raises(Invalid) as future:
        factories.brand(xuhui, xh_brands, three_series[2], "明日品牌", founded_year=2999)
    assert future.value.field == "founded_year"
    station = Workstation.objects.create(
        committee=huangpu, tier=Tier.CONTACT_POINT, name="黄浦联系点"
    )
    with pytest.raises(Invalid) as foreign:
        factories.brand(xuhui, xh_brands, three_series[2], "借站品牌", workstation=station)
    assert foreign.value.field == "workstation"


def test_status_changes_need_a_reason_and_merge_needs_a_target(xuhui, xh_brands, three_series):
    first = factories.brand(xuhui, xh_brands, three_series[2], "委员之家")
    second = factories.brand(xuhui, xh_brands, three_series[2], "委员会客厅")
    with pytest.raises(Invalid):
        workflow.change_status(first, by=xh_brands, status=Brand.Status.RETIRED, reason=" ")
    with pytest.raises(Invalid) as no_target:
        workflow.change_status(first, by=xh_brands, status=Brand.Status.MERGED, reason="整合")
    assert no_target.value.field == "merged_into"
    workflow.change_status(
        first, by=xh_brands, status=Brand.Status.MERGED, reason="整合", merged_into=second
    )
    first.refresh_from_db()
    assert (first.status, first.merged_into) == (Brand.Status.MERGED, second)
    workflow.change_status(first, by=xh_brands, status=Brand.Status.ACTIVE, reason="恢复")
    first.refresh_from_db()
    assert (first.status, first.merged_into) == (Brand.Status.ACTIVE, None)
    assert first.history.first().history_change_reason == "恢复"


def test_images_are_checked_by_content(xuhui, xh_brands, three_series):
    brand = factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    image = workflow.save_part(
        brand, "image", by=xh_brands, file=SimpleUploadedFile("logo.png", png()), caption="标识"
    )
    assert image.file.name.startswith("brands/images/") and "logo" not in image.file.name
    disguised = SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(Invalid) as refused:
        workflow.save_part(brand, "image", by=xh_brands, file=disguised)
    assert refused.value.field == "file"
    assert brand.images.count() == 1


def test_figures_and_milestones_are_parts_of_their_brand(xuhui, xh_brands, three_series):
    brand = factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    other = factories.brand(xuhui, xh_brands, three_series[2], "委员之家")
    figure = workflow.save_part(
        brand, "figure", by=xh_brands, label="工作站", value=Decimal(13), unit="个"
    )
    with pytest.raises(Invalid):
        workflow.save_part(other, "figure", by=xh_brands, instance=figure, label="改")
    from datetime import date

    with pytest.raises(Invalid) as early:
        workflow.save_part(
            brand, "milestone", by=xh_brands, happened_on=date(1900, 1, 1), title="太早"
        )
    assert early.value.field == "happened_on"
    workflow.delete_part(figure, by=xh_brands)
    assert not brand.figures.exists()


# --- Round set-up and nomination -----------------------------------------------------------------


def test_round_opens_only_with_criteria_adding_up_to_100(shanghai, sh_brands, three_series):
    round_obj = factories.round_(shanghai, sh_brands, three_series, criteria=(("创新性", 40),))
    with pytest.raises(WrongState) as weights:
        workflow.open_nominations(round_obj, by=sh_brands)
    assert "40" in str(weights.value.message)
    workflow.save_criterion(round_obj, by=sh_brands, name="实效性", weight=60)
    workflow.open_nominations(round_obj, by=sh_brands)
    with pytest.raises(WrongState):
        workflow.save_criterion(round_obj, by=sh_brands, name="影响力", weight=10)
    with pytest.raises(WrongState):
        workflow.update_round(round_obj, by=sh_brands, top_quota=5)


def test_round_dates_must_follow_each_other(shanghai, sh_brands, three_series):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    with pytest.raises(Invalid) as backwards:
        workflow.update_round(
            round_obj, by=sh_brands, publication_on=round_obj.nomination_closes_on
        )
    assert backwards.value.field == "publication_on"


def test_only_the_organising_office_runs_the_round(shanghai, xh_brands, sh_brands, three_series):
    with pytest.raises(NotAllowed):
        factories.round_(shanghai, xh_brands, three_series)
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    with pytest.raises(NotAllowed):
        workflow.open_nominations(round_obj, by=xh_brands)


def test_districts_nominate_their_own_brands(
    shanghai, xuhui, huangpu, sh_brands, xh_brands, hp_brands, three_series
):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    own = factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    with pytest.raises(WrongState):
        workflow.nominate(round_obj, own, by=xh_brands, materials="材料")
    workflow.open_nominations(round_obj, by=sh_brands)
    candidate = workflow.nominate(round_obj, own, by=xh_brands, materials="材料")
    assert (candidate.number, candidate.state) == (1, Candidate.State.NOMINATED)
    with pytest.raises(NotAllowed):
        workflow.nominate(round_obj, own, by=hp_brands, materials="材料")
    with pytest.raises(Invalid) as twice:
        workflow.nominate(round_obj, own, by=xh_brands, materials="材料")
    assert twice.value.field == "brand"
    with pytest.raises(Invalid) as empty:
        workflow.nominate(
            round_obj,
            factories.brand(xuhui, xh_brands, three_series[2], "委员之家"),
            by=xh_brands,
            materials="  ",
        )
    assert empty.value.field == "materials"


def test_a_district_round_does_not_take_the_city_s_brands(
    shanghai, xuhui, sh_brands, xh_brands, three_series
):
    local = factories.series(xuhui, "区政协工作")
    round_obj = factories.round_(xuhui, xh_brands, local)
    workflow.open_nominations(round_obj, by=xh_brands)
    city = factories.brand(shanghai, sh_brands, three_series[0], "政协头条")
    with pytest.raises(NotAllowed):
        workflow.nominate(round_obj, city, by=xh_brands, materials="材料")
    with pytest.raises(Invalid) as upward:
        workflow.nominate(round_obj, city, by=sh_brands, materials="材料")
    assert upward.value.field == "round"


def test_materials_must_be_a_real_pdf(shanghai, sh_brands, three_series):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    workflow.open_nominations(round_obj, by=sh_brands)
    brand = factories.brand(shanghai, sh_brands, three_series[0], "政协头条")
    exe = SimpleUploadedFile("材料.pdf", b"MZ\x90\x00not a pdf")
    with pytest.raises(Invalid) as refused:
        workflow.nominate(round_obj, brand, by=sh_brands, materials="材料", material_file=exe)
    assert refused.value.field == "material_file"
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.7\n%%EOF")
    candidate = workflow.nominate(
        round_obj, brand, by=sh_brands, materials="材料", material_file=pdf
    )
    assert candidate.material_file.name.startswith("brands/materials/")


def test_eligibility_refusal_needs_a_reason_and_scoring_waits_for_every_check(
    shanghai, sh_brands, three_series, experts
):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    workflow.open_nominations(round_obj, by=sh_brands)
    brands = [factories.brand(shanghai, sh_brands, three_series[0], n) for n in ("甲", "乙")]
    first, second = (
        workflow.nominate(round_obj, b, by=sh_brands, materials="材料") for b in brands
    )
    with pytest.raises(WrongState):
        workflow.check_eligibility(first, by=sh_brands, eligible=True)
    workflow.close_nominations(round_obj, by=sh_brands)
    with pytest.raises(Invalid) as no_reason:
        workflow.check_eligibility(first, by=sh_brands, eligible=False)
    assert no_reason.value.field == "reason"
    workflow.check_eligibility(first, by=sh_brands, eligible=False, reason="创立不满两年")
    workflow.add_expert(round_obj, by=sh_brands, user=experts[1][0])
    with pytest.raises(WrongState) as waiting:
        workflow.start_scoring(round_obj, by=sh_brands)
    assert "1" in str(waiting.value.message)
    workflow.check_eligibility(second, by=sh_brands, eligible=True)
    workflow.start_scoring(round_obj, by=sh_brands)
    first.refresh_from_db()
    assert (first.state, first.check_reason) == (Candidate.State.INELIGIBLE, "创立不满两年")


def test_experts_must_hold_the_expert_role(shanghai, sh_brands, three_series):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    plain = UserFactory(committee=shanghai, roles=[Role.MEMBER])
    with pytest.raises(Invalid):
        workflow.add_expert(round_obj, by=sh_brands, user=plain)


# --- Scoring -------------------------------------------------------------------------------------


@pytest.fixture
def scoring_round(shanghai, xuhui, sh_brands, xh_brands, three_series, experts):
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    workflow.open_nominations(round_obj, by=sh_brands)
    city = factories.brand(shanghai, sh_brands, three_series[0], "政协头条")
    district = factories.brand(xuhui, xh_brands, three_series[2], "协商于民")
    made = [
        workflow.nominate(round_obj, city, by=sh_brands, materials="材料"),
        workflow.nominate(round_obj, district, by=xh_brands, materials="材料"),
    ]
    workflow.close_nominations(round_obj, by=sh_brands)
    for candidate in made:
        workflow.check_eligibility(candidate, by=sh_brands, eligible=True)
    for user, unit in experts:
        workflow.add_expert(round_obj, by=sh_brands, user=user, committee=unit)
    workflow.start_scoring(round_obj, by=sh_brands)
    return round_obj, made


def test_an_expert_does_not_score_a_brand_of_their_own_unit(scoring_round, experts):
    round_obj, (city, district) = scoring_round
    xuhui_expert = experts[1][0]
    values = {pk: 8 for pk in round_obj.criteria.values_list("pk", flat=True)}
    with pytest.raises(NotAllowed):
        workflow.score(district, by=xuhui_expert, values=values)
    workflow.score(city, by=xuhui_expert, values=values)
    assert [c.brand.name for c in workflow.scorable(round_obj.experts.get(user=xuhui_expert))] == [
        "政协头条"
    ]


def test_scores_are_checked_and_completion_recorded(scoring_round, experts, shanghai):
    round_obj, (city, district) = scoring_round
    expert_user = experts[2][0]  # Huangpu: scores both
    seat = SeatFactory(committee=shanghai, person__user=expert_user)
    criteria = list(round_obj.criteria.values_list("pk", flat=True))
    with pytest.raises(Invalid):
        workflow.score(city, by=expert_user, values={criteria[0]: 8})
    with pytest.raises(Invalid) as high:
        workflow.score(city, by=expert_user, values={pk: 11 for pk in criteria})
    assert high.value.field == f"criterion_{criteria[0]}"
    with pytest.raises(NotAllowed):
        workflow.score(city, by=UserFactory(roles=[Role.BRAND_EXPERT]), values={})
    workflow.score(city, by=expert_user, values={pk: 7 for pk in criteria})
    workflow.score(city, by=expert_user, values={pk: 9 for pk in criteria})  # rescored
    assert Score.objects.filter(expert__user=expert_user).count() == 2
    assert round_obj.experts.get(user=expert_user).completed_at is None
    workflow.score(district, by=expert_user, values={pk: 6 for pk in criteria})
    assert round_obj.experts.get(user=expert_user).completed_at is not None
    assert Act.objects.filter(seat=seat, kind__code="brand_expert").count() == 1
    progress = {row["expert"].user_id: row for row in workflow.progress(round_obj)}
    assert (progress[expert_user.pk]["to_score"], progress[expert_user.pk]["scored"]) == (2, 2)


def test_voting_opens_only_when_every_expert_is_done(scoring_round, sh_brands, experts):
    round_obj, _made = scoring_round
    with pytest.raises(WrongState) as unfinished:
        workflow.open_voting(round_obj, by=sh_brands)
    assert experts[0][0].name in str(unfinished.value.message)


# --- Results -------------------------------------------------------------------------------------


def test_expert_scores_drop_the_highest_and_lowest(shanghai, sh_brands, three_series):
    brand_ = factories.brand(shanghai, sh_brands, three_series[0], "政协头条")
    panel = [(UserFactory(committee=None, roles=[Role.BRAND_EXPERT]), shanghai) for _ in range(4)]
    # Experts of another unit than the brand's: a special committee of Shanghai.
    from members.models import SpecialCommittee

    unit = SpecialCommittee.objects.create(committee=shanghai, name="文史委")
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    workflow.open_nominations(round_obj, by=sh_brands)
    candidate = workflow.nominate(round_obj, brand_, by=sh_brands, materials="材料")
    workflow.close_nominations(round_obj, by=sh_brands)
    workflow.check_eligibility(candidate, by=sh_brands, eligible=True)
    for user, committee in panel:
        workflow.add_expert(
            round_obj, by=sh_brands, user=user, committee=committee, special_committee=unit
        )
    workflow.start_scoring(round_obj, by=sh_brands)
    criteria = list(round_obj.criteria.values_list("pk", flat=True))
    for (user, _unit), value in zip(panel, (10, 8, 6, 2), strict=True):
        workflow.score(candidate, by=user, values={pk: value for pk in criteria})
    # Totals 100, 80, 60, 20; without 100 and 20 the mean is 70.
    assert workflow.expert_scores(round_obj) == {candidate.pk: Decimal("70.00")}
    workflow.update_round  # noqa: B018 - rules are fixed once nominations open
    Round.objects.filter(pk=round_obj.pk).update(drop_extremes=False)
    round_obj.refresh_from_db()
    assert workflow.expert_scores(round_obj) == {candidate.pk: Decimal("65.00")}


def test_results_rank_per_series_and_publication_freezes_them(voting_round, sh_brands, next_ip):
    round_obj, (city, xuhui_brand, huangpu_brand) = voting_round
    for n in range(3):
        workflow.cast_vote(
            round_obj, xuhui_brand.pk, kind="phone", voter=f"1380000000{n}", ip=next_ip()
        )
    workflow.cast_vote(round_obj, huangpu_brand.pk, kind="phone", voter="13800000000", ip=next_ip())
    with pytest.raises(WrongState):
        workflow.close_voting(round_obj, by=sh_brands)  # the window is still open
    Round.objects.filter(pk=round_obj.pk).update(
        voting_opens_at=round_obj.voting_opens_at.replace(year=round_obj.year - 1),
        voting_closes_at=round_obj.voting_opens_at,
    )
    workflow.close_voting(round_obj, by=sh_brands)
    rows = {c.pk: c for c in round_obj.candidates.all()}
    # Expert scores are all 80 (8/10 on every criterion); votes 0, 3, 1 → 0, 100, 33.33.
    assert rows[xuhui_brand.pk].composite == Decimal("86.00")
    assert rows[huangpu_brand.pk].composite == Decimal("66.00")
    assert rows[city.pk].composite == Decimal("56.00")
    assert (rows[xuhui_brand.pk].rank, rows[huangpu_brand.pk].rank, rows[city.pk].rank) == (1, 2, 1)
    with pytest.raises(Invalid):
        workflow.override_award(rows[city.pk], by=sh_brands, award="top", reason="")
    workflow.override_award(rows[city.pk], by=sh_brands, award="top", reason="主席会议决定")
    workflow.publish(round_obj, by=sh_brands)
    city_row = Candidate.objects.get(pk=city.pk)
    assert (city_row.award, city_row.certificate_no[-6:]) == ("top", "SD-003")
    with pytest.raises(WrongState):
        workflow.override_award(city_row, by=sh_brands, award="none", reason="再改")
    with pytest.raises(WrongState):
        workflow.invalidate(round_obj, by=sh_brands, kind="ip", value="10.0.0.1", reason="刷票")
