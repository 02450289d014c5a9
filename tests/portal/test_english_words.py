"""No English on the pages officials use: every menu page, and every detail page those pages
link to, as every persona of the sweep world, read for common English UI words (issue #15)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.urls import Resolver404, resolve

from tests import sweep
from tests.campaign_fixtures import _documents_off_disk
from tests.portal.test_navigation import menu_links

__all__ = ["_documents_off_disk"]

# Words a page would show only if some string escaped translation (Django's or ours), or a
# Python value leaked into a template. Matched as whole words, case included.
ENGLISH = re.compile(
    r"\b(Save|Submit|Cancel|Delete|Edit|Search|Next|Previous|Home|Log ?in|Log ?out|Password|"
    r"Username|Loading|Error|Page|Yes|None|True|False|Back|Download|Upload|Close|Add|Remove|"
    r"Update|Details|Select|Filter|Reset|Settings|Help|Required|Optional|Actions|Total|Name|"
    r"Status|Date|Clear|Currently|Change|This field|Enter a valid|Forbidden|Not Found|"
    r"Server Error|Are you sure)\b|---------"
)
PERSONAS = ("admin", "leader", "officer", "reviewer", "council", "viewer", "ward_officer")
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


class ShownText(HTMLParser):
    """What a reader sees or hears: text outside scripts and styles, and the attributes that
    name controls (a submit button's value included)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skipping += 1
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])
        self.parts += [attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def read(client, url: str) -> ShownText | None:
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    text = ShownText()
    text.feed(response.content.decode())
    return text


def test_no_english_ui_words_on_the_menu_pages_and_the_pages_they_link_to(world, client):
    world = sweep.extend_world(world)
    found, read_pages = [], set()
    for persona in PERSONAS:
        user = getattr(world, persona)
        pages = list(menu_links(client, user).values())
        seen_names = set()
        for url in pages:
            page = read(client, url)
            if page is None:
                continue
            read_pages.add(url)
            found += [
                f"{persona} {url}: {m.group(0)!r}" for m in ENGLISH.finditer(" ".join(page.parts))
            ]
            for link in page.links:
                try:
                    match = resolve(link)
                except Resolver404:
                    continue
                # One detail page of each kind per persona: the template is what speaks.
                if match.kwargs and match.view_name not in seen_names and "admin" not in link:
                    seen_names.add(match.view_name)
                    pages.append(link)
    assert len(read_pages) > 30, read_pages
    assert not found, "\n".join(sorted(set(found)))
