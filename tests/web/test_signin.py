"""Sign-in as a service for a team: guessing held back per user name and client address, the sign-in log, sign-out,
sign-ins that end, `X-Forwarded-For` only from a trusted proxy, and the security headers on every response.

One real `assistant serve` (users, 127.0.0.3 as a trusted proxy) is reached from several loopback addresses: any
address in 127.0.0.0/8 reaches a server bound to 127.0.0.1, so each address is a client of its own. What needs the
clock to move runs the same server in-process (`site`) on a clock the test moves, and `Throttle` and `Sessions` are
also checked alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from test_ui import PASSWORD, Server, copy_bundled, serving

from assistant.cli import cli
from assistant.config import Settings, UISettings
from assistant.web import auth
from assistant.web.headers import security_headers
from assistant.web.signin import Refusal, Sessions, SignInLog, Throttle, last_failures, read_log

TIMEOUT_S = 600  # only stops a hang: every request waits for its answer
USERS = ("anna", "bob", "dana")
PROXY = "127.0.0.3"  # the trusted proxy the server is told about
BACKOFF_S = 600  # the served wait: long enough that no test outlives it (the default's is checked in-process)
LOG = Path("audit/sign-ins.jsonl")  # the default, relative to the server's working directory
HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")
UI = UISettings()


@pytest.fixture(scope="module")
def team(bundled: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`assistant serve` with three users and one trusted proxy; the sign-in limit and log as by default."""
    base = tmp_path_factory.mktemp("team")
    users = json.dumps({name: auth.hash_password(PASSWORD) for name in USERS})
    with serving(copy_bundled(bundled, base), base, ASSISTANT_UI__USERS=users,
                 ASSISTANT_UI__TRUSTED_PROXIES=json.dumps([PROXY]),
                 ASSISTANT_UI__SIGNIN_BACKOFF_S=str(BACKOFF_S)) as server:
        yield server


def client(address: str = "127.0.0.1") -> httpx.Client:
    """An HTTP client whose connections come from `address`; it keeps the cookies it is given."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=TIMEOUT_S)


def sign_in(http: httpx.Client, server: Server, name: str, password: str, **headers: str) -> httpx.Response:
    return http.post(server.url + "/login", data={"username": name, "password": password}, headers=headers)


def events(server: Server, name: str) -> list[dict[str, Any]]:
    """The sign-in log's lines about `name`."""
    path = server.cwd / LOG
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [row for row in map(json.loads, lines) if row["user"] == name]


def retry_after(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    return int(response.headers["retry-after"])


# -- 1. guessing ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_thirty_guesses_get_at_most_the_limit_checked_and_another_address_still_signs_in(team):
    with client() as guesser, ThreadPoolExecutor(8) as pool:  # 8 at a time, as a guessing script sends them
        guesses = list(pool.map(lambda n: sign_in(guesser, team, "anna", f"wrong-{n}"), range(30)))
        statuses = [r.status_code for r in guesses]
        checked = statuses.count(400)  # Gradio answers a checked wrong password with 400; the guard, with 429
        assert set(statuses) == {400, 429} and UI.signin_limit <= checked <= 10, statuses
        waits = [retry_after(r) for r in guesses if r.status_code == 429]
        assert all(1 <= wait <= BACKOFF_S for wait in waits), waits
        # held back, the right password from that address is not checked either, and a made-up
        # X-Forwarded-For from a client that is no trusted proxy changes nothing
        assert 1 <= retry_after(sign_in(guesser, team, "anna", PASSWORD)) <= BACKOFF_S
        assert retry_after(sign_in(guesser, team, "anna", PASSWORD, **{"X-Forwarded-For": "127.0.0.9"})) >= 1
    with client("127.0.0.2") as elsewhere:  # the person herself, at another machine
        assert sign_in(elsewhere, team, "anna", PASSWORD).status_code == 200
        assert elsewhere.get(team.url + "/config").status_code == 200
    log = events(team, "anna")
    failed = [e for e in log if e["outcome"] == "failed"]
    assert len(failed) == checked and {e["address"] for e in failed} == {"127.0.0.1"}
    throttled = [e for e in log if e["outcome"] == "throttled"]
    assert throttled and all(e["address"] == "127.0.0.1" and e["retry_after_s"] >= 1 for e in throttled)
    assert [e["address"] for e in log if e["outcome"] == "signed in"] == ["127.0.0.2"]
    assert "127.0.0.9" not in {e["address"] for e in log}
    text = (team.cwd / LOG).read_text(encoding="utf-8")
    assert PASSWORD not in text and "wrong-" not in text, "a password is never written"
    assert os.stat(team.cwd / LOG).st_mode & 0o777 == 0o600


@pytest.mark.slow
def test_a_trusted_proxy_names_the_client_and_no_one_else_can(team):
    with client(PROXY) as proxy:
        assert sign_in(proxy, team, "nobody", "x", **{"X-Forwarded-For": "198.51.100.7"}).status_code == 400
    with client() as direct:
        assert sign_in(direct, team, "nobody", "x", **{"X-Forwarded-For": "198.51.100.8"}).status_code == 400
    assert [e["address"] for e in events(team, "nobody")] == ["198.51.100.7", "127.0.0.1"]


@pytest.mark.slow
def test_the_sign_ins_command_lists_the_last_failures(team):
    with client("127.0.0.4") as http:
        for _ in range(UI.signin_limit + 1):
            sign_in(http, team, "dana", "wrong-password")
        assert sign_in(http, team, "dana", "wrong-password").status_code == 429
    result = CliRunner().invoke(cli, ["sign-ins", "-n", "3"], env={"ASSISTANT_UI__SIGNIN_LOG": str(team.cwd / LOG)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all("dana" in line and "127.0.0.4" in line for line in lines), lines
    assert [line.split()[1] for line in lines] == ["failed", "failed", "throttled"]
    assert "(wait " in lines[-1] and "3 failures from" in result.stderr


def test_the_sign_ins_command_starts_without_the_web_stack(tmp_path):
    script = ("import sys; from click.testing import CliRunner; from assistant.cli import cli; "
              "result = CliRunner().invoke(cli, ['sign-ins']); assert result.exit_code == 0, result.output; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] in {'gradio', 'starlette', 'fastapi'}))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                          cwd=tmp_path, env={**os.environ, "ASSISTANT_UI__SIGNIN_LOG": str(tmp_path / "none.jsonl")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- 2. sign-out and the headers ------------------------------------------------------------------------------


@pytest.mark.slow
def test_sign_out_ends_the_sign_in(team):
    with client() as http:
        assert sign_in(http, team, "bob", PASSWORD).status_code == 200
        assert http.get(team.url + "/config").status_code == 200
        out = http.get(team.url + "/logout")
        assert out.status_code == 302
        assert http.get(team.url + "/config").status_code == 401
    assert [e["outcome"] for e in events(team, "bob")] == ["signed in", "signed out"]


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 200), ("GET", "/config", 401), ("GET", "/health", 200), ("GET", "/v1/models", 200),
    ("GET", "/gradio_api/file=manifest.toml", 401), ("GET", "/v1/nothing", 404), ("POST", "/login", 400)])
def test_every_response_carries_the_security_headers(team, method, path, status):
    with client("127.0.0.5") as http:
        response = http.request(method, team.url + path, data={"username": "eve", "password": "x"}
                                if method == "POST" else None)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    policy = dict(d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";"))
    assert policy["frame-ancestors"] == "'none'" and policy["default-src"] == "'self'"
    assert policy["connect-src"] == "'self'" and "http" not in response.headers["content-security-policy"]
    assert all(len(response.headers.get_list(name)) == 1 for name in HEADERS)  # never sent twice


def test_named_origins_may_frame_the_page():
    headers = {name.decode(): value.decode() for name, value in security_headers(["https://intranet.example.nl"])}
    assert "x-frame-options" not in headers
    assert "frame-ancestors https://intranet.example.nl" in headers["content-security-policy"]
    with pytest.raises(ValueError, match="frame_ancestors"):  # nothing that could end the directive
        UISettings(frame_ancestors=["https://intranet.example.nl; script-src *"])


# -- 3. the clock: the same server in-process, on a clock the test moves ---------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def in_process(bundled: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Clock, Path]]:
    """`site` (what `serve` runs) on a copy of the bundled index, with users, on a clock of the test's own."""
    from assistant.web.app import App
    from assistant.web.server import site

    base = tmp_path_factory.mktemp("in-process")
    copy = copy_bundled(bundled, base)
    log = base / "sign-ins.jsonl"
    ui = UISettings(users={name: auth.hash_password(PASSWORD) for name in USERS}, signin_log=log, session_hours=8)
    settings = copy.model_copy(update={"ui": ui})
    clock = Clock()
    yield site(App(settings, "extractive"), "127.0.0.1", clock), clock, log


def requests(server: Any, address: str, calls: list[tuple[str, str, dict[str, str] | None]]) -> list[httpx.Response]:
    """`calls` (method, path, form) made in order by one client at `address`, keeping its cookies."""
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=server, client=(address, 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            return [await http.request(method, path, data=form) for method, path, form in calls]

    return asyncio.run(run())


@pytest.mark.slow
def test_the_wait_grows_with_each_wrong_password(in_process, monkeypatch):
    server, clock, _ = in_process
    checks: list[str] = []
    real = auth.check_password

    def counted(password: str, stored: str) -> bool:  # the one place a password is compared
        checks.append(password)
        return real(password, stored)

    monkeypatch.setattr(auth, "check_password", counted)
    wrong = ("POST", "/login", {"username": "dana", "password": "wrong-password"})
    first = requests(server, "10.9.8.7", [wrong] * 30)
    assert [r.status_code for r in first] == [400] * UI.signin_limit + [429] * (30 - UI.signin_limit)
    assert len(checks) == UI.signin_limit
    assert {r.headers["retry-after"] for r in first[UI.signin_limit:]} == {str(int(UI.signin_backoff_s))}
    waits = []
    for _ in range(3):  # each wait over, one more password is checked; wrong, it doubles the wait
        clock.now += int(first[-1].headers["retry-after"]) if not waits else waits[-1]
        checked, refused = requests(server, "10.9.8.7", [wrong, wrong])
        assert checked.status_code == 400
        waits.append(retry_after(refused))
    assert waits == [2 * UI.signin_backoff_s, 4 * UI.signin_backoff_s, 8 * UI.signin_backoff_s]
    assert len(checks) == UI.signin_limit + 3


@pytest.mark.slow
def test_a_decoy_name_in_the_form_buys_no_more_guesses(in_process):
    """The guard counts the name Gradio checks: with `username` sent twice both read the last one, so a new decoy
    in each request does not make a new count."""
    server, _, log = in_process
    forms = [f"username=decoy-{n}&username=bob&password=wrong-{n}".encode() for n in range(UI.signin_limit + 2)]

    async def guess() -> list[int]:
        transport = httpx.ASGITransport(app=server, client=("10.9.8.5", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            return [(await http.post("/login", content=form, headers={
                "content-type": "application/x-www-form-urlencoded"})).status_code for form in forms]

    assert asyncio.run(guess()) == [400] * UI.signin_limit + [429, 429]
    assert {e["user"] for e in read_log(log) if e["address"] == "10.9.8.5"} == {"bob"}


@pytest.mark.slow
def test_a_sign_in_ends_after_its_lifetime(in_process):
    server, clock, log = in_process

    async def visit() -> list[int]:
        transport = httpx.ASGITransport(app=server, client=("10.9.8.6", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            statuses = [(await http.post("/login", data={"username": "anna", "password": PASSWORD})).status_code,
                        (await http.get("/config")).status_code]
            clock.now += UI.session_hours * 3600  # the sign-in has lasted its time
            statuses.append((await http.get("/config")).status_code)
            page = (await http.get("/")).text
            assert '"auth_required":true' in page.replace(" ", "")  # the page asks for the password again
            return statuses

    assert asyncio.run(visit()) == [200, 200, 401]
    assert [e["outcome"] for e in read_log(log) if e["user"] == "anna"] == ["signed in"]


# -- 4. the parts alone ---------------------------------------------------------------------------------------


def test_throttle_counts_per_name_and_address_and_forgets_after_a_quiet_window():
    clock = Clock()
    throttle = Throttle(limit=3, window_s=100, backoff_s=10, clock=clock)
    for _ in range(3):
        assert throttle.admit("anna", "a") is None
        throttle.settle("anna", "a", False)
    assert throttle.admit("anna", "a") == Refusal(10, first=True)
    assert throttle.admit("anna", "a") == Refusal(10, first=False)  # logged once per wait
    assert throttle.admit("anna", "b") is None and throttle.admit("bob", "a") is None  # others are not held back
    throttle.settle("anna", "b", True)
    throttle.settle("bob", "a", True)
    clock.now += 10 + 99  # the wait, and not quite a window without a wrong password after it
    assert throttle.admit("anna", "a") is None and isinstance(throttle.admit("anna", "a"), Refusal)
    throttle.settle("anna", "a", None)
    clock.now += 1  # now a whole window: all three are forgotten
    assert [throttle.admit("anna", "a") for _ in range(4)][:3] == [None] * 3
    for _ in range(3):
        throttle.settle("anna", "a", False)
    assert throttle.admit("anna", "a") == Refusal(10, first=True)
    clock.now += 10
    assert throttle.admit("anna", "a") is None
    throttle.settle("anna", "a", True)  # the right password clears the count at once
    assert [throttle.admit("anna", "a") for _ in range(3)] == [None] * 3


def test_throttle_counts_checks_under_way_so_a_burst_gets_no_more():
    throttle = Throttle(limit=5, window_s=900, backoff_s=30, clock=Clock())
    admitted = [throttle.admit("anna", "a") for _ in range(8)]  # all sent before any answer came back
    assert admitted[:5] == [None] * 5 and all(isinstance(r, Refusal) and r.wait_s == 1 for r in admitted[5:])
    throttle.settle("anna", "a", None)  # a form without a password: nothing was checked, nothing counts
    assert throttle.admit("anna", "a") is None


def test_guessing_on_keeps_the_longest_wait():
    """A guesser who tries again as soon as each wait ends never gets the count forgotten: the waits double up
    to the window and stay there."""
    clock = Clock()
    throttle = Throttle(limit=1, window_s=100, backoff_s=30, clock=clock)
    waits = []
    for _ in range(5):
        assert throttle.admit("anna", "a") is None
        throttle.settle("anna", "a", False)
        waits.append(throttle.admit("anna", "a").wait_s)
        clock.now += waits[-1]
    assert waits == [30, 60, 100, 100, 100]


def test_sessions_forget_expired_tokens_as_gradio_looks_them_up():
    clock = Clock()
    sessions = Sessions(lifetime_s=60, clock=clock)
    sessions["t1"] = "anna"
    clock.now += 30
    sessions["t2"] = "anna"
    assert sessions.get("t1") == "anna" and "t2" in sessions
    clock.now += 30
    assert sessions.get("t1") is None and "t1" not in sessions and sessions.get("t2") == "anna"
    for token in list(sessions.keys()):  # Gradio's sign-out of every session of a user
        if sessions[token] == "anna":
            del sessions[token]
    assert not sessions


def test_the_log_is_one_json_line_per_event_whatever_the_name(tmp_path):
    log = SignInLog(tmp_path / "audit" / "sign-ins.jsonl")
    log.write("anna\n{\"outcome\": \"signed in\"}", "127.0.0.1", "failed")
    log.write("bob", "127.0.0.1", "signed in")
    log.write("x" * 1000, "127.0.0.1", "throttled", retry_after_s=30)
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and [json.loads(line)["outcome"] for line in lines] == ["failed", "signed in", "throttled"]
    assert [e["user"][:4] for e in last_failures(log.path, 5)] == ["anna", "xxxx"]
    assert len(last_failures(log.path, 5)[-1]["user"]) == 200
    assert os.stat(log.path).st_mode & 0o777 == 0o600
