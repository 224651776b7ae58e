"""factory_boy factories of the organisation directory."""

from datetime import date

import factory
from django.contrib.auth.models import Group

from members.models import Committee, HandlingUnit, Level, Person, PlenarySession, Seat, Term, User


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ["region_code"]

    level = Level.DISTRICT
    region_code = factory.Sequence(lambda n: f"{310200 + n}")
    short_name = factory.Sequence(lambda n: f"测试{n}区政协")
    name = factory.LazyAttribute(lambda o: f"中国人民政治协商会议{o.short_name[:-2]}委员会")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    committee = factory.SubFactory(CommitteeFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_on = date(2022, 1, 1)
    ends_on = date(2027, 1, 1)


class PlenarySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlenarySession

    term = factory.SubFactory(TermFactory)
    number = factory.Sequence(lambda n: n + 1)
    opens_on = factory.LazyAttribute(lambda o: date(2021 + o.number, 1, 6))
    closes_on = factory.LazyAttribute(lambda o: date(2021 + o.number, 1, 9))


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"区测试局{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(roles=["proposal_office"], committee=...)`; password is "pass-word-123"."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    committee = factory.SubFactory(CommitteeFactory)
    password = factory.django.Password("pass-word-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="zh_CN")
    id_number = factory.Sequence(lambda n: f"HK{n:07d}")
    phone = "13800138000"
    address = "上海市徐汇区漕溪北路1号"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    person = factory.SubFactory(PersonFactory)
    committee = factory.SubFactory(CommitteeFactory)
    term = factory.LazyAttribute(
        lambda o: (
            Term.objects.filter(committee=o.committee).first() or TermFactory(committee=o.committee)
        )
    )
    started_on = date(2022, 1, 5)
