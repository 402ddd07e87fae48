"""An echo bot and its tests against the feishu-mock binary, in plain Python.

Only the standard library: http.server for the bot's webhook, urllib for the
Open API and the mock's control API (/_mock/...). Start the mock, then run
the tests with its URL:

    feishu-mock --redelivery-delays-ms "" &      # prints its URL
    FEISHU_MOCK_URL=http://127.0.0.1:PORT python3 echo_bot_test.py

("" turns Feishu's redelivery schedule, 15 s and up, off: a test that
refuses a delivery should not wait for the retries.)
"""

import json
import os
import sys
import threading
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The mock's default self-built app; its secret is a public constant.
APP_ID = "cli_mock_self_built"
APP_SECRET = "mock-self-built-secret"
VERIFICATION_TOKEN = "python-bot-token"


def call(method, url, body=None, token=None):
    """One JSON request; returns (status, JSON answer), 4xx and 5xx included."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json; charset=utf-8")
    if token is not None:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


class EchoBot:
    """Answers every text message with "echo: <text>", as a reply to it."""

    def __init__(self, open_api, verification_token):
        self.open_api = open_api
        self.verification_token = verification_token
        self._token = None
        self._lock = threading.Lock()

    def tenant_token(self):
        # One token for the bot's life: the mock's tokens last two hours.
        with self._lock:
            if self._token is None:
                _, answer = call(
                    "POST",
                    self.open_api + "/open-apis/auth/v3/tenant_access_token/internal",
                    {"app_id": APP_ID, "app_secret": APP_SECRET},
                )
                if answer.get("code") != 0:
                    raise RuntimeError("no tenant token: %r" % answer)
                self._token = answer["tenant_access_token"]
            return self._token

    def handle(self, payload):
        """The webhook's answer to one event: (status, JSON body)."""
        if payload.get("type") == "url_verification":
            if payload.get("token") != self.verification_token:
                return 401, {"msg": "bad token"}
            return 200, {"challenge": payload.get("challenge")}
        header = payload.get("header", {})
        if header.get("token") != self.verification_token:
            return 401, {"msg": "bad token"}
        if header.get("event_type") == "im.message.receive_v1":
            message = payload["event"]["message"]
            if message.get("message_type") == "text":
                text = json.loads(message["content"])["text"]
                self.reply(message["message_id"], "echo: " + text)
        return 200, {"msg": "success"}

    def reply(self, message_id, text):
        for attempt in range(2):
            status, answer = call(
                "POST",
                "%s/open-apis/im/v1/messages/%s/reply" % (self.open_api, message_id),
                {"msg_type": "text", "content": json.dumps({"text": text})},
                token=self.tenant_token(),
            )
            # An invalid or expired token (revoked, say): fetch a new one, once.
            if answer.get("code") in (99991663, 99991677) and attempt == 0:
                with self._lock:
                    self._token = None
                continue
            if answer.get("code") != 0:
                raise RuntimeError("reply failed (%d): %r" % (status, answer))
            return


def serve(bot):
    """The bot's webhook on 127.0.0.1, in a thread; returns the server."""

    class Webhook(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            try:
                status, answer = bot.handle(json.loads(self.rfile.read(length)))
            except Exception as error:  # a failed event is a 500, as Feishu expects
                status, answer = 500, {"msg": str(error)}
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class EchoBotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mock = os.environ.get("FEISHU_MOCK_URL") or (sys.argv[1] if len(sys.argv) > 1 else "")
        if not cls.mock.startswith("http://"):
            raise SystemExit("set FEISHU_MOCK_URL to the URL feishu-mock printed")
        cls.bot = EchoBot(cls.mock, VERIFICATION_TOKEN)
        cls.webhook = serve(cls.bot)
        url = "http://127.0.0.1:%d/webhook/event" % cls.webhook.server_address[1]
        status, answer = cls.control("PUT", "/webhook", {
            "url": url, "verification_token": VERIFICATION_TOKEN,
        })
        assert status == 200, answer
        status, answer = cls.control("POST", "/chats", {
            "chat_id": "oc_python", "name": "Python", "members": ["ou_alice"],
        })
        assert status == 200, answer

    @classmethod
    def tearDownClass(cls):
        cls.webhook.shutdown()

    @classmethod
    def control(cls, method, path, body=None):
        return call(method, cls.mock + "/_mock" + path, body)

    def say(self, text, open_id="ou_alice"):
        status, report = self.control("POST", "/events/message", {
            "chat_id": "oc_python", "open_id": open_id, "text": text,
        })
        self.assertEqual(status, 200, report)
        return report

    def test_echoes_a_message_as_a_reply(self):
        report = self.say("ping")
        self.assertTrue(report["delivered"], report)
        self.assertEqual(report["attempts"][0]["status"], 200)
        _, stored = self.control("GET", "/messages")
        replies = [m for m in stored["messages"] if m["parent_id"] == report["message_id"]]
        self.assertEqual(len(replies), 1, stored)
        self.assertEqual(json.loads(replies[0]["content"]), {"text": "echo: ping"})
        self.assertEqual(replies[0]["sender_id"], APP_ID)

    def token_fetches(self):
        path = "/open-apis/auth/v3/tenant_access_token/internal"
        _, hits = self.control("GET", "/hits?path=" + path)
        return hits["hits"]

    def test_fetches_one_token_for_many_messages(self):
        self.bot.tenant_token()
        self.control("DELETE", "/hits")
        self.say("one")
        self.say("two")
        self.assertEqual(self.token_fetches(), 0)

    def test_a_revoked_token_is_fetched_again(self):
        self.bot.tenant_token()
        self.control("DELETE", "/hits")
        status, answer = self.control("POST", "/tokens/revoke")
        self.assertEqual(status, 200, answer)
        report = self.say("after the revocation")
        self.assertTrue(report["delivered"], report)
        self.assertEqual(self.token_fetches(), 1)

    def test_refuses_a_forged_event(self):
        forged = self.say("seed")["payload"]
        forged["header"]["token"] = "not-the-token"
        status, report = self.control("POST", "/events", {"event": forged})
        self.assertEqual(status, 200, report)
        self.assertFalse(report["delivered"], report)
        self.assertEqual(report["attempts"][-1]["status"], 401)

    def test_a_failed_reply_is_a_failed_delivery(self):
        # The event comes again (Feishu redelivers), and this time the reply
        # gets a scripted 500: the bot's webhook answers 500 in turn, which
        # Feishu would retry later (this mock was started with no retries).
        report = self.say("first")
        path = "/open-apis/im/v1/messages/%s/reply" % report["message_id"]
        status, answer = self.control("POST", "/faults", {
            "path": path, "kind": "status", "status": 500,
        })
        self.assertEqual(status, 200, answer)
        status, again = self.control("POST", "/events", {"event": report["payload"]})
        self.assertFalse(again["delivered"], again)
        self.assertEqual(again["attempts"][-1]["status"], 500)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
