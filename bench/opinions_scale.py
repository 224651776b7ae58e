"""Public-opinion information at scale: 200,000 pieces (Shanghai's ten years: the municipal office
receives over 17,200 a year, its 16 districts the rest), then the office's queue page (admin and
API) and the duplicate suggestions, with their query counts.

    make bench-opinions   (or: .venv/bin/python -m bench.opinions_scale [--rebuild] [--rows N]
                           [--in-place: use DATABASE_URL's own database, not <name>_bench])

Pieces are generated in SQL (INSERT … SELECT generate_series); the bigram column is filled by the
database as for any insert.
"""

import sys
import time

from bench.common import measure, setup_django

ROWS = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 200_000
DISTRICTS, SEATS, YEARS = 16, 300, 10
CITY_SHARE = 0.86  # 17,200 of about 20,000 a year

BUILD_SQL = """
INSERT INTO opinions_piece (
    committee_id, title, content, category, submitter_kind, seat_id, body_name, state,
    screening_note, created_by_id, created_at, received_at, submitted_at)
SELECT c.committee_id,
       '关于' || s.subject || '的' || (ARRAY['建议','对策建议','意见','情况反映'])[1 + g %% 4]
              || '（' || g || '）',
       (ARRAY['群众反映','委员调研发现','居民来信','企业座谈反映','基层干部反映'])[1 + g %% 5]
              || '，' || s.subject || '方面' ||
       (ARRAY['政策衔接不够','责任主体不清','资金保障不足','信息共享不畅','考核机制缺失',
              '基层力量薄弱','标准规范滞后'])[1 + (g / 7) %% 7] || '，' ||
       (ARRAY['影响群众获得感','企业反映强烈','存在安全隐患','造成资源浪费'])[1 + (g / 3) %% 4]
              || '。建议' ||
       (ARRAY['加强统筹协调','完善配套政策','建立长效机制','开展专项治理','加大财政投入',
              '推动数据共享'])[1 + (g / 11) %% 6] || '，' ||
       (ARRAY['明确部门职责','引入社会力量','试点先行','强化监督考核'])[1 + (g / 13) %% 4]
              || '。',
       (ARRAY['economy','politics','culture','society','ecology','other'])[1 + g %% 6],
       'member', c.first_seat + (g %% %(seats)s), '',
       CASE WHEN g %% 20 = 0 THEN 'submitted' WHEN g %% 20 < 8 THEN 'accepted' ELSE 'kept' END,
       '', %(user)s, now(), stamp, stamp
FROM generate_series(0, %(rows)s - 1) AS g
CROSS JOIN LATERAL (SELECT timestamp '2015-01-01'
                           + ((g * 7919) %% (%(years)s * 365)) * interval '1 day'
                           + (g %% 9) * interval '1 hour' AS stamp) AS t
JOIN bench_subjects AS s ON s.position = (g * 31) %% %(subjects)s
JOIN bench_committees AS c
  ON c.position = CASE WHEN g %% 100 < %(city_percent)s THEN 0 ELSE 1 + g %% %(districts)s END;
"""

SUBJECTS = [
    "老旧小区加装电梯维保",
    "社区嵌入式养老服务",
    "中小学课后托管服务",
    "社区卫生服务中心全科医生",
    "共享单车停放管理",
    "早餐网点布局",
    "商圈夜间经济",
    "初创企业融资",
    "小微企业房租补贴",
    "涉企检查",
    "滨江公共空间照明",
    "垃圾分类投放点",
    "河道水质",
    "历史建筑保护利用",
    "公共图书馆延时开放",
    "基层重复填报",
    "居民区停车错峰共享",
    "新能源汽车充电桩",
    "外卖骑手交通安全",
    "托育服务供给",
    "长护险评估",
    "高校毕业生就业",
    "城市更新中的居民安置",
    "菜市场营业时间",
    "地铁末班车衔接",
    "无障碍设施改造",
    "社区食堂运营",
    "防汛排涝",
    "噪声扰民治理",
    "跨境电商监管",
]


def build() -> None:
    from datetime import date

    from django.db import connection, transaction

    from members.models import Committee, Level, Person, Seat, Term, User

    start = time.perf_counter()
    with transaction.atomic():
        user = User.objects.create_superuser(
            "bench", "bench@example.org", "bench-password", name="基准"
        )
        country = Committee.objects.create(
            name="全国政协（基准）",
            short_name="全国政协",
            level=Level.NATIONAL,
            region_code="100000",
        )
        city = Committee.objects.create(
            name="市政协（基准）",
            short_name="市政协",
            level=Level.MUNICIPAL,
            region_code="310000",
            parent=country,
        )
        committees = [city] + [
            Committee.objects.create(
                name=f"第{i}区政协（基准）",
                short_name=f"第{i}区",
                level=Level.DISTRICT,
                region_code=f"3101{i:02d}",
                parent=city,
            )
            for i in range(1, DISTRICTS + 1)
        ]
        rows = []
        for position, committee in enumerate(committees):
            term = Term.objects.create(committee=committee, number=14, starts_on=date(2015, 1, 1))
            persons = Person.objects.bulk_create(
                [Person(name=f"委员{position}-{j}") for j in range(SEATS)]
            )
            seats = Seat.objects.bulk_create(
                [
                    Seat(person=p, committee=committee, term=term, started_on=date(2015, 1, 1))
                    for p in persons
                ]
            )
            rows.append((position, committee.pk, seats[0].pk))
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_committees, bench_subjects")
            cursor.execute(
                "CREATE TABLE bench_committees (position int, committee_id bigint, "
                "first_seat bigint)"
            )
            cursor.executemany("INSERT INTO bench_committees VALUES (%s, %s, %s)", rows)
            cursor.execute("CREATE TABLE bench_subjects (position int, subject text)")
            cursor.executemany(
                "INSERT INTO bench_subjects VALUES (%s, %s)", list(enumerate(SUBJECTS))
            )
            cursor.execute(
                BUILD_SQL,
                {
                    "rows": ROWS,
                    "seats": SEATS,
                    "years": YEARS,
                    "subjects": len(SUBJECTS),
                    "districts": DISTRICTS,
                    "city_percent": round(100 * CITY_SHARE),
                    "user": user.pk,
                },
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"built {ROWS} pieces in {time.perf_counter() - start:.0f} s")


def main() -> None:
    setup_django(suffix="" if "--in-place" in sys.argv else "_bench")
    from django.test import Client
    from django.test.utils import override_settings

    from core.roles import Role
    from members.models import Committee, Level, User
    from members.tests.factories import UserFactory
    from opinions.models import Piece
    from opinions.similarity import similar_pieces

    if "--rebuild" in sys.argv or Piece.objects.count() < ROWS:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        build()
    city = Committee.objects.get(level=Level.MUNICIPAL)
    district = Committee.objects.filter(level=Level.DISTRICT).order_by("pk").first()
    print(
        f"{Piece.objects.count()} pieces; the city receives "
        f"{Piece.objects.filter(committee=city, received_at__year=2024).count()} in 2024"
    )
    office = User.objects.filter(username="bench_office").first() or UserFactory(
        username="bench_office", committee=city, is_staff=True, roles=[Role.OPINION_OFFICE]
    )
    client = Client()
    client.force_login(office)

    def get(url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return fetch

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        measure(
            "admin queue: unscreened pieces, city (page 1 of 50)",
            get(f"/admin/opinions/piece/?queue=unscreened&committee__id__exact={city.pk}"),
            runs=5,
        )
        measure(
            "admin queue: all pieces the city reads (its 16 districts too)",
            get("/admin/opinions/piece/"),
            runs=5,
        )
        measure(
            "API queue: /opinion-pieces/?state=submitted&page_size=50",
            get(f"/api/v1/opinion-pieces/?state=submitted&committee={city.pk}&page_size=50"),
            runs=5,
        )
    newest_city = Piece.objects.filter(committee=city).order_by("-received_at").first()
    newest_district = Piece.objects.filter(committee=district).order_by("-received_at").first()
    found = similar_pieces(newest_city)
    print(f"  suggestions for “{newest_city.title}”: {[(p.title, s) for p, s in found][:3]}")
    measure(
        "similar_pieces: city (≈17,200 pieces in 12 months)",
        lambda: similar_pieces(newest_city),
        runs=7,
    )
    measure("similar_pieces: a district", lambda: similar_pieces(newest_district), runs=7)


if __name__ == "__main__":
    from cppcc_portal import embedded

    try:
        main()
    finally:
        embedded.stop(only_started_here=True)
