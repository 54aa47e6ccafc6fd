"""`ztlab serve` drives the app only for whoever holds the printed address: no secret, no page; a
websocket from another site's page (or a DNS-rebinding one) is refused even with the secret."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workshop.test_serve_browser import _free_port, served_url

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

HERE = Path(__file__).resolve().parent


@pytest.fixture
def served():
    port = _free_port()
    serve = subprocess.Popen([sys.executable, "-m", "ztlab", "serve", "--port", str(port),
                              "--command", f"{sys.executable} {HERE / 'tiny_app.py'}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        yield port, served_url(serve)
    finally:
        serve.terminate()
        try:
            serve.wait(timeout=10)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()


def test_the_page_and_websocket_need_the_secret_and_the_page_origin(served):
    aiohttp = pytest.importorskip("aiohttp")
    port, url = served
    token = url.split("token=", 1)[1]
    base = f"http://127.0.0.1:{port}"

    async def probe():
        async with aiohttp.ClientSession() as session:
            for attempt in range(100):  # the server may still be starting
                try:
                    async with session.get(base + "/") as response:
                        no_secret = response.status
                    break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.1)
            async with session.get(base + "/?token=wrong") as response:
                wrong_secret = response.status
            results = {"no secret": no_secret, "wrong secret": wrong_secret}
            for name, headers, query in (
                ("ws, evil origin, with secret", {"Origin": "http://evil.example.com"}, f"?token={token}"),
                ("ws, rebinding origin, with secret", {"Origin": f"http://evil.example.com:{port}"}, f"?token={token}"),
                ("ws, own origin, no secret", {"Origin": base}, ""),
            ):
                try:
                    async with session.ws_connect(base + "/ws" + query, headers=headers):
                        results[name] = 101
                except aiohttp.WSServerHandshakeError as exc:
                    results[name] = exc.status
        # The printed address opens the page and leaves a cookie that lets its own websocket in.
        # (unsafe=True: aiohttp's own jar ignores cookies of IP hosts; browsers keep them)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(url) as response:
                results["printed address"] = response.status
            async with session.ws_connect(base + "/ws?width=80&height=24", headers={"Origin": base}) as ws:
                results["ws, own origin, cookie"] = 101
                await ws.close()
        return results

    results = asyncio.run(probe())
    assert results == {
        "no secret": 403, "wrong secret": 403,
        "ws, evil origin, with secret": 403, "ws, rebinding origin, with secret": 403, "ws, own origin, no secret": 403,
        "printed address": 200, "ws, own origin, cookie": 101,
    }


def test_help_says_tabs_share_one_store_and_sandbox():
    result = subprocess.run([sys.executable, "-m", "ztlab", "serve", "--help"], capture_output=True, text=True, timeout=60)
    text = " ".join(result.stdout.split())
    assert "share" in text and "one progress store and one sandbox" in text and "token" in text
