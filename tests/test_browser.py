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


def test_the_statistics_page_draws_its_charts(page, xuhui, member):
    from core.roles import Role
    from members.models import Seat
    from members.tests.factories import UserFactory
    from proposals.models import Category
    from proposals.tests import helpers
    from yearbook import workflow

    user, session = member
    seat = Seat.objects.get(person__user=user)
    helpers.submitted(xuhui, session, Category.objects.get(committee=xuhui), (user, seat))
    staff = UserFactory(
        username="browser_staff", committee=xuhui, is_staff=True, roles=[Role.PROPOSAL_OFFICE]
    )
    staff.set_password(PASSWORD)
    staff.save()
    workflow.compute(xuhui, timezone.localdate().year)
    _login(page, "browser_staff")
    page.goto(f"/statistics/{xuhui.pk}/{timezone.localdate().year}/")
    page.wait_for_selector("#chart-proposals-by_kind canvas", timeout=15_000)
    # A breakdown with nothing in it (no reply yet) is an empty state, not equal slices.
    assert page.locator("#chart-proposals-reply_mix").count() == 0
    assert "暂无数据" in page.locator("[data-empty-chart='proposals-reply_mix']").inner_text()


@pytest.mark.parametrize("path", ["/", "/proposals/public/", "/brands/", "/login/"])
def test_public_pages_fit_a_375_pixel_phone(browser, live_server, path):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    phone = context.new_page()
    phone.goto(path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 375, f"{path} is {width} px wide"


def _staff(username, committee, role, *, is_staff=True, **extra):
    from members.tests.factories import UserFactory

    user = UserFactory(
        username=username, committee=committee, is_staff=is_staff, roles=[role], **extra
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _as(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    _login(tab, username)
    return context, tab


def _admin_action(page, proposal, action, **fields):
    """Select the proposal in the admin list, run `action`, fill the act's form, confirm."""
    page.goto("/admin/proposals/proposal/")
    page.check(f"input[name=_selected_action][value='{proposal.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.click("input[name=apply]")
    page.wait_for_load_state()
    return page.content()


@pytest.fixture
def submitted_proposal(member, xuhui):
    from members.models import Seat
    from proposals.models import Category
    from proposals.tests import helpers

    user, session = member
    seat = Seat.objects.get(person__user=user)
    category = Category.objects.get(committee=xuhui)
    return helpers.submitted(xuhui, session, category, (user, seat))


def test_the_three_reviews_file_a_proposal_in_the_admin(
    browser, live_server, submitted_proposal, xuhui
):
    from core.roles import Role

    steps = [
        ("browser_office", Role.PROPOSAL_OFFICE, "pass_first_review", "second_review"),
        ("browser_review", Role.REVIEW_GROUP, "pass_second_review", "final_review"),
        ("browser_director", Role.DIRECTORS_MEETING, "file", "filed"),
    ]
    for username, role, action, state in steps:
        _staff(username, xuhui, role)
        context, tab = _as(browser, live_server, username)
        content = _admin_action(tab, submitted_proposal, action, opinion="同意")
        context.close()
        submitted_proposal.refresh_from_db()
        assert submitted_proposal.state == state, content[:2000]


def test_a_unit_accepts_and_replies_and_the_member_rates_the_reply(
    browser, live_server, submitted_proposal, xuhui, xuhui_office
):
    from core.roles import Role
    from members.tests.factories import HandlingUnitFactory
    from proposals import workflow
    from proposals.models import Assignment, Feedback
    from proposals.tests import helpers

    office = _staff("browser_office2", xuhui, Role.PROPOSAL_OFFICE)
    review = _staff("browser_review2", xuhui, Role.REVIEW_GROUP)
    director = _staff("browser_director2", xuhui, Role.DIRECTORS_MEETING)
    helpers.filed(
        submitted_proposal,
        {Role.PROPOSAL_OFFICE: office, Role.REVIEW_GROUP: review, Role.DIRECTORS_MEETING: director},
    )
    unit = HandlingUnitFactory(committee=xuhui, name="区民政局")
    workflow.assign(submitted_proposal, units=[(unit, Assignment.Role.LEAD)], by=office)
    _staff("browser_unit", None, Role.HANDLING_UNIT, is_staff=False, handling_unit=unit)
    context, tab = _as(browser, live_server, "browser_unit")
    assignment = Assignment.objects.get(proposal=submitted_proposal)
    tab.goto("/proposals/unit/")
    tab.click(f"text={submitted_proposal.title}")
    tab.click("button:has-text('签收')")
    tab.wait_for_load_state()
    tab.goto(f"/proposals/unit/{assignment.pk}/")
    tab.select_option("select[name=reply-result]", index=1)
    tab.fill("textarea[name=reply-text]", "经研究，已将社区养老服务纳入年度计划。")
    tab.fill("input[name=reply-signatory]", "张局长")
    tab.fill("input[name=reply-replied_on]", timezone.localdate().isoformat())
    tab.check("input[name=reply-publishable]")
    tab.click("button:has-text('提交答复')")
    tab.wait_for_load_state()
    context.close()
    assignment.refresh_from_db()
    assert assignment.status == "replied", assignment.status
    context, tab = _as(browser, live_server, "browser_member")
    tab.goto(f"/proposals/{submitted_proposal.pk}/")
    tab.locator("input[name=rating]").first.check()
    tab.click("button:has-text('提交评价')")
    tab.wait_for_load_state()
    context.close()
    assert Feedback.objects.filter(reply__assignment=assignment).count() == 1
    # The public finds it by a word of its title (the proposer agreed to disclose it).
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.goto("/proposals/public/")
    tab.fill("input[name=q]", "社区卫生")
    tab.click("button:has-text('查询')")
    tab.wait_for_load_state()
    found = tab.locator("table tbody").inner_text()
    context.close()
    assert submitted_proposal.title in found


def test_a_member_signs_in_to_one_meeting_and_asks_leave_for_another(
    browser, live_server, member, xuhui
):
    from consultations import workflow
    from consultations.models import Invitation
    from core.roles import Role
    from members.models import Seat

    user, _session = member
    seat = Seat.objects.get(person__user=user)
    consult = _staff("browser_consult", xuhui, Role.CONSULTATION_OFFICE)
    today = timezone.localdate()
    held = workflow.plan_meeting(
        committee=xuhui, kind="bimonthly", title="今日双月协商会", held_on=today, by=consult
    )
    coming = workflow.plan_meeting(
        committee=xuhui,
        kind="salon",
        title="下周委员沙龙",
        held_on=today + timedelta(days=7),
        by=consult,
    )
    for meeting in (held, coming):
        workflow.invite(meeting, seats=[seat], by=consult)
    context, tab = _as(browser, live_server, "browser_member")
    tab.goto(f"/consultations/meetings/{held.pk}/")
    tab.click("button:has-text('签到')")
    tab.wait_for_load_state()
    tab.goto(f"/consultations/meetings/{coming.pk}/")
    tab.fill("[name=reason]", "出差在外")
    tab.click("button:has-text('请假')")
    tab.wait_for_load_state()
    context.close()
    statuses = dict(Invitation.objects.filter(seat=seat).values_list("meeting__title", "status"))
    assert statuses == {"今日双月协商会": "signed_in", "下周委员沙龙": "leave_requested"}


def test_the_workbench_queue_leads_to_the_page_whose_buttons_take_the_act(
    browser, live_server, submitted_proposal, xuhui
):
    """The office finds the proposal in its queue, opens its page (no 保存, only its own acts),
    passes the first review with a button; the review group is not offered that act."""
    from core.roles import Role

    _staff("browser_office3", xuhui, Role.PROPOSAL_OFFICE)
    _staff("browser_review3", xuhui, Role.REVIEW_GROUP)
    context, tab = _as(browser, live_server, "browser_office3")
    tab.goto("/admin/")
    stage = tab.locator("#workbench tr", has_text="待初审")
    assert stage.locator("strong").inner_text() == "1"
    stage.locator("a.workbench-stage").click()
    tab.click(f"text={submitted_proposal.title}")
    tab.wait_for_url(re.compile(r".*/change/"))
    assert tab.locator("input[name=_save]").count() == 0
    assert tab.locator("a.act-button", has_text="初审通过").count() == 1
    assert tab.locator("a.act-button", has_text="立案").count() == 0
    tab.click("a.act-button:has-text('初审通过')")
    tab.fill("[name=opinion]", "符合立案条件")
    tab.click("input[name=apply]")
    tab.wait_for_url(re.compile(r".*/change/$"))
    assert "初审通过: 待初审 → 待复审" in tab.content()
    context.close()
    submitted_proposal.refresh_from_db()
    assert submitted_proposal.state == "second_review"
    context, tab = _as(browser, live_server, "browser_review3")
    tab.goto(f"/admin/proposals/proposal/{submitted_proposal.pk}/change/")
    labels = tab.locator("a.act-button").all_inner_texts()
    context.close()
    assert labels == ["复审通过", "退回修改"]


def test_a_return_is_told_to_the_member_at_once(browser, live_server, submitted_proposal, xuhui):
    """Sent back from the proposal page; the member sees the unread count in the header at once,
    reads why, and the notification opens the proposal."""
    from core.roles import Role

    _staff("browser_office4", xuhui, Role.PROPOSAL_OFFICE)
    context, tab = _as(browser, live_server, "browser_office4")
    tab.goto(f"/admin/proposals/proposal/{submitted_proposal.pk}/change/")
    tab.click("a.act-button:has-text('退回修改')")
    tab.fill("[name=opinion]", "请补充调研数据")
    tab.click("input[name=apply]")
    tab.wait_for_url(re.compile(r".*/change/$"))
    context.close()
    context, tab = _as(browser, live_server, "browser_member")
    tab.goto("/")
    badge = tab.locator("a[href='/notifications/'] .badge")
    assert badge.inner_text() == "1"
    tab.click("a[href='/notifications/']")
    assert "在“初审”环节被退回修改：请补充调研数据" in tab.content()
    opened = tab.locator("form.list-group-item", has_text=submitted_proposal.title)
    opened.locator("button").click()
    tab.wait_for_url(re.compile(rf".*/proposals/{submitted_proposal.pk}/$"))
    tab.goto("/")
    assert tab.locator("a[href='/notifications/'] .badge").count() == 0
    context.close()


def test_attachments_download_for_readers_only_and_leave_with_the_draft(
    browser, live_server, member, xuhui, settings, tmp_path
):
    """The proposer uploads and removes an attachment of the draft; after submission the office
    downloads it, another district's office and a visitor get 404."""
    from core.roles import Role
    from members.models import Seat
    from members.tests.factories import CommitteeFactory
    from proposals import workflow
    from proposals.models import Attachment, Category
    from proposals.tests import helpers
    from tests import samples

    settings.MEDIA_ROOT = tmp_path
    settings.PROTECTED_MEDIA_SERVER = ""
    user, session = member
    seat = Seat.objects.get(person__user=user)
    proposal = helpers.draft(xuhui, session, Category.objects.get(committee=xuhui), (user, seat))
    (tmp_path / "调研报告.pdf").write_bytes(samples.PDF)
    (tmp_path / "草稿.pdf").write_bytes(samples.PDF)
    context, tab = _as(browser, live_server, "browser_member")
    for name in ("调研报告.pdf", "草稿.pdf"):
        tab.goto(f"/proposals/{proposal.pk}/")
        tab.set_input_files("input[name=file]", str(tmp_path / name))
        tab.click("button:has-text('上传附件')")
        tab.wait_for_load_state()
    tab.locator("li", has_text="草稿.pdf").locator("button:has-text('删除')").click()
    tab.wait_for_load_state()
    assert tab.locator("a", has_text="草稿.pdf").count() == 0
    with tab.expect_download() as download:
        tab.click("a:has-text('调研报告.pdf')")
    assert download.value.suggested_filename == "调研报告.pdf"
    context.close()
    assert list(Attachment.objects.values_list("name", flat=True)) == ["调研报告.pdf"]
    workflow.submit(proposal, by=user)
    url = f"/proposals/attachments/{Attachment.objects.get().pk}/"
    _staff("browser_office5", xuhui, Role.PROPOSAL_OFFICE)
    other = CommitteeFactory(parent=xuhui.parent, region_code="310101", short_name="黄浦区政协")
    _staff("browser_huangpu", other, Role.PROPOSAL_OFFICE)
    for username, status in (("browser_office5", 200), ("browser_huangpu", 404), (None, 404)):
        context = browser.new_context(base_url=live_server.url)
        tab = context.new_page()
        if username:
            _login(tab, username)
        response = tab.request.get(url)
        context.close()
        assert response.status == status, username


# --- Phones, the co-sign picker, the member's home ------------------------------------------------


def _phone(browser, live_server, username=None, **options):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, **options
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    if username:
        _login(tab, username)
    return context, tab


def _page_width(tab) -> int:
    return tab.evaluate("document.documentElement.scrollWidth")


def test_at_375_pixels_the_menu_folds_behind_a_button_and_tables_scroll(
    browser, live_server, member, xuhui
):
    from members.models import Seat
    from proposals.models import Category
    from proposals.tests import helpers

    user, session = member
    seat = Seat.objects.get(person__user=user)
    category = Category.objects.get(committee=xuhui)
    for n in range(3):
        helpers.draft(
            xuhui,
            session,
            category,
            (user, seat),
            title=f"关于进一步完善城市更新中历史风貌保护与居民生活改善并重机制的建议之{n}",
        )
    context, tab = _phone(browser, live_server, "browser_member")
    for path in ("/", "/proposals/mine/", "/consultations/", "/me/"):
        tab.goto(path)
        assert _page_width(tab) <= 375, f"{path} is {_page_width(tab)} px wide"
    tab.goto("/proposals/mine/")
    menu = tab.locator("nav a.nav-link:has-text('我的履职')")
    assert not menu.is_visible()  # folded
    tab.click("button.navbar-toggler")
    menu.wait_for(state="visible")
    assert _page_width(tab) <= 375
    table = tab.locator("main table").first
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    # The table keeps its rows on one line and scrolls inside its own box.
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")
    assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"
    context.close()


@pytest.fixture
def joint_draft(member, xuhui):
    from members.models import Seat, Sector
    from members.tests.factories import SeatFactory
    from proposals.models import Category
    from proposals.tests import helpers

    user, session = member
    seat = Seat.objects.get(person__user=user)
    for employer, sector in (("区中心医院副院长", "医药卫生界"), ("徐汇中学校长", "教育界")):
        SeatFactory(
            committee=xuhui,
            person__name="王芳",
            person__employer=employer,
            sector=Sector.objects.create(committee=xuhui, name=sector),
        )
    category = Category.objects.get(committee=xuhui)
    return helpers.draft(xuhui, session, category, (user, seat), kind="joint")


def test_the_co_sign_picker_searches_as_the_lead_types(browser, live_server, joint_draft):
    from proposals.models import CoSigner

    context, tab = _as(browser, live_server, "browser_member")
    tab.goto(f"/proposals/{joint_draft.pk}/")
    tab.fill("[data-cosign-search]", "王芳")
    results = tab.locator("[data-cosign-results] li")
    results.first.wait_for()
    assert results.count() == 2
    text = tab.locator("[data-cosign-results]").inner_text()
    assert "同名 2 人" in text and "徐汇中学校长" in text and "医药卫生界" in text
    assert "cosign_q" not in tab.url  # found without reloading the page
    tab.locator("[data-cosign-results] li:has-text('徐汇中学校长') button").click()
    tab.wait_for_load_state()
    context.close()
    invited = CoSigner.objects.get(proposal=joint_draft)
    assert invited.seat.person.employer == "徐汇中学校长"


def test_the_co_sign_picker_works_without_javascript(browser, live_server, joint_draft):
    from proposals.models import CoSigner

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    _login(tab, "browser_member")
    tab.goto(f"/proposals/{joint_draft.pk}/")
    tab.fill("[data-cosign-search]", "医院")
    tab.click("#cosign-picker button:has-text('查找')")
    tab.wait_for_load_state()
    assert "cosign_q=" in tab.url
    tab.locator("[data-cosign-results] li:has-text('区中心医院副院长') button").click()
    tab.wait_for_load_state()
    context.close()
    assert CoSigner.objects.get(proposal=joint_draft).seat.person.employer == "区中心医院副院长"


def test_a_double_click_on_save_draft_saves_one_draft(page, member):
    from proposals.models import Proposal

    _user, session = member
    _login(page, "browser_member")
    page.goto("/proposals/new/")
    page.select_option("select[name=session]", str(session.pk))
    page.select_option("select[name=category]", label="社会建设")
    page.fill("input[name=title]", "关于双击只保存一次的建议")
    for name in ("reason", "suggestions", "research_basis"):
        page.fill(f"textarea[name={name}]", "调研内容")
    page.dblclick("button:has-text('保存草稿')")
    page.wait_for_url(re.compile(r".*/proposals/\d+/$"))
    assert Proposal.objects.filter(title="关于双击只保存一次的建议").count() == 1


def test_the_members_home_shows_to_dos_and_the_year_on_a_phone(
    browser, live_server, joint_draft, xuhui
):
    from core.roles import Role
    from members.models import Seat
    from members.tests.factories import UserFactory
    from proposals import workflow

    invitee = UserFactory(username="browser_invitee", committee=xuhui, roles=[Role.MEMBER])
    invitee.set_password(PASSWORD)
    invitee.save()
    seat = Seat.objects.filter(person__name="王芳").first()
    seat.person.user = invitee
    seat.person.save()
    workflow.invite_cosigners(joint_draft, seats=[seat], by=joint_draft.lead.person.user)
    context, tab = _phone(browser, live_server, "browser_invitee")
    tab.goto("/")
    todos = tab.locator("[data-todos]").inner_text()
    assert "附议邀请" in todos and joint_draft.title in todos
    assert "年度概览" in tab.locator("[data-glance]").inner_text()
    assert _page_width(tab) <= 375
    tab.click(f"[data-todo=requests] a:has-text('{joint_draft.title}')")
    tab.click("[data-invitation] button:has-text('确认附议')")
    tab.wait_for_load_state()
    context.close()
    assert joint_draft.cosigners.get().status == "confirmed"
