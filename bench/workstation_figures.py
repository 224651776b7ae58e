"""Members and workstations at city scale: 6,000 seats of three levels and 215 member
workstations in 16 districts (DOMAIN §5), then the district figures and the members list.

    make bench-workstations   (or: .venv/bin/python -m bench.workstation_figures [--rebuild])
"""

import random
import sys
from datetime import date

from bench.common import measure, setup_django

SEATS, STATIONS, DISTRICTS = 6000, 215, 16


def build() -> None:
    from django.db import connection, transaction

    from members.models import Committee, Level, Person, Seat, Sector, Term
    from workstations.models import Activity, Placement, Street, Workstation

    rng = random.Random(6000)
    with transaction.atomic():
        national = Committee.objects.create(
            name="全国政协（基准）",
            short_name="全国政协",
            level=Level.NATIONAL,
            region_code="100000",
        )
        city = Committee.objects.create(
            name="上海市政协（基准）",
            short_name="市政协",
            level=Level.MUNICIPAL,
            region_code="310000",
            parent=national,
        )
        districts = [
            Committee.objects.create(
                name=f"第{i}区政协（基准）",
                short_name=f"第{i}区",
                level=Level.DISTRICT,
                region_code=f"3101{i:02d}",
                parent=city,
            )
            for i in range(1, DISTRICTS + 1)
        ]
        committees = [national, city, *districts]
        terms = {
            c.pk: Term.objects.create(committee=c, number=14, starts_on=date(2022, 1, 1))
            for c in committees
        }
        sectors = {
            c.pk: Sector.objects.bulk_create(
                [Sector(committee=c, name=f"界别{j}", order=j) for j in range(32)]
            )
            for c in committees
        }
        persons = Person.objects.bulk_create(
            [Person(name=f"委员{i:05d}", id_number=f"BENCH{i:06d}") for i in range(SEATS)]
        )
        # 200 national, 800 municipal, the rest spread over the districts
        owners = (
            [national] * 200
            + [city] * 800
            + [districts[i % DISTRICTS] for i in range(SEATS - 1000)]
        )
        seats = Seat.objects.bulk_create(
            [
                Seat(
                    person=person,
                    committee=c,
                    term_id=terms[c.pk].pk,
                    sector=sectors[c.pk][i % 32],
                    started_on=date(2022, 1, 1),
                    is_hk_macao=i % 150 == 0,
                    status="ended" if i % 90 == 0 else "active",
                )
                for i, (person, c) in enumerate(zip(persons, owners, strict=True))
            ]
        )
        streets = Street.objects.bulk_create(
            [
                Street(committee=districts[i % DISTRICTS], name=f"街镇{i:03d}", order=i)
                for i in range(STATIONS)
            ]
        )
        stations = Workstation.objects.bulk_create(
            [
                Workstation(
                    committee=street.committee,
                    tier="station",
                    street=street,
                    name=f"{street.name}委员工作站",
                )
                for street in streets
            ]
        )
        by_district = {}
        for station in stations:
            by_district.setdefault(station.committee_id, []).append(station)
        placements = []
        for i, seat in enumerate(seats):
            if i % 33 == 0:
                continue  # ~97% placed
            district_id = (
                seat.committee_id
                if seat.committee_id in by_district
                else districts[i % DISTRICTS].pk
            )
            placements.append(
                Placement(
                    workstation=rng.choice(by_district[district_id]),
                    seat=seat,
                    joined_on=date(2022, 3, 1),
                )
            )
        Placement.objects.bulk_create(placements)
        members = {}
        for placement in placements:
            members.setdefault(placement.workstation_id, []).append(placement.seat_id)
        activities = Activity.objects.bulk_create(
            [
                Activity(
                    workstation=station,
                    kind="consultation",
                    held_on=date(2023, m, 10),
                    topic=f"活动{m}",
                    public_participants=rng.randint(10, 80),
                )
                for station in stations
                for m in range(1, 13)
            ]
        )
        Through = Activity.attendees.through
        Through.objects.bulk_create(
            [
                Through(activity_id=a.pk, seat_id=s)
                for a in activities
                for s in rng.sample(
                    members[a.workstation_id], min(8, len(members[a.workstation_id]))
                )
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"built {len(seats)} seats, {len(stations)} stations, {len(placements)} placements, "
        f"{len(activities)} activities"
    )


def main() -> None:
    setup_django()
    from django.test import Client

    from members.models import Committee, Level, Seat, User
    from workstations.stats import district_figures, station_figures

    if "--rebuild" in sys.argv or not Seat.objects.exists():
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        build()
    districts = list(Committee.objects.filter(level=Level.DISTRICT).values_list("pk", flat=True))
    measure(
        f"district_figures: {len(districts)} districts, 2023",
        lambda: district_figures(districts, 2023),
    )
    measure("district_figures: one district, 2023", lambda: district_figures(districts[:1], 2023))
    from workstations.models import Workstation

    measure(
        "station_figures: all 215 stations, 2023",
        lambda: list(station_figures(Workstation.objects.all(), 2023)),
    )
    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.org", "bench-password", name="基准"
    )
    city_user = User.objects.filter(username="bench-city").first() or User.objects.create_user(
        "bench-city",
        name="市政协",
        committee=Committee.objects.get(level=Level.MUNICIPAL),
        is_staff=True,
    )
    from django.contrib.auth.models import Group

    city_user.groups.set([Group.objects.get(name="proposal_office")])
    for label, user in (("superuser", admin), ("municipal office", city_user)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for url in (
            "/api/v1/members/?page_size=50",
            "/api/v1/seats/?page_size=50&level=district",
            "/api/v1/members/?page_size=50&search=委员05",
        ):
            measure(f"GET {url} ({label})", lambda url=url, client=client: _ok(client.get(url)))


def _ok(response):
    assert response.status_code == 200, response.content[:300]
    return response


if __name__ == "__main__":
    from cppcc_portal import embedded

    try:
        main()
    finally:
        embedded.stop(only_started_here=True)
