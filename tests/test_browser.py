"""Journeys in a real browser: Playwright for Python driving Debian's Chromium (/usr/bin/chromium,
the `chromium` package — never a downloaded browser) against the live test server.

Without Chromium the module is skipped, saying why."""

import os
import re
import shutil
import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="Chromium is not installed (apt-get install chromium): browser tests skipped",
    ),
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "browser-pass-2026"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    # synchronous and between page actions, which Django's guard cannot tell.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def _login(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def member(xuhui):
    from core.roles import Role
    from members.tests.factories import PlenarySessionFactory, SeatFactory, TermFactory, UserFactory
    from proposals.models import Category

    today = timezone.localdate()
    session = PlenarySessionFactory(
        term=TermFactory(committee=xuhui, number=14, starts_on=date(2022, 1, 1)),
        number=5,
        opens_on=today - timedelta(days=30),
        closes_on=today - timedelta(days=25),
    )
    Category.objects.create(committee=xuhui, name="社会建设")
    user = UserFactory(username="browser_member", committee=xuhui, roles=[Role.MEMBER])
    user.set_password(PASSWORD)
    user.save()
    SeatFactory(committee=xuhui, person__user=user, person__name="浏览器委员")
    return user, session


def test_a_member_writes_saves_and_submits_a_proposal(page, member):
    _user, session = member
    _login(page, "browser_member")
    page.goto("/proposals/new/")
    page.select_option("select[name=session]", str(session.pk))
    page.select_option("select[name=timing]", index=1)
    page.select_option("select[name=category]", label="社会建设")
    page.fill("input[name=title]", "关于优化社区养老服务的建议")
    for name in ("reason", "analysis", "suggestions", "research_basis"):
        page.fill(f"textarea[name={name}]", "走访了五个社区，调研了养老服务站的运行情况。")
    page.click("button:has-text('保存草稿')")
    page.wait_for_url(re.compile(r".*/proposals/\d+/$"))
    assert page.locator("h1").inner_text().startswith("关于优化社区养老服务的建议")
    page.click("button:has-text('提交')")
    page.wait_for_load_state()
    from proposals.models import Proposal

    proposal = Proposal.objects.get(title="关于优化社区养老服务的建议")
    assert proposal.state == "submitted"
    assert "待初审" in page.content()


def test_the_public_reads_brands_and_votes_with_a_phone_code(page, settings, voting_round_live):
    settings.DEMO_MODE = True  # the demo shows the code it "sent"
    round_obj = voting_round_live
    phone = f"139{time.time_ns() % 10**8:08d}"  # the code limits per address outlive a test
    page.goto("/brands/")
    assert page.locator("text=去投票").count() == 1
    page.click("text=去投票")
    page.wait_for_url(re.compile(rf".*/brands/rounds/{round_obj.pk}/$"))
    page.click("text=请先登录或验证手机号/电子邮箱")
    page.fill("input[name=address]", phone)
    page.click("button:has-text('获取验证码')")
    notice = page.locator(".alert", has_text="演示模式").inner_text()
    code = re.search(r"\d{6}", notice).group()
    page.fill("input[name=code]", code)
    page.click("button:has-text('验证')")
    page.wait_for_url(re.compile(rf".*/brands/rounds/{round_obj.pk}/$"))
    page.locator("button:has-text('投票')").first.click()
    page.wait_for_load_state()
    assert "投票成功" in page.content()
    page.locator("button:has-text('投票')").first.click()
    page.wait_for_load_state()
    assert "您今天已为该品牌投过票" in page.content()
    from brands.models import Vote

    assert Vote.objects.filter(voter=phone).count() == 1


@pytest.fixture
def voting_round_live(shanghai, xuhui, huangpu, settings):
    from brands.tests import factories
    from core.roles import Role
    from members.tests.factories import UserFactory

    settings.BRAND_VOTE_RATES = {"burst": "1000/10s", "sustained": "1000/h"}
    settings.BRAND_CODE_RATES = {"address": "1000/10m", "ip": "1000/h"}
    office = UserFactory(username="live_brands", committee=shanghai, roles=[Role.BRAND_OFFICE])
    series = factories.series(shanghai, "综合性工作和机关建设")
    experts = [
        (UserFactory(username=f"live_expert{i}", committee=unit, roles=[Role.BRAND_EXPERT]), unit)
        for i, unit in enumerate([xuhui, huangpu])
    ]
    brand = factories.brand(shanghai, office, series[0], "政协头条")
    round_obj = factories.round_(shanghai, office, series)
    factories.to_voting(round_obj, office, [(brand, office)], experts)
    return round_obj


def test_the_language_switch_turns_the_portal_into_english(page):
    page.goto("/proposals/public/")
    assert page.locator("nav").get_by_text("提案公开").count() == 1
    page.click("nav button[value=en]")
    page.wait_for_load_state()
    assert page.locator("nav").get_by_text("Brands", exact=False).count() >= 1
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_statistics_page_draws_its_charts(page, xuhui):
    from core.roles import Role
    from members.tests.factories import UserFactory
    from yearbook import workflow

    staff = UserFactory(
        username="browser_staff", committee=xuhui, is_staff=True, roles=[Role.PROPOSAL_OFFICE]
    )
    staff.set_password(PASSWORD)
    staff.save()
    workflow.compute(xuhui, timezone.localdate().year)
    _login(page, "browser_staff")
    page.goto(f"/statistics/{xuhui.pk}/{timezone.localdate().year}/")
    page.wait_for_selector("canvas", timeout=15_000)
    assert page.locator("canvas").count() >= 1


@pytest.mark.parametrize("path", ["/", "/proposals/public/", "/brands/", "/login/"])
def test_public_pages_fit_a_375_pixel_phone(browser, live_server, path):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    phone = context.new_page()
    phone.goto(path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 375, f"{path} is {width} px wide"
