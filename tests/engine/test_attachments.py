"""Files reach each provider in its own wire format, as public URLs the provider downloads."""

from __future__ import annotations

from harness.world import World

PDF = b"%PDF-1.4\n" + b"x" * 3000
JPG = b"\xff\xd8\xff\xe0" + b"y" * 5000


def _with_files(world: World, provider: str, text: str = "Прайс во вложении") -> int:
    files = [world.client.upload_file("прайс.pdf", PDF).id, world.client.upload_file("photo_2023-01.jpg", JPG).id]
    world.process(provider, text=text, file_ids=files)
    deal_id = world.deal()
    world.enter(deal_id)
    return deal_id


def test_wazzup_text_and_each_file_are_separate_requests(world: World) -> None:
    deal_id = _with_files(world, "wazzup")
    bodies = [s.json for s in world.sends("wazzup")]
    assert [("text" in b, "contentUri" in b) for b in bodies] == [(True, False), (False, True), (False, True)]
    assert bodies[1]["contentUri"].startswith(f"{world.crm_url}/files/")
    assert len({b["crmMessageId"] for b in bodies}) == 3
    assert {m.attachments[0]["size"] for m in world.fakes.wazzup.outbox if m.attachments} == {len(PDF), len(JPG)}
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_default_sends_text_and_files_in_one_request(world: World) -> None:
    deal_id = _with_files(world, "default")
    [send] = world.sends("default")
    assert send.json["text"] == "Прайс во вложении"
    assert [(a["filename"], a["size"], a["content_type"]) for a in send.json["attachments"]] == [
        ("прайс.pdf", len(PDF), "application/pdf"),
        ("photo_2023-01.jpg", len(JPG), "image/jpeg"),
    ]
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_i2crm_sends_each_file_as_url_the_text_with_the_first(world: World) -> None:
    """The public production client's field (``url``); not publicly documented, see DECISIONS.md."""
    deal_id = _with_files(world, "i2crm")
    bodies = [s.json for s in world.sends("i2crm")]
    assert [sorted(b) for b in bodies] == [
        ["client", "domain", "source", "text", "url"],
        ["client", "domain", "source", "url"],
    ]
    assert bodies[0]["text"] == "Прайс во вложении"
    assert all(b["url"].startswith(f"{world.crm_url}/files/") for b in bodies)
    assert [m.attachments[0]["filename"] for m in world.fakes.i2crm.outbox] == ["прайс.pdf", "photo_2023-01.jpg"]
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_files_without_text_are_sent_alone(world: World) -> None:
    _with_files(world, "wazzup", text="")
    assert ["contentUri" in s.json for s in world.sends("wazzup")] == [True, True]


def test_wazzup_refuses_a_file_over_its_10_mb(world: World) -> None:
    big = world.client.upload_file("видео.mp4", b"\x00" * (10 * 1024 * 1024 + 1)).id
    world.process("wazzup", text="", file_ids=[big])
    deal_id = world.deal()
    world.enter(deal_id)
    assert world.statuses(deal_id) == ["Статус: Ошибка: файл больше 10 МБ"]


def test_wazzup_says_which_parts_already_went_when_a_later_file_fails(world: World) -> None:
    big = world.client.upload_file("видео.mp4", b"\x00" * (10 * 1024 * 1024 + 1)).id
    world.process("wazzup", text="Видео во вложении", file_ids=[big])
    deal_id = world.deal()
    world.enter(deal_id)
    assert [m.text for m in world.fakes.wazzup.outbox] == ["Видео во вложении"]
    assert world.statuses(deal_id) == ["Статус: Ошибка: файл больше 10 МБ; уже доставлено сервису частей: 1 из 2"]
