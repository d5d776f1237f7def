"""The in-process client's transport (harness/asgi_transport.py) answers as the CRM does over its socket.

The API scenarios hand their requests to the CRM's app without TCP; the oracle here is the same CRM
served by uvicorn on 127.0.0.1: for the same requests, status, the headers a client reads, and body
are the same. A difference would mean the API scenarios test something other than the served CRM.
"""

from __future__ import annotations

import pytest
import requests

from emulator.api.deal_schemas import DealCreate
from emulator.client import ApiError, CrmClient
from emulator.seed import ADMIN_TOKEN
from harness.world import World

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
READ_HEADERS = ("content-type", "content-length", "location", "cache-control", "content-disposition")


def _socket_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    return session


def _same(over_socket: requests.Response, in_process: requests.Response) -> None:
    assert in_process.status_code == over_socket.status_code
    for name in READ_HEADERS:
        assert in_process.headers.get(name) == over_socket.headers.get(name), name
    assert in_process.content == over_socket.content
    assert in_process.raw.headers.getlist("set-cookie") == over_socket.raw.headers.getlist("set-cookie")


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/api/funnels", {"headers": AUTH}),
        ("GET", "/api/deals/9396", {"headers": AUTH}),
        ("GET", "/api/deals/2147483647", {"headers": AUTH}),  # 404
        ("GET", "/api/deals/abc", {"headers": AUTH}),  # 422 naming the field
        ("GET", "/api/funnels", {}),  # 401: no token
        ("GET", "/api/business-processes", {"headers": AUTH, "params": {"stage_id": "2147483647"}}),  # a query
        ("GET", "/api/business-processes", {"headers": AUTH, "params": {"stage_id": "два"}}),  # 422 naming it
        ("POST", "/api/auth/token", {"json": {"login": "admin", "password": "wrong"}}),
        ("POST", "/api/deals", {"headers": AUTH, "data": b"{not json", "allow_redirects": False}),
        ("GET", "/deals", {"allow_redirects": False}),  # a page, signed out: a redirect to the sign-in screen
        ("GET", "/static/crm.css", {}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_request_gets_the_answer_the_served_crm_gives(world: World, method: str, path: str, kwargs: dict) -> None:
    with _socket_session() as over_socket:
        expected = over_socket.request(method, world.crm_url + path, timeout=30, **kwargs)
    actual = world.client.session.request(method, world.crm_url + path, timeout=30, **kwargs)
    _same(expected, actual)


def test_an_upload_is_stored_alike(world: World) -> None:
    """A multipart body: both ways store the file and answer with its description."""
    files = {"file": ("прайс.pdf", b"%PDF-1.4 price list", "application/pdf")}
    with _socket_session() as over_socket:
        expected = over_socket.post(world.crm_url + "/api/files", files=files, headers=AUTH, timeout=30)
    actual = world.client.session.post(world.crm_url + "/api/files", files=files, headers=AUTH, timeout=30)
    assert expected.status_code == actual.status_code == 201
    first, second = expected.json(), actual.json()
    assert first.pop("id") != second.pop("id")  # two files, each at its own unguessable address
    assert first.pop("url").rsplit("/", 1)[1] == second.pop("url").rsplit("/", 1)[1]
    assert first == second


def test_the_sign_in_screen_sets_the_same_cookies(world: World) -> None:
    """Each answer has its own CSRF token and session: the cookies' names and attributes are the same."""
    with _socket_session() as over_socket:
        expected = over_socket.get(world.crm_url + "/login", timeout=30)
    actual = world.client.session.get(world.crm_url + "/login", timeout=30)
    assert actual.status_code == expected.status_code == 200
    assert actual.headers["content-type"] == expected.headers["content-type"]

    def attributes(response: requests.Response) -> list[tuple[str, str]]:
        cookies = response.raw.headers.getlist("set-cookie")
        return [(cookie.split("=", 1)[0], cookie.split(";", 1)[1]) for cookie in cookies]

    assert attributes(actual) == attributes(expected) != []


def test_the_typed_clients_transport_gets_what_the_socket_gets(world: World) -> None:
    """The typed client in-process (``AsgiTransport``, no ``requests`` objects) against the same client
    over the socket: the same answers, the same refusals, the same stored upload."""
    over_socket = CrmClient(world.crm_url, ADMIN_TOKEN)
    in_process = world.client
    assert in_process.transport is not None and over_socket.transport is None
    assert in_process.funnels() == over_socket.funnels()
    assert in_process.deal(9396) == over_socket.deal(9396)
    assert in_process.get("/api/business-processes?stage_id=2147483647") == over_socket.get(
        "/api/business-processes?stage_id=2147483647"
    )
    refusals = []
    for client in (over_socket, in_process):
        with pytest.raises(ApiError) as refused:
            client.create_deal(DealCreate.model_construct(funnel_id=1, stage_id=2147483647, title=""))
        refusals.append((refused.value.status, refused.value.detail, refused.value.errors))
    assert refusals[0] == refusals[1]
    uploads = [
        client.upload_file("прайс.pdf", b"%PDF-1.4 price", "application/pdf") for client in (over_socket, in_process)
    ]
    assert uploads[0].model_dump(exclude={"id", "url"}) == uploads[1].model_dump(exclude={"id", "url"})
