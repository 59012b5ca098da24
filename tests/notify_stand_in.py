"""GOV.UK Notify's email endpoint, stood in on loopback for the tests (issue 23).

It checks each request as Notify does: `POST /v2/notifications/email` with a JSON body and a
bearer JSON Web Token signed (HS256) with the API key's secret, issued by the key's service
and recently (checked with notifications-python-client's own `decode_jwt_token`). It keeps
every request and answers with the statuses queued in `answers`, 201 and Notify's body when
none are left. A request Notify would refuse for its token gets 403, as Notify gives.

`GET /v2/notifications?reference=...` lists the emails it took with that reference, and
`GET /v2/notifications/<id>` answers one with its status, as Notify does (a test sets the
status in `taken`). `lose_next_answer()` makes it take the next email and then answer 502, as when Notify
took it but its answer never came back.
"""

import json
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

SERVICE_ID = str(uuid.UUID(int=0x5E9D_0A11))
SECRET = str(uuid.UUID(int=0xC0FFEE))
API_KEY = f"send_qa_tests-{SERVICE_ID}-{SECRET}"  # a key's form: name, service id, secret
TEMPLATE_ID = str(uuid.UUID(int=0x7E4A))


@dataclass
class Received:
    path: str
    body: dict
    issuer: str


@dataclass
class NotifyStandIn:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: deque[tuple[int, dict]] = field(default_factory=deque)
    taken: list[dict] = field(default_factory=list)
    answers_lost: int = 0

    def lose_next_answer(self) -> None:
        self.answers_lost += 1

    def answer_next(self, status: int, message: str = "", times: int = 1) -> None:
        body = {"errors": [{"error": "Error", "message": message}], "status_code": status}
        self.answers.extend([(status, body)] * times)


def _handler(stand_in: NotifyStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _issuer(self) -> str | None:
            """The token's issuer, or None once it has answered 403 as Notify does."""
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                issuer = get_token_issuer(token)
                decode_jwt_token(token, SECRET)
            except TokenError as error:
                self._answer(403, {"errors": [{"error": "AuthError", "message": error.message}]})
                return None
            return issuer

        def do_GET(self) -> None:
            if self._issuer() is None:
                return
            url = urlsplit(self.path)
            one = [n for n in stand_in.taken if url.path == f"/v2/notifications/{n['id']}"]
            if one:
                self._answer(200, one[0])
                return
            if url.path != "/v2/notifications":
                self._answer(404, {"errors": [{"error": "NotFound", "message": url.path}]})
                return
            reference = parse_qs(url.query).get("reference", [None])[0]
            found = [n for n in stand_in.taken if reference is None or n["reference"] == reference]
            self._answer(200, {"notifications": found, "links": {"current": self.path}})

        def do_POST(self) -> None:
            issuer = self._issuer()
            if issuer is None:
                return
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            stand_in.received.append(Received(self.path, body, issuer))
            if self.path != "/v2/notifications/email":
                self._answer(404, {"errors": [{"error": "NotFound", "message": self.path}]})
            elif stand_in.answers:
                self._answer(*stand_in.answers.popleft())
            else:
                taken = {
                    "id": str(uuid.uuid4()),
                    "reference": body.get("reference"),
                    "email_address": body.get("email_address"),
                    "type": "email",
                    "status": "created",
                }
                stand_in.taken.append(taken)
                if stand_in.answers_lost:
                    stand_in.answers_lost -= 1
                    self._answer(502, {"errors": [{"error": "BadGateway", "message": "lost"}]})
                    return
                personalisation = body.get("personalisation", {})
                self._answer(
                    201,
                    {
                        "id": taken["id"],
                        "reference": body.get("reference"),
                        "content": {
                            "subject": personalisation.get("subject", ""),
                            "body": personalisation.get("body", ""),
                            "from_email": "send.qa@notifications.service.gov.uk",
                        },
                        "template": {"id": body.get("template_id"), "version": 1},
                    },
                )

    return Handler


@pytest.fixture
def notify(settings) -> Iterator[NotifyStandIn]:
    """A Notify stand-in, and the portal's settings pointed at it: the outbox as the email
    backend, Notify as its mail service."""
    stand_in = NotifyStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stand_in))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.EMAIL_BACKEND = "send_qa.core.emails.OutboxBackend"
    settings.EMAIL_SERVICE_BACKEND = "send_qa.core.notify.NotifyBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = stand_in.url
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_TEMPLATE_IDS = {}
    yield stand_in
    server.shutdown()
    server.server_close()
