"""Acts on workstations: placing members (落组进站) and ending placements, recording activities
(whose attendees earn performance acts), the yearly 五个好 assessment, and the awards 达标授牌
and 示范点.

Each act checks the user's rights, locks the row it changes, and leaves a history entry with who
and why; admin, portal, API and tasks call these functions and nothing else.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Invalid, NotAllowed, WrongState
from core.history import stamp
from members.models import Committee, Level, Seat, SeatStatus
from members.performance import record_act, withdraw_acts_of
from workstations.models import Activity, Assessment, Award, Placement, Workstation
from workstations.permissions import can_assess, can_award, can_manage

ACT_KIND = "workstation_activity"


def _locked_workstation(workstation: Workstation, user, perm: str) -> Workstation:
    locked = Workstation.objects.select_for_update().get(pk=workstation.pk)
    if not can_manage(user, locked, perm=perm):
        raise NotAllowed(_("您无权管理该站室点。"))
    if not locked.is_active:
        raise WrongState(_("该站室点已停用。"))
    return locked


@transaction.atomic
def place(
    *, workstation: Workstation, seat: Seat, joined_on: date, by, role=Placement.Role.MEMBER
) -> Placement:
    """Place a seat of the workstation's committee or of a committee above it (a municipal or
    national member may join a district's station; another district's member may not); the
    municipal committee's studios and contact points take members of every level, its
    districts' included."""
    workstation = _locked_workstation(workstation, by, "workstations.add_placement")
    if seat.committee_id not in placeable_committee_ids(workstation.committee):
        raise Invalid(
            _("只能安排本政协、上级政协或（市政协的站室点）所辖区政协的委员进站。"), field="seat"
        )
    if seat.status != SeatStatus.ACTIVE:
        raise Invalid(_("只有在任委员可以进站。"), field="seat")
    if workstation.placements.filter(seat=seat, left_on__isnull=True).exists():
        raise WrongState(_("该委员已在本站。"), field="seat")
    placement = Placement(workstation=workstation, seat=seat, role=role, joined_on=joined_on)
    stamp(placement, by, _("进站")).save()
    return placement


@transaction.atomic
def end_placement(placement: Placement, *, left_on: date, by, reason: str = "") -> Placement:
    """The member leaves the workstation; the placement is kept as history."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _locked_workstation(placement.workstation, by, "workstations.change_placement")
    if placement.left_on is not None:
        raise WrongState(_("该委员已离站。"))
    if left_on < placement.joined_on:
        raise Invalid(_("离站日期不能早于进站日期。"), field="left_on")
    placement.left_on = left_on
    stamp(placement, by, reason or _("离站")).save(update_fields=["left_on"])
    return placement


def check_attendees(workstation: Workstation, held_on: date, attendees) -> list[Seat]:
    """The attendees, if each was placed in the workstation on that day; else WrongState."""
    attendees = list(attendees)
    placed = set(
        workstation.placements.filter(joined_on__lte=held_on)
        .exclude(left_on__lt=held_on)
        .values_list("seat_id", flat=True)
    )
    strangers = [seat for seat in attendees if seat.pk not in placed]
    if strangers:
        names = "、".join(str(seat.person) for seat in strangers)
        raise Invalid(
            _("以下委员活动当日不在本站：%(names)s") % {"names": names}, field="attendees"
        )
    return attendees


def _record_attendance(activity: Activity, attendees: list[Seat]) -> None:
    withdraw_acts_of(activity, kind=ACT_KIND)
    activity.attendees.set(attendees)
    for seat in attendees:
        record_act(seat=seat, kind=ACT_KIND, on=activity.held_on, source=activity)


@transaction.atomic
def record_activity(
    *,
    workstation: Workstation,
    by,
    kind: str,
    held_on: date,
    topic: str,
    attendees=(),
    public_participants: int = 0,
    outcomes: str = "",
) -> Activity:
    """Record an activity; each member present earns a performance act."""
    workstation = _locked_workstation(workstation, by, "workstations.add_activity")
    attendees = check_attendees(workstation, held_on, attendees)
    activity = Activity(
        workstation=workstation,
        kind=kind,
        held_on=held_on,
        topic=topic,
        public_participants=public_participants,
        outcomes=outcomes,
        recorded_by=by,
    )
    activity.full_clean(exclude=["attendees"])
    stamp(activity, by).save()
    _record_attendance(activity, attendees)
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, by, attendees=None, **changes) -> Activity:
    """Change an activity; a changed date or list of attendees re-derives the performance acts."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _locked_workstation(activity.workstation, by, "workstations.change_activity")
    for field, value in changes.items():
        setattr(activity, field, value)
    activity.full_clean(exclude=["attendees"])
    stamp(activity, by).save()
    seats = list(activity.attendees.all()) if attendees is None else attendees
    _record_attendance(activity, check_attendees(activity.workstation, activity.held_on, seats))
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, by) -> None:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _locked_workstation(activity.workstation, by, "workstations.delete_activity")
    withdraw_acts_of(activity)
    stamp(activity, by).delete()


def placeable_committee_ids(committee: Committee) -> set[int]:
    """Whose seats may join a workstation of `committee`: its own, those above it, and for the
    municipal committee those of its districts."""
    above = (committee.parent_id, getattr(committee.parent, "parent_id", None))
    ids = {committee.pk, *(pk for pk in above if pk is not None)}
    if committee.level == Level.MUNICIPAL:
        ids |= set(committee.children.values_list("pk", flat=True))
    return ids


@transaction.atomic
def assess(*, workstation: Workstation, year: int, by, comment: str = "", **scores) -> Assessment:
    """Record (or correct) the year's 五个好 assessment of a workstation."""
    workstation = Workstation.objects.select_for_update().get(pk=workstation.pk)
    if not can_assess(by, workstation):
        raise NotAllowed(_("只有本区政协工作人员可以评定。"))
    assessment = Assessment.objects.filter(
        workstation=workstation, year=year
    ).first() or Assessment(workstation=workstation, year=year)
    for name in Assessment.CRITERIA:
        setattr(assessment, name, scores[name])
    assessment.comment = comment
    assessment.assessed_by = by
    assessment.full_clean()
    stamp(assessment, by).save()
    return assessment


PASS_MARK = 12  # 达标: every one of the five criteria scored at least 12 of 20 in the year


@transaction.atomic
def award(*, workstation: Workstation, kind: str, year: int, by) -> Workstation:
    """授牌: a workstation whose year's 五个好 assessment meets the standard (every criterion at
    least PASS_MARK) is certified 达标; a certified one may be named a 示范点. The district's
    staff or the municipal committee's (which awards its districts' stations) record it."""
    workstation = Workstation.objects.select_for_update().get(pk=workstation.pk)
    if not can_award(by, workstation):
        raise NotAllowed(_("只有本区政协或市政协工作人员可以授牌。"))
    if not workstation.is_active:
        raise WrongState(_("该站室点已停用。"))
    if kind == Award.CERTIFIED:
        if workstation.certified_year is not None:
            raise WrongState(
                _("该站室点已于%(year)d年达标授牌。") % {"year": workstation.certified_year}
            )
        assessment = workstation.assessments.filter(year=year).first()
        if assessment is None:
            raise Invalid(_("该年度尚无“五个好”评定，不能授牌。"), field="year")
        if min(getattr(assessment, name) for name in Assessment.CRITERIA) < PASS_MARK:
            raise Invalid(
                _("“五个好”每项须达到%(mark)d分方可达标。") % {"mark": PASS_MARK}, field="year"
            )
        workstation.certified_year = year
    elif kind == Award.DEMONSTRATION:
        if workstation.demonstration_year is not None:
            raise WrongState(_("该站室点已被命名为示范点。"))
        if workstation.certified_year is None or workstation.certified_year > year:
            raise WrongState(_("须先达标授牌，方可命名为示范点。"))
        workstation.demonstration_year = year
    else:
        raise Invalid(_("未知的授牌类型。"), field="kind")
    field = "certified_year" if kind == Award.CERTIFIED else "demonstration_year"
    stamp(workstation, by, str(Award(kind).label)).save(update_fields=[field])
    return workstation
