"""Load test: N simulated caseworkers against gunicorn, from the same machine, for a fixed time.

Each simulated caseworker logs in through the real login page (caseworkers of an organisation
that does not require 2FA: the password step is the whole login), then loops: open the case list,
open one of their cases, log an attempt on it with a screenshot (multipart upload), with a short
think time between actions. Every non-2xx/3xx answer or network error counts as an error.

    python -m bench.load --users 20 --seconds 60 [--workers 3] [--think 1.0]

Prints one JSON line: requests, errors, requests per second, median/p95 latency per action.
"""

import argparse
import http.client
import io
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.common import emit, percentile  # noqa: E402
from bench.generate import PASSWORD  # noqa: E402
from bench.pages import organisations_by_size  # noqa: E402
from cases.models import Case  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def screenshot() -> bytes:
    image = Image.new("RGB", (1280, 720), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.text((80, 200), "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.", fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


class Session:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.cookies = SimpleCookie()

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        headers.setdefault("Referer", f"http://127.0.0.1:{PORT}{path}")
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response.status, data

    def csrf(self):
        return self.cookies["csrftoken"].value if "csrftoken" in self.cookies else ""


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def attempt_form_fields(html: str) -> dict:
    """The attempt form of the case page, as a browser would submit it with its pre-filled values."""
    start = html.find('action="/attempts/case/')
    form = html[start : html.find("</form>", start)]
    fields = {}
    for match in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*>', form):
        tag, name = match.group(0), match.group(1)
        if 'type="file"' in tag or 'type="checkbox"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name] = value.group(1) if value else ""
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2)) or re.search(
            r'<option value="([^"]*)"', match.group(2)
        )
        fields[match.group(1)] = selected.group(1) if selected else ""
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[match.group(1)] = match.group(2)
    return fields


class Caseworker(threading.Thread):
    def __init__(self, email, case_ids, deadline, think, image, stats, lock):
        super().__init__(daemon=True)
        self.email, self.case_ids, self.deadline, self.think = email, case_ids, deadline, think
        self.image, self.stats, self.lock = image, stats, lock
        self.session = Session()
        self.rng = random.Random(email)

    def record(self, action, started, ok, detail=""):
        elapsed = time.perf_counter() - started
        with self.lock:
            self.stats.setdefault(action, []).append(elapsed)
            self.stats.setdefault("timeline", []).append((action, round(started, 3), round(elapsed, 4)))
            if not ok:
                self.stats.setdefault("errors", []).append(f"{action}: {detail}")

    def timed(self, action, method, path, body=None, headers=None, expect=(200,)):
        started = time.perf_counter()
        try:
            status, data = self.session.request(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.record(action, started, False, repr(error))
            return None
        self.record(action, started, status in expect, f"HTTP {status} {path}")
        return data.decode("utf-8", "replace") if status in expect else None

    def login(self):
        page = self.timed("login", "GET", "/accounts/login/")
        body = urlencode({"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": self.session.csrf()})
        self.timed(
            "login",
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
            expect=(302,),
        )
        return page is not None

    def run(self):
        self.login()
        while time.monotonic() < self.deadline:
            self.timed("list", "GET", "/cases/")
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))
            case_id = self.rng.choice(self.case_ids)
            html = self.timed("case", "GET", f"/cases/{case_id}/")
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))
            if html is None or time.monotonic() >= self.deadline:
                continue
            fields = attempt_form_fields(html)
            fields["moment"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
            fields["csrfmiddlewaretoken"] = self.session.csrf()
            body, content_type = multipart(fields, {"files": ("capture.png", self.image, "image/png")})
            self.timed(
                "log_attempt",
                "POST",
                f"/attempts/case/{case_id}/new/",
                body,
                {"Content-Type": content_type},
                expect=(302,),
            )
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))


def start_gunicorn(workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_GUNICORN_WORKERS", "3")))
    parser.add_argument("--think", type=float, default=1.0, help="Mean think time between actions (s).")
    args = parser.parse_args(argv)

    largest = organisations_by_size()[0]
    people = []
    for user in User.objects.filter(organisation=largest, memberships__role="caseworker").order_by("email"):
        cases = list(Case.objects.filter(assignee=user, deleted_at__isnull=True).values_list("pk", flat=True)[:50])
        if cases:
            people.append((user.email, cases))
        if len(people) == args.users:
            break
    gunicorn = start_gunicorn(args.workers)
    try:
        stats, lock, image = {}, threading.Lock(), screenshot()
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [Caseworker(email, cases, deadline, args.think, image, stats, lock) for email, cases in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    errors = stats.pop("errors", [])
    timeline = stats.pop("timeline", [])
    if os.environ.get("BENCH_LOAD_SAMPLES"):  # every request: action, start (perf_counter), seconds
        with open(os.environ["BENCH_LOAD_SAMPLES"], "w") as out:
            json.dump(timeline, out)
    samples = [s for action in ("list", "case", "log_attempt") for s in stats.get(action, [])]
    total = sum(len(v) for v in stats.values())
    result = {
        "users": len(people),
        "seconds": round(elapsed, 1),
        "workers": args.workers,
        "think_s": args.think,
        "requests": total,
        "errors": len(errors),
        "error_samples": errors[:5],
        "rps": round(total / elapsed, 1),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 1) if samples else None,
        "median_ms": round(percentile(samples, 0.5) * 1000, 1) if samples else None,
    }
    for action, values in stats.items():
        result[f"{action}_p95_ms"] = round(percentile(values, 0.95) * 1000, 1)
        result[f"{action}_count"] = len(values)
        result[f"{action}_ms"] = {  # the distribution, to see which action makes the tail
            label: round(percentile(values, fraction) * 1000, 1)
            for label, fraction in (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
        }
    if os.environ.get("BENCH_LOCKTRACE"):
        from bench import locktrace

        result["sqlite_lock"] = locktrace.summary(os.environ["BENCH_LOCKTRACE"])
    emit(result)


if __name__ == "__main__":
    main()
