"""The virtual users: CIOs upload evidence, programme staff review it, readers read the
dashboards, each through the real pages with just enough of a browser; what they did and how
each request fared goes in one Record."""

import hashlib
import http.client
import http.cookies
import random
import re
import secrets
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

from bench.common.servers import HOST, wait_until

PASSWORD = "load-test-password-" + secrets.token_urlsafe(12)
PDF_HEAD = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
PDF_TAIL = b"trailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass
class Outcome:
    kind: str
    status: int  # 0: no answer (connection refused, timeout)
    started: float
    seconds: float


@dataclass
class Record:
    outcomes: list[Outcome] = field(default_factory=list)
    uploads_ok: dict[str, str] = field(default_factory=dict)  # original name -> sha256
    uploads_unsure: dict[str, str] = field(default_factory=dict)  # 5xx or no answer: may have landed
    approvals: set[int] = field(default_factory=set)
    rejections: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


@dataclass
class Cast:
    """Who signs in, by role ((username, their trust's code or None) pairs), and what readers read."""

    users: dict[str, list[tuple[str, str | None]]]
    regions: list[str]
    trust_codes: list[str]


class Browser:
    """Just enough of a browser: cookies, CSRF token, and the headers a TLS proxy adds."""

    def __init__(self, port: int, record: Record):
        self.port = port
        self.record = record
        self.cookies: dict[str, str] = {}
        self.origin = f"https://{HOST}:{port}"

    def request(
        self, kind: str, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, str, str]:
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Referer": self.origin + path,
            "X-Request-ID": f"load-{uuid.uuid4().hex[:16]}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Content-Type"] = content_type
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            location = response.getheader("Location", "")
        except (OSError, http.client.HTTPException):
            status, text, location = 0, "", ""
        finally:
            connection.close()
        self.record.add(Outcome(kind, status, started, time.monotonic() - started))
        return status, text, location

    def form_post(self, kind: str, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        return self.request(
            kind, "POST", path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )

    def sign_in(self, username: str) -> bool:
        status, page, _ = self.request("sign-in", "GET", "/accounts/login/")
        token = csrf_token(page)
        if status != 200 or not token:
            return False
        status, _, _ = self.form_post(
            "sign-in", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        return status == 302


def csrf_token(page: str) -> str | None:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match.group(1) if match else None


def multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def cio_loop(browser: Browser, trust_code: str, deadline: float, rng: random.Random) -> None:
    path = f"/trusts/{trust_code}/evidence/new/"
    while time.monotonic() < deadline:
        status, page, _ = browser.request("upload-form", "GET", path)
        token = csrf_token(page)
        requirements = re.findall(r'<option value="(\d+)"', page)
        if status != 200 or not token or not requirements:
            time.sleep(0.5)
            continue
        name = f"load-{uuid.uuid4().hex}.pdf"
        content = PDF_HEAD + f"% load test evidence {name} {rng.random()}\n".encode() + PDF_TAIL
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": token,
                "requirement": rng.choice(requirements),
                "summary": f"[Load test] generated evidence {name}",
            },
            "file",
            name,
            content,
        )
        status, _, _ = browser.request("upload", "POST", path, body, content_type)
        digest = hashlib.sha256(content).hexdigest()
        with browser.record.lock:
            if status == 302:
                browser.record.uploads_ok[name] = digest
            elif status == 0 or status >= 500:
                browser.record.uploads_unsure[name] = digest
        time.sleep(rng.uniform(0.1, 0.4))


def staff_loop(browser: Browser, deadline: float, rng: random.Random) -> None:
    while time.monotonic() < deadline:
        status, page, _ = browser.request("review-queue", "GET", "/review/")
        pending = sorted(set(re.findall(r'href="/review/(\d+)/"', page)))
        if status != 200 or not pending:
            time.sleep(0.5)
            continue
        pk = int(rng.choice(pending))
        status, page, _ = browser.request("review-form", "GET", f"/review/{pk}/")
        token = csrf_token(page)
        if status != 200 or not token:
            continue
        approve = rng.random() < 0.7
        fields = {
            "csrfmiddlewaretoken": token,
            "decision": "approve" if approve else "reject",
            "comment": "" if approve else "[Load test] rejected: not signed off by the board.",
        }
        status, _, _ = browser.form_post("review", f"/review/{pk}/", fields)
        if status == 302:
            with browser.record.lock:
                (browser.record.approvals if approve else browser.record.rejections).add(pk)
        time.sleep(rng.uniform(0.1, 0.3))


def reader_loop(browser: Browser, deadline: float, rng: random.Random, regions: list[str], trusts: list[str]) -> None:
    while time.monotonic() < deadline:
        choice = rng.random()
        if choice < 0.3:
            browser.request("dashboard-national", "GET", "/")
        elif choice < 0.6:
            browser.request("dashboard-region", "GET", f"/regions/{rng.choice(regions)}/")
        else:
            browser.request("dashboard-trust", "GET", f"/trusts/{rng.choice(trusts)}/")
        time.sleep(rng.uniform(0.05, 0.2))


def virtual_user(port: int, record: Record, cast: Cast, index: int, deadline: float, failures: list[str]) -> None:
    """The index-th user of the cast signs in and acts its role until the deadline."""
    username, trust_code = [*cast.users["cio"], *cast.users["staff"], *cast.users["reader"]][index]
    rng = random.Random(index)
    browser = Browser(port, record)
    if not wait_until(lambda: browser.sign_in(username), 30, interval=1):
        failures.append(f"{username} could not sign in")
        return
    if username.startswith("load-cio"):
        cio_loop(browser, trust_code, deadline, rng)
    elif username.startswith("load-staff"):
        staff_loop(browser, deadline, rng)
    else:
        reader_loop(browser, deadline, rng, cast.regions, cast.trust_codes)


def cast_create(concurrency: int) -> Cast:
    """Load-test users (load-*) on real trusts of the register; statuses computed up front."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connections
    from django.utils import timezone

    from milestones.services.compliance import recompute_requests_drain
    from trusts.models import Region, Trust

    recompute_requests_drain(as_of=timezone.localdate(), limit=100_000)
    user_model = get_user_model()
    cios = max(1, round(concurrency * 0.4))
    staff = max(1, round(concurrency * 0.2))
    readers = max(1, concurrency - cios - staff)
    trusts = list(Trust.objects.filter(closed_on__isnull=True).order_by("ods_code")[:cios])
    cio_group, staff_group = Group.objects.get(name="Trust CIO"), Group.objects.get(name="Programme staff")
    users = {"cio": [], "staff": [], "reader": []}
    for index, trust in enumerate(trusts, start=1):
        user = user_model.objects.create_user(f"load-cio-{index}", password=PASSWORD)
        user.groups.add(cio_group)
        trust.cio_users.add(user)
        users["cio"].append((user.username, trust.ods_code))
    for role, count in (("staff", staff), ("reader", readers)):
        for index in range(1, count + 1):
            user = user_model.objects.create_user(f"load-{role}-{index}", password=PASSWORD)
            user.groups.add(staff_group)
            users[role].append((user.username, None))
    cast = Cast(
        users=users,
        regions=list(Region.objects.values_list("code", flat=True)),
        trust_codes=list(Trust.objects.filter(closed_on__isnull=True).values_list("ods_code", flat=True)),
    )
    connections.close_all()
    return cast
