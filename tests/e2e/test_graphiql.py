"""The GraphiQL page must work on an intranet: no asset from any other host."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import httpx

from tests.servers import Api

ASSET = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_graphiql_is_served_with_every_asset_from_this_server(api: Api) -> None:
    page = httpx.get(api.graphql, headers={"accept": "text/html"})

    assert page.status_code == 200
    assert "GraphiQL" in page.text
    assets = [a for a in ASSET.findall(page.text) if not a.startswith("data:")]
    assert len(assets) == 6
    for asset in assets:
        url = urljoin(api.graphql, asset)
        assert urlparse(url).netloc == urlparse(api.url).netloc, f"{asset} is on another host"
        fetched = httpx.get(url)
        assert fetched.status_code == 200, asset
        assert len(fetched.content) > 500, asset


def test_the_page_names_no_cdn(api: Api) -> None:
    page = httpx.get(api.graphql, headers={"accept": "text/html"}).text

    assert not re.search(r"(?:src|href)\s*=\s*[\"'](?:https?:)?//", page)
    assert "unpkg" not in page
    assert "jsdelivr" not in page
