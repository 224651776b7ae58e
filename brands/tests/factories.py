"""Brands and rounds for tests, built through the workflow acts."""

from datetime import timedelta

from django.utils import timezone

from brands import workflow
from brands.models import Round, Series


def series(committee, *names):
    return [
        Series.objects.get_or_create(committee=committee, name=name, defaults={"order": order})[0]
        for order, name in enumerate(names, start=1)
    ]


def brand(committee, office, series, name, **extra):
    return workflow.create_brand(
        committee=committee,
        by=office,
        series=series,
        name=name,
        founded_year=extra.pop("founded_year", 2019),
        overview=extra.pop("overview", f"{name}的品牌概况"),
        **extra,
    )


def round_(committee, office, series_list, *, criteria=(("创新性", 40), ("实效性", 60)), **rules):
    """A round in set-up whose voting window is open now."""
    today = timezone.localdate()
    now = timezone.now()
    values = {
        "year": today.year,
        "title": rules.pop("title", f"{today.year}年工作品牌评选"),
        "nomination_closes_on": today - timedelta(days=30),
        "check_closes_on": today - timedelta(days=20),
        "scoring_closes_on": today - timedelta(days=10),
        "voting_opens_at": now - timedelta(days=1),
        "voting_closes_at": now + timedelta(days=7),
        "deliberation_on": today + timedelta(days=10),
        "publication_on": today + timedelta(days=12),
        **rules,
    }
    created = workflow.create_round(committee=committee, by=office, series=series_list, **values)
    for order, (name, weight) in enumerate(criteria):
        workflow.save_criterion(created, by=office, name=name, weight=weight, order=order)
    return created


def to_voting(round_obj: Round, office, candidates, experts, scores=None):
    """Nominations closed, every candidate eligible, every expert's scores in, voting open.
    `candidates` are (brand, nominating office) pairs; `scores` maps brand name → a score out of
    10 given on every criterion (default 8)."""
    workflow.open_nominations(round_obj, by=office)
    made = [
        workflow.nominate(round_obj, brand, by=nominator, materials="申报材料")
        for brand, nominator in candidates
    ]
    workflow.close_nominations(round_obj, by=office)
    for candidate in made:
        workflow.check_eligibility(candidate, by=office, eligible=True)
    for user, unit in experts:
        workflow.add_expert(round_obj, by=office, user=user, committee=unit)
    workflow.start_scoring(round_obj, by=office)
    criteria = list(round_obj.criteria.values_list("pk", flat=True))
    for expert in round_obj.experts.all():
        for candidate in workflow.scorable(expert):
            value = (scores or {}).get(candidate.brand.name, 8)
            workflow.score(candidate, by=expert.user, values={pk: value for pk in criteria})
    workflow.open_voting(round_obj, by=office)
    round_obj.refresh_from_db()
    return made
