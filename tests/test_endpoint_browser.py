"""A real browser (Debian's /usr/bin/chromium via Playwright) uses the endpoint from another origin.

A page served on a second port (another origin, as a browser query editor such as YASGUI
would be) fetches from ``castkg serve`` with a preflighted POST and a simple GET; Chromium
enforces CORS, so the answers reach the page only if the endpoint's headers allow it. With an
origin allow-list that does not name the page, the same fetches fail. The bundled query page
is also used the way a person would: type, press Run, read the table.
"""

from __future__ import annotations

import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from castkg.endpoint import EndpointConfig, EndpointServer, make_server

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"

sync_api = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not at /usr/bin/chromium", allow_module_level=True)

PAGE = """<!doctype html><meta charset="utf-8"><title>editor</title>
<pre id="post">…</pre><pre id="get">…</pre>
<script>
const endpoint = new URLSearchParams(location.search).get("endpoint");
const query = "SELECT ?label WHERE { <https://w3id.org/castkg/id/org-demo> rdfs:label ?label }";
fetch(endpoint, {method: "POST", body: query, headers: {
    "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}})
  .then(r => r.json()).then(j => { document.getElementById("post").textContent =
    j.results.bindings.map(b => b.label.value).join(",") })
  .catch(e => { document.getElementById("post").textContent = "failed: " + e });
fetch(endpoint + "?query=" + encodeURIComponent(query))
  .then(r => r.json()).then(j => { document.getElementById("get").textContent =
    j.results.bindings.map(b => b.label.value).join(",") })
  .catch(e => { document.getElementById("get").textContent = "failed: " + e });
</script>"""


def serve_thread(server: http.server.HTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def editor() -> Iterator[str]:
    """The page of another origin: 'localhost' (not 127.0.0.1) on another port."""
    folder = tempfile.TemporaryDirectory()
    (Path(folder.name) / "index.html").write_text(PAGE, encoding="utf-8")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=folder.name, **kwargs)  # type: ignore[misc,arg-type]

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = serve_thread(server)
    yield f"http://localhost:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()
    thread.join(5)
    folder.cleanup()


def endpoint(config: EndpointConfig) -> tuple[EndpointServer, threading.Thread, str]:
    server = make_server(FIXTURE, "127.0.0.1", 0, config)
    return server, serve_thread(server), f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def results(browser: object, page_url: str) -> tuple[str, str]:
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(page_url)
        page.wait_for_function(
            "document.getElementById('post').textContent !== '…' && "
            "document.getElementById('get').textContent !== '…'",
            timeout=20_000,
        )
        return page.inner_text("#post"), page.inner_text("#get")
    finally:
        page.close()


def test_a_page_of_another_origin_can_query(browser: object, editor: str) -> None:
    server, thread, base = endpoint(EndpointConfig())
    try:
        assert results(browser, f"{editor}?endpoint={base}/sparql") == ("示例学会", "示例学会")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_an_origin_allow_list_keeps_other_pages_out(browser: object, editor: str) -> None:
    server, thread, base = endpoint(EndpointConfig(allowed_origins=("http://app.example",)))
    try:
        post, get = results(browser, f"{editor}?endpoint={base}/sparql")
        assert post.startswith("failed: TypeError") and get.startswith("failed: TypeError")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_the_bundled_query_page(browser: object) -> None:
    server, thread, base = endpoint(EndpointConfig())
    page = browser.new_page()  # type: ignore[attr-defined]
    outside: list[str] = []
    page.on(
        "request", lambda request: outside.append(request.url) if not request.url.startswith(base) else None
    )
    try:
        page.goto(f"{base}/")
        page.fill("#query", "SELECT ?label WHERE { ckr:org-demo rdfs:label ?label } ORDER BY ?label")
        page.click("#run")
        page.wait_for_selector("#result table", timeout=20_000)
        cells = page.locator("#result td").all_inner_texts()
        assert cells == ["示例学会@zh"]
        assert page.inner_text("#status").startswith("1 rows, ")
        assert outside == []  # bundled: nothing fetched from anywhere else
    finally:
        page.close()
        server.shutdown()
        server.server_close()
        thread.join(5)
