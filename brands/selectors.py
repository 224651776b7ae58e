"""Read-side queries of brands: the public showcase, a brand's page with the live figures of the
work it stands on, a round's public results, an expert's queue and the fraud dashboard."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from brands.models import Brand, Candidate, Expert, Round, Vote
from consultations.models import Meeting
from core.params import search_text
from core.scoping import can_read
from members.models import Committee
from proposals.models import Proposal, State
from workstations.models import Activity, Placement, Workstation

PUBLIC_ROUND_STATES = (Round.State.VOTING, Round.State.DELIBERATING, Round.State.PUBLISHED)


def public_brands() -> QuerySet[Brand]:
    """Brands shown to the public: marked public and not retired."""
    return Brand.objects.filter(is_public=True).exclude(status=Brand.Status.RETIRED)


def showcase(*, q: str = "", series=None, committee=None, award: str = "") -> QuerySet[Brand]:
    brands = (
        public_brands()
        .select_related("series", "committee", "special_committee")
        .annotate(
            awards=Count(
                "candidacies",
                filter=Q(candidacies__round__state=Round.State.PUBLISHED)
                & Q(candidacies__award__in=[Candidate.Award.TOP, Candidate.Award.EXCELLENT]),
            )
        )
    )
    q = search_text(q)
    if q:
        brands = brands.filter(
            Q(name__icontains=q) | Q(overview__icontains=q) | Q(highlights__icontains=q)
        )
    if series is not None:
        brands = brands.filter(series=series)
    if committee is not None:
        brands = brands.filter(committee=committee)
    if award:
        brands = brands.filter(
            Exists(
                Candidate.objects.filter(
                    brand=OuterRef("pk"), award=award, round__state=Round.State.PUBLISHED
                )
            )
        )
    return brands.order_by("series__committee", "series__order", "series", "name")


def visible_brand(user, pk: int) -> Brand | None:
    """A brand the public may see, or one of the user's committees (staff preview)."""
    brand = (
        Brand.objects.select_related("series", "committee", "special_committee", "merged_into")
        .prefetch_related("figures", "milestones", "images")
        .filter(pk=pk)
        .first()
    )
    if brand is None:
        return None
    if brand.is_public and brand.status != Brand.Status.RETIRED:
        return brand
    if getattr(user, "is_authenticated", False) and can_read(user, brand.committee_id):
        return brand
    return None


def certificates(brand: Brand) -> QuerySet[Candidate]:
    return (
        Candidate.objects.filter(brand=brand, round__state=Round.State.PUBLISHED)
        .exclude(certificate_no="")
        .select_related("round")
        .order_by("-round__year")
    )


def live_figures(brand: Brand, year: int | None = None) -> list[tuple[str, int, str]]:
    """(label, value, unit) from the portal for the work the brand stands on, this year."""
    year = year or timezone.localdate().year
    rows: list[tuple[str, int, str]] = []
    if brand.workstation_id:
        activities = Activity.objects.filter(workstation=brand.workstation_id, held_on__year=year)
        totals = activities.aggregate(n=Count("pk"), people=Sum("public_participants"))
        members = Placement.objects.filter(
            workstation=brand.workstation_id, left_on__isnull=True
        ).count()
        rows += [
            (_("%(y)d年活动") % {"y": year}, totals["n"], _("场")),
            (_("%(y)d年群众参与") % {"y": year}, totals["people"] or 0, _("人次")),
            (_("进站委员"), members, _("人")),
        ]
    if brand.workstation_tier:
        tree = Committee.objects.filter(
            Q(pk=brand.committee_id)
            | Q(parent_id=brand.committee_id)
            | Q(parent__parent_id=brand.committee_id)
        )
        stations = Workstation.objects.filter(committee__in=tree, tier=brand.workstation_tier)
        activities = Activity.objects.filter(workstation__in=stations, held_on__year=year)
        totals = activities.aggregate(n=Count("pk"), people=Sum("public_participants"))
        rows += [
            (_("站室点"), stations.count(), _("个")),
            (_("%(y)d年活动") % {"y": year}, totals["n"], _("场")),
            (_("%(y)d年群众参与") % {"y": year}, totals["people"] or 0, _("人次")),
        ]
    if brand.meeting_kind:
        held = Meeting.objects.filter(
            committee=brand.committee_id,
            kind=brand.meeting_kind,
            status=Meeting.Status.HELD,
            held_on__year=year,
        ).count()
        rows.append((_("%(y)d年召开会议") % {"y": year}, held, _("次")))
    if brand.proposal_category_id:
        proposals = Proposal.objects.filter(
            committee=brand.committee_id,
            category=brand.proposal_category_id,
            submitted_at__year=year,
        ).aggregate(
            n=Count("pk"),
            filed=Count(
                "pk",
                filter=Q(state__in=[State.FILED, State.HANDLING, State.REPLIED, State.CLOSED]),
            ),
        )
        rows += [
            (_("%(y)d年提案") % {"y": year}, proposals["n"], _("件")),
            (_("%(y)d年立案") % {"y": year}, proposals["filed"], _("件")),
        ]
    return rows


def public_round(pk: int) -> Round | None:
    return Round.objects.filter(pk=pk, state__in=PUBLIC_ROUND_STATES).first()


def open_rounds() -> QuerySet[Round]:
    now = timezone.now()
    return Round.objects.filter(
        state=Round.State.VOTING, voting_opens_at__lte=now, voting_closes_at__gt=now
    ).order_by("voting_closes_at")


def round_candidates(round_: Round) -> QuerySet[Candidate]:
    """The eligible candidates in the round's series order."""
    return (
        round_.candidates.filter(state=Candidate.State.ELIGIBLE)
        .select_related("brand__series", "brand__committee", "brand__special_committee")
        .order_by("brand__series__order", "brand__series", "number")
    )


def expert_rounds(user) -> QuerySet[Expert]:
    """The panels the user sits on, newest round first."""
    return (
        Expert.objects.filter(user=user)
        .select_related("round", "committee", "special_committee")
        .prefetch_related(Prefetch("round__criteria"))
        .order_by("-round__year", "-round_id")
    )


def trends(round_: Round, *, hours: int = 24, top: int = 20) -> dict[str, list[dict]]:
    """The fraud dashboard: per candidate and hour of the last `hours`, the IPs, e-mail domains
    and phone prefixes that cast the most votes (valid and invalidated)."""
    since = timezone.now() - timedelta(hours=hours)
    recent = Vote.objects.filter(round=round_, cast_at__gte=since)
    result = {}
    for field in ("ip", "network"):
        rows = (
            (recent.exclude(network="") if field == "network" else recent)
            .annotate(hour=TruncHour("cast_at"))
            .values("candidate", "candidate__brand__name", "hour", field)
            .annotate(
                votes=Count("pk"),
                invalid=Count("pk", filter=Q(invalidation__isnull=False)),
                voters=Count("voter", distinct=True),
            )
            .order_by("-votes")[:top]
        )
        result[field] = [{**row, "value": row[field]} for row in rows]
    return result
