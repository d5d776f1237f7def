"""The standalone fakes' home page, in Russian and in the CRM's look: every accepted message and every channel.

Filtered by provider, sender channel and recipient number (query ``provider``, ``channel``, ``number``), and
live: its script (``/outbox/page.js``) asks ``/outbox/live`` (same query) twice a second with the version
it shows and swaps in the list when it changed, so a developer watching it sees each message arrive.
Everything is HTML-escaped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from mocks.content_download import is_http_url
from mocks.outbox import Attachment, OutboxMessage
from mocks.registry import FAKE_CLASSES, ProviderFakes

PROVIDER_TITLES: dict[str, str] = {name: cls.title for name, cls in FAKE_CLASSES.items()}
_TITLES = list(PROVIDER_TITLES.values())
_TITLES_LISTED = escape(_TITLES[0] if len(_TITLES) == 1 else f"{', '.join(_TITLES[:-1])} и {_TITLES[-1]}")
# each provider's contract page (served by ``mocks.app`` at ``/<name>/docs``)
_DOCS_LINKS = " · ".join(f'<a href="/{name}/docs">{escape(title)}</a>' for name, title in PROVIDER_TITLES.items())
STATE_TITLES = {"active": "активен", "inactive": "неактивен", "blocked": "заблокирован", "removed": "удалён"}
_NON_DIGITS = re.compile(r"\D+")
_ICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E"
    "%3Crect width='32' height='32' rx='6' fill='%23243447'/%3E%3C/svg%3E"
)

_STYLE = """
:root { --blue: #1e6fd9; --line: #d8dde5; --text: #1f2933; --muted: #5f6b7a; --grey: #f2f4f7; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text);
  background: var(--grey); }
.topbar { display: flex; align-items: center; gap: 16px; padding: 0 20px; min-height: 48px; background: #243447;
  color: #fff; flex-wrap: wrap; }
.topbar strong { letter-spacing: 1px; }
.topbar a { color: #dbe7f5; }
main { padding: 20px; max-width: 1400px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 12px; } h2 { font-size: 16px; margin: 0 0 10px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px; margin-bottom: 16px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: end; }
.filters label { display: block; font-weight: 600; margin-bottom: 4px; }
select, input, button, .button { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 4px;
  background: #fff; color: var(--text); }
button { background: var(--blue); border-color: var(--blue); color: #fff; cursor: pointer; }
.button { text-decoration: none; }
.wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; background: #fff; }
caption { text-align: left; font-weight: 600; padding: 6px 0; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.phone { white-space: nowrap; }
td.text { white-space: pre-wrap; max-width: 40rem; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; background: #e8f0fb; color: #27496d;
  font-weight: 600; }
.state-active { background: #edf7ed; color: #1b5e20; }
.state-other { background: #fdecea; color: #8e1c1c; }
tr.fresh { animation: fresh 2s ease-out; }
@keyframes fresh { from { background: #fff4c2; } to { background: transparent; } }
:focus-visible { outline: 2px solid var(--blue); outline-offset: 2px; }
"""

OUTBOX_SCRIPT = """
(function () {
  const list = document.getElementById("outbox-live");
  let version = list.dataset.version;
  async function poll() {
    try {
      const headers = {"If-None-Match": '"' + version + '"'};
      const answer = await fetch(list.dataset.url, {headers: headers, cache: "no-store"});
      if (answer.status === 200) {
        const seen = new Set([...list.querySelectorAll("tr[data-id]")].map(row => row.dataset.id));
        list.innerHTML = await answer.text();
        version = list.querySelector("[data-version]").dataset.version;
        list.querySelectorAll("tr[data-id]").forEach(row => {
          if (!seen.has(row.dataset.id)) row.classList.add("fresh");
        });
      }
    } catch (error) { /* the fakes are restarting: try on the next tick */ }
    setTimeout(poll, 500);
  }
  setTimeout(poll, 500);
})();
"""


def display_phone(digits: str) -> str:
    """Russian numbers as the CRM writes them ("79370000001" -> "+7(937)000-00-01"); others as "+digits"."""
    if len(digits) == 11 and digits[0] == "7":
        return f"+7({digits[1:4]}){digits[4:7]}-{digits[7:9]}-{digits[9:]}"
    return f"+{digits}" if digits else ""


@dataclass(frozen=True)
class OutboxFilter:
    """What the page shows: one provider, one sender channel (digits), recipients whose number contains digits."""

    provider: str = ""
    channel: str = ""
    number: str = ""

    @classmethod
    def of(cls, provider: str = "", channel: str = "", number: str = "") -> OutboxFilter:
        wanted = _NON_DIGITS.sub("", number)
        if len(wanted) == 11 and wanted.startswith("8"):  # 8 999 ... is +7 999 ...
            wanted = "7" + wanted[1:]
        return cls(provider.strip().lower(), _NON_DIGITS.sub("", channel), wanted)

    def keeps(self, message: OutboxMessage) -> bool:
        return (
            (not self.provider or message.provider == self.provider)
            and (not self.channel or message.channel == self.channel)
            and (not self.number or self.number in message.to)
        )

    def query(self) -> str:
        return urlencode(
            {k: v for k, v in (("provider", self.provider), ("channel", self.channel), ("number", self.number)) if v}
        )


def _attachment(item: Attachment) -> str:
    label = escape(item["filename"] or item["url"])
    size = f" ({item['size']} Б)"
    if is_http_url(item["url"]):
        return f'<a href="{escape(item["url"], quote=True)}" rel="noreferrer">{label}</a>{size}'
    return label + size


def _message_row(message: OutboxMessage) -> str:
    files = "<br>".join(_attachment(item) for item in message.attachments)
    cells = [
        f'<td class="phone">{escape(message.accepted_at.strftime("%d.%m.%Y %H:%M:%S %Z"))}</td>',
        f'<span class="badge">{escape(PROVIDER_TITLES.get(message.provider, message.provider))}</span>',
        f'<td class="phone">{escape(display_phone(message.channel))}</td>',
        f'<td class="phone">{escape(display_phone(message.to))}</td>',
        f'<td class="text">{escape(message.text or "")}</td>',
        files,
        escape(message.idempotency_key or "—"),
        escape(message.id),
    ]
    body = "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in cells)
    return f'<tr data-id="{escape(message.provider, quote=True)}:{escape(message.id, quote=True)}">{body}</tr>'


def render_outbox_list(fakes: ProviderFakes, chosen: OutboxFilter) -> str:
    """The live part: the filtered messages, newest first, with a version stamp."""
    everything = fakes.outbox()
    shown = [m for m in everything if chosen.keeps(m)]
    rows = "\n".join(_message_row(m) for m in reversed(shown)) or (
        '<tr><td colspan="8" class="muted">Сообщений нет</td></tr>'
    )
    version = hashlib.sha256(f"{chosen}|{[m.sequence for m in shown]}".encode()).hexdigest()[:20]
    return f"""<div data-version="{version}"></div>
<table data-testid="outbox">
<caption>Сообщения: <span data-testid="outbox-count">{len(shown)}</span> из {len(everything)}</caption>
<thead><tr><th scope="col">Принято</th><th scope="col">Провайдер</th><th scope="col">Канал (отправитель)</th>
<th scope="col">Кому</th><th scope="col">Текст</th><th scope="col">Файлы</th><th scope="col">Ключ идемпотентности</th>
<th scope="col">Id</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>"""


def list_version(fragment: str) -> str:
    found = re.search(r'data-version="([0-9a-f]+)"', fragment)
    return found.group(1) if found else ""


def _options(values: list[tuple[str, str]], chosen: str) -> str:
    return "".join(
        f'<option value="{escape(v, quote=True)}"{" selected" if v == chosen else ""}>{escape(label)}</option>'
        for v, label in values
    )


def _channel_rows(fakes: ProviderFakes) -> str:
    rows = []
    for fake in fakes.all():
        for channel in fake.channels.values():
            tone = "state-active" if channel.state == "active" else "state-other"
            state = STATE_TITLES.get(channel.state, channel.state)
            cells = (
                escape(PROVIDER_TITLES.get(fake.name, fake.name)),
                f'<span class="phone">{escape(display_phone(channel.phone))}</span>',
                escape(channel.name),
                f'<span class="badge {tone}">{escape(state)}</span>',
                escape(channel.transport),
                escape(channel.id),
            )
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return "\n".join(rows) or '<tr><td colspan="6" class="muted">Каналов нет</td></tr>'


def render_outbox_page(fakes: ProviderFakes, chosen: OutboxFilter | None = None) -> str:
    """The whole page."""
    chosen = chosen or OutboxFilter()
    providers = [("", "Все провайдеры")] + [(f.name, PROVIDER_TITLES.get(f.name, f.name)) for f in fakes.all()]
    channels = [("", "Все каналы")] + [
        (c.phone, f"{display_phone(c.phone)} ({PROVIDER_TITLES.get(f.name, f.name)})")
        for f in fakes.all()
        for c in f.channels.values()
    ]
    fragment = render_outbox_list(fakes, chosen)
    live_url = "/outbox/live" + (f"?{chosen.query()}" if chosen.query() else "")
    number = escape(display_phone(chosen.number) if len(chosen.number) == 11 else chosen.number, quote=True)
    return f"""<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Фейки провайдеров: исходящие сообщения</title>
<link rel="icon" href="{_ICON}">
<style>{_STYLE}</style></head>
<body>
<header class="topbar"><strong>CRM</strong><span>Фейки провайдеров {_TITLES_LISTED}</span>
<nav aria-label="Документация провайдеров">Документация API: {_DOCS_LINKS}</nav></header>
<main>
<h1>Исходящие сообщения</h1>
<p class="muted">Всё, что CRM «отправила» через фейки провайдеров. Список обновляется сам.</p>
<section class="card" aria-labelledby="filters-heading">
<h2 id="filters-heading">Фильтр</h2>
<form method="get" action="/" class="filters" aria-label="Фильтр сообщений">
<div><label for="provider">Провайдер</label>
<select id="provider" name="provider">{_options(providers, chosen.provider)}</select></div>
<div><label for="channel">Канал</label>
<select id="channel" name="channel">{_options(channels, chosen.channel)}</select></div>
<div><label for="number">Номер получателя</label><input id="number" name="number" value="{number}"
 placeholder="+7(999)888-55-22" inputmode="tel"></div>
<div><button type="submit">Показать</button> <a class="button" href="/">Сбросить</a></div>
</form>
</section>
<section class="card" aria-labelledby="outbox-heading">
<h2 id="outbox-heading">Сообщения</h2>
<div class="wrap" id="outbox-live" data-url="{escape(live_url, quote=True)}" data-version="{list_version(fragment)}">
{fragment}
</div>
</section>
<section class="card" aria-labelledby="channels-heading">
<h2 id="channels-heading">Каналы</h2>
<div class="wrap">
<table data-testid="channels">
<caption class="muted">Номера WhatsApp, подключённые у каждого провайдера</caption>
<thead><tr><th scope="col">Провайдер</th><th scope="col">Номер</th><th scope="col">Название</th>
<th scope="col">Состояние</th><th scope="col">Транспорт</th><th scope="col">Id</th></tr></thead>
<tbody>
{_channel_rows(fakes)}
</tbody>
</table>
</div>
</section>
</main>
<script src="/outbox/page.js"></script>
</body></html>
"""
