"""The standalone server's home page: every accepted message and every channel, HTML-escaped."""

from __future__ import annotations

from html import escape

from mocks.content_download import is_http_url
from mocks.outbox import Attachment, OutboxMessage
from mocks.registry import ProviderFakes

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; margin-bottom: 2rem; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.text { white-space: pre-wrap; max-width: 40rem; }
"""


def _attachment(item: Attachment) -> str:
    label = escape(item["filename"] or item["url"])
    size = f" ({item['size']} B)"
    if is_http_url(item["url"]):
        return f'<a href="{escape(item["url"], quote=True)}" rel="noreferrer">{label}</a>{size}'
    return label + size


def _message_row(message: OutboxMessage) -> str:
    files = "<br>".join(_attachment(item) for item in message.attachments)
    cells = [
        escape(message.accepted_at.isoformat(timespec="seconds")),
        escape(message.provider),
        escape(message.channel),
        escape(message.to),
        f'<td class="text">{escape(message.text or "")}</td>',
        files,
        escape(message.idempotency_key or ""),
        escape(message.id),
    ]
    return "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in cells) + "</tr>"


def render_outbox_page(fakes: ProviderFakes) -> str:
    """The whole page."""
    messages = fakes.outbox()
    rows = "\n".join(_message_row(m) for m in reversed(messages))
    channel_rows = "\n".join(
        "<tr>"
        + "".join(
            f"<td>{escape(value)}</td>"
            for value in (fake.name, channel.phone, channel.name, channel.state, channel.transport, channel.id)
        )
        + "</tr>"
        for fake in fakes.all()
        for channel in fake.channels.values()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Provider fakes: outbox</title>
<style>{_STYLE}</style></head>
<body>
<h1>Outbox ({len(messages)})</h1>
<table data-testid="outbox">
<tr><th>Accepted</th><th>Provider</th><th>From</th><th>To</th><th>Text</th><th>Files</th>
<th>Idempotency key</th><th>Id</th></tr>
{rows}
</table>
<h2>Channels</h2>
<table data-testid="channels">
<tr><th>Provider</th><th>Phone</th><th>Name</th><th>State</th><th>Transport</th><th>Id</th></tr>
{channel_rows}
</table>
</body></html>
"""
