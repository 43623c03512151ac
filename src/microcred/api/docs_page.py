"""A self-contained API reference page built from the OpenAPI document (no CDN)."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "code{background:#f3f3f3;padding:0 .2rem}h2{border-bottom:1px solid #ddd}"
    ".m{display:inline-block;width:4.5rem;font-weight:bold}.pub{color:#070}"
)


def render(spec: dict[str, Any]) -> str:
    """Every operation by tag: method, path, summary, public or key-protected."""
    by_tag: dict[str, list[str]] = {}
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            lock = "API key" if op.get("security") else '<span class="pub">public</span>'
            line = (f'<li><span class="m">{method.upper()}</span><code>{html.escape(path)}</code>'
                    f" — {html.escape(op.get('summary', ''))} ({lock})</li>")  # fmt: skip
            by_tag.setdefault((op.get("tags") or ["other"])[0], []).append(line)
    sections = "".join(f"<h2>{html.escape(tag)}</h2><ul>{''.join(lines)}</ul>"
                       for tag, lines in by_tag.items())  # fmt: skip
    title = html.escape(spec.get("info", {}).get("title", "API"))
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{title}</title>"
            f"<style>{STYLE}</style><h1>{title}</h1><p>Machine-readable: "
            f'<a href="/openapi.json">/openapi.json</a>. Errors are RFC 9457 '
            f"<code>application/problem+json</code> with a stable <code>code</code>.</p>"
            f"{sections}</html>")  # fmt: skip


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))
