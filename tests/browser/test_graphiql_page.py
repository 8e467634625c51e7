"""GraphiQL in a real Chromium: it renders, runs a query, and asks no other host for anything."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from urllib.parse import urlparse

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright

from civgraph.graph.driver import Graph
from civgraph.ingest.demo import load_demo
from tests.servers import Api

# Without the background-networking flags Chromium calls home, and this network refuses it.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs it when run as root")
        pytest.skip("chromium is not installed; `make test` installs it when run as root")
    return path


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    executable = chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        await launched.close()


@pytest_asyncio.fixture
async def page(browser: Browser, api: Api) -> AsyncIterator[Page]:
    context = await browser.new_context(extra_http_headers=api.headers)
    yield await context.new_page()
    await context.close()


async def test_graphiql_renders_from_this_server_alone(api: Api, page: Page) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    await page.goto(api.graphql)
    await page.wait_for_selector(".graphiql-execute-button", timeout=30_000)

    own = urlparse(api.url).netloc
    foreign = [
        url
        for url in requested
        if urlparse(url).scheme.startswith("http") and urlparse(url).netloc != own
    ]
    assert foreign == []
    assert any(url.endswith("graphiql.min.js") for url in requested)


async def test_the_example_query_runs_from_the_page(api: Api, page: Page, graph: Graph) -> None:
    await load_demo(graph)
    await page.goto(api.graphql)
    await page.wait_for_selector(".graphiql-execute-button", timeout=30_000)

    await page.click(".graphiql-execute-button")

    result = page.locator(".result-window")
    await result.get_by_text("包河区").wait_for(timeout=30_000)
    assert "演示社区居委会" in await result.inner_text()
