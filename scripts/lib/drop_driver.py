"""Drives a running Drop over HTTP the way a browser or the app does (Python standard library only).

Mirrors the Swift test drivers (Tests/DropAPITests/Support/SignInDriver.swift, BankDriver.swift,
KYCTests.onboardAndVerify, TransfersTests.sender, LiveServer.HTMLForm): redirects are never
followed automatically; each step reads the Location it is given and goes there itself.
Used by scripts/crash-test.
"""

import base64
import hashlib
import http.client
import json
import re
import socket
import time
import urllib.parse
import uuid

KARI = "15039010043"      # Kari Nordmann: passes KYC, has DNB accounts
ANDERS = "04047510142"    # Anders Admin: an admin in development
MONA = "30098010021"      # Mona Merchant: her café is registered by the demo data
GERMANY = {"name": "Hans Meier", "country": "DE", "currency": "EUR", "iban": "de89 3704 0044 0532 0130 00",
           "relationship": "family"}


class DriverError(Exception):
    pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # lower-cased names
        self.body = body

    @property
    def location(self):
        return self.headers.get("location")

    def json(self):
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {"_": value}

    @property
    def error_code(self):
        error = self.json().get("error")
        return error.get("code") if isinstance(error, dict) else None

    @property
    def error_message(self):
        error = self.json().get("error")
        return error.get("message") if isinstance(error, dict) else None

    def __repr__(self):
        return "HTTP %d %s" % (self.status, self.body[:300])


class Client:
    """One new connection per request (thread-safe); never follows redirects."""

    def __init__(self, base_url, timeout=30.0):
        parsed = urllib.parse.urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host = parsed.hostname
        self.port = parsed.port or 80
        self.timeout = timeout

    def _target(self, url):
        if url.startswith("http://") or url.startswith("https://"):
            parsed = urllib.parse.urlsplit(url)
            path = parsed.path or "/"
            if parsed.query:
                path += "?" + parsed.query
            port = parsed.port or 80
            # Drop calls itself `localhost`; it listens on 127.0.0.1.
            if parsed.hostname in ("localhost", "127.0.0.1") and port == self.port:
                return self.host, self.port, path
            return parsed.hostname, port, path
        if not url.startswith("/"):
            raise DriverError("cannot follow %r" % url)
        return self.host, self.port, url

    def request(self, method, url, headers=None, body=None, timeout=None, on_sent=None):
        """`on_sent` is called once the request has been written (it is then in flight)."""
        host, port, path = self._target(url)
        if isinstance(body, str):
            body = body.encode()
        conn = http.client.HTTPConnection(host, port, timeout=timeout or self.timeout)
        try:
            conn.request(method, path, body=body, headers=dict(headers or {}))
            if on_sent:
                on_sent()
            resp = conn.getresponse()
            data = resp.read()
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data.decode("utf-8", "replace"))
        finally:
            conn.close()

    def get(self, url, headers=None):
        return self.request("GET", url, headers)

    def post_json(self, url, payload, headers=None, method="POST"):
        h = {"content-type": "application/json"}
        h.update(headers or {})
        return self.request(method, url, h, json.dumps(payload) if payload is not None else None)

    def post_form(self, url, fields, headers=None):
        h = {"content-type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        body = urllib.parse.urlencode(fields, quote_via=urllib.parse.quote, safe="")
        return self.request("POST", url, h, body)

    def absolute(self, url):
        return url if url.startswith("http") else self.base_url + url


# -- HTML forms (LiveServer.HTMLForm): the form's action and its hidden inputs -------------------

def _attribute(name, tag):
    m = re.search(r' %s="([^"]*)"' % re.escape(name), tag)
    return m.group(1) if m else None


def _unescape(value):
    return (value.replace("&quot;", '"').replace("&#39;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))


def parse_form(html):
    m = re.search(r"<form[^>]*>", html)
    if not m:
        return None
    action = _unescape(_attribute("action", m.group(0)) or "")
    fields = []
    for tag in re.finditer(r'<input[^>]*type="hidden"[^>]*>', html):
        name = _attribute("name", tag.group(0))
        if name is not None:
            fields.append((_unescape(name), _unescape(_attribute("value", tag.group(0)) or "")))
    return action, fields


def _form_target(action, page_url):
    return action if action else page_url


# -- Sign-in (SignInDriver.swift) ---------------------------------------------------------------

def pkce_challenge(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def approve_at_bankid(client, start_url, national_id, action="sign_in"):
    start = client.get(start_url)
    if start.status != 302 or not start.location:
        raise DriverError("bankid start answered %r" % start)
    page = client.get(start.location)
    form = parse_form(page.body) if page.status == 200 else None
    if not form:
        raise DriverError("BankID sign-in page answered %r" % page)
    target, fields = _form_target(form[0], start.location), form[1]
    return client.post_form(target, fields + [("nationalId", national_id), ("action", action)])


def device_id(name):
    """A well-formed app `deviceId` (32 bytes, base64url), the same for the same name."""
    return base64.urlsafe_b64encode(hashlib.sha256(name.encode()).digest()).decode().rstrip("=")


def bearer(client, national_id):
    """A bearer token for `national_id`, obtained the way the app gets one (mobile PKCE flow), from
    one phone per person (the app sends the id it keeps; without one every sign-in is a new phone)."""
    verifier = "v" * 20 + str(uuid.uuid4())
    back = approve_at_bankid(client, "/v1/auth/bankid/start?client=mobile&code_challenge=" + pkce_challenge(verifier),
                             national_id)
    if back.status != 302 or not back.location:
        raise DriverError("BankID sandbox answered %r" % back)
    callback = client.get(back.location)
    location = callback.location or ""
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("code", [None])[0]
    if callback.status != 302 or not code:
        raise DriverError("sign-in callback answered %r (location %r)" % (callback, location))
    issued = client.post_json("/v1/auth/token", {"code": code, "codeVerifier": verifier,
                                                  "deviceId": device_id(national_id + ":default")})
    token = issued.json().get("token")
    if not token:
        raise DriverError("token exchange answered %r" % issued)
    return {"authorization": "Bearer " + token}


# -- Onboarding (KYCTests.onboardAndVerify) ------------------------------------------------------

def onboard_and_verify(client, national_id, timeout=30.0):
    auth = bearer(client, national_id)
    r = client.post_json("/v1/me", {"phone": "+47 912 34 567"}, auth, method="PATCH")
    if r.status != 200:
        raise DriverError("PATCH /v1/me answered %r" % r)
    for kind in ("terms", "privacy"):
        r = client.post_json("/v1/consents", {"type": kind, "version": "2026-06", "granted": True}, auth)
        if r.status >= 300:
            raise DriverError("POST /v1/consents %s answered %r" % (kind, r))
    started = client.request("POST", "/v1/kyc/start", auth)
    sdk_url = started.json().get("sdkUrl")
    if started.status != 200 or not sdk_url:
        raise DriverError("kyc start answered %r" % started)
    page = client.get(sdk_url)
    form = parse_form(page.body) if page.status == 200 else None
    if not form:
        raise DriverError("KYC SDK page answered %r" % page)
    submitted = client.post_form(_form_target(form[0], sdk_url), form[1] + [("decision", "submit")])
    if submitted.status not in (200, 303):
        raise DriverError("KYC submit answered %r" % submitted)
    deadline = time.monotonic() + timeout
    while True:
        status = client.get("/v1/kyc/status", auth).json().get("status")
        if status != "pending":
            return auth, status
        if time.monotonic() > deadline:
            raise DriverError("the KYC verdict did not come within %.0f s" % timeout)
        time.sleep(0.25)


# -- Banks (BankDriver.swift) --------------------------------------------------------------------

def approve_at_bank(client, sca_url, national_id, decision="approve"):
    page = client.get(sca_url)
    form = parse_form(page.body) if page.status == 200 else None
    if not form:
        raise DriverError("bank SCA page answered %r" % page)
    fields = [f for f in form[1] if f[0] != "nationalId"] + [("nationalId", national_id), ("decision", decision)]
    return client.post_form(_form_target(form[0], sca_url), fields)


def connect_bank(client, bank, auth, national_id, decision="approve"):
    started = client.post_json("/v1/bank-accounts/connect", {"bank": bank}, auth)
    sca = started.json().get("scaRedirect")
    if started.status != 201 or not sca:
        raise DriverError("connect answered %r" % started)
    back = approve_at_bank(client, sca, national_id, decision)
    if back.status != 302 or not back.location:
        raise DriverError("bank answered %r" % back)
    return client.get(back.location)


# -- The sender (TransfersTests.sender) ----------------------------------------------------------

def sender(client, national_id=KARI, bank="dnb", recipient=None):
    """Onboards and verifies the person, links the bank, adds a recipient in Germany (EUR).
    Returns a dict: auth, userId, kycStatus, accountId, balanceMinor, recipientId."""
    auth, kyc = onboard_and_verify(client, national_id)
    if kyc != "approved":
        raise DriverError("KYC ended %r, not approved" % kyc)
    connect_bank(client, bank, auth, national_id)
    accounts = client.get("/v1/bank-accounts", auth).json().get("items") or []
    if not accounts:
        raise DriverError("no bank accounts after linking %s" % bank)

    def balance(a):
        return ((a.get("balance") or {}).get("amountMinor")) or 0
    account = max(accounts, key=balance)
    created = client.post_json("/v1/recipients", recipient or GERMANY, auth)
    if created.status != 201:
        raise DriverError("POST /v1/recipients answered %r" % created)
    me = client.get("/v1/me", auth).json()
    return {"auth": auth, "userId": me.get("id"), "kycStatus": kyc, "accountId": account.get("id"),
            "balanceMinor": balance(account), "recipientId": created.json().get("id")}
