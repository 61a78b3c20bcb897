"""Drive the views in a real headless Chromium (Debian ``chromium`` + ``chromium-driver``)
against ``python -m wifimgr.devserver`` on a fresh twin — what ``make run`` serves.

Screenshots go to ``artifacts/screenshots/`` (override with ``WIFIMGR_SCREENSHOTS``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from support import ROOT

CHROMIUM = os.environ.get("WIFIMGR_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("WIFIMGR_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = Path(os.environ.get("WIFIMGR_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
TABS = ("networks", "radios", "clients", "diagnostics", "events", "linkpolicy")
#: an openwrt/luci checkout: run the suite inside the real LuCI runtime and bootstrap theme
#: (make test-luci LUCI_SRC=…) instead of the dev server's shim
LUCI_SRC = os.environ.get("WIFIMGR_LUCI_SRC") or None
RUNTIME = "luci" if LUCI_SRC else "shim"
#: the LuCI theme of that runtime: bootstrap, or material (WIFIMGR_LUCI_THEME=material)
THEME = os.environ.get("WIFIMGR_LUCI_THEME", "bootstrap") if LUCI_SRC else "shim"
#: console messages that are expected: the login page is served with 403 as LuCI does
ALLOWED_CONSOLE = ("403 (Forbidden)",)


def available() -> str | None:
    """None when the browser tests can run, else why not."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    for p in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(p):
            return f"{p} is missing (apt install chromium chromium-driver)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The dev server in its own process, on its own twin."""

    def __init__(self, sim_dir: str, *, profile: str | None = None):
        self.sim_dir = sim_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        #: the twin profile the server plays (`wifimgr sim profiles`); None: the default
        self.profile = profile
        path = [str(ROOT / "lib"), os.environ.get("PYTHONPATH", "")]
        env = dict(os.environ, WIFIMGR_SIM=sim_dir, PYTHONPATH=os.pathsep.join(path))
        self.log = open(os.path.join(sim_dir + ".log"), "w+b")  # noqa: SIM115
        argv = [sys.executable, "-m", "wifimgr.devserver", "--port", str(self.port)]
        if profile:
            argv += ["--profile", profile]
        if LUCI_SRC:
            argv += ["--luci-src", LUCI_SRC]
        self.proc = subprocess.Popen(
            argv,
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=str(ROOT))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"devserver exited: {self.output()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port),
                                                                        timeout=0.5):
                return
            time.sleep(0.2)
        raise RuntimeError(f"devserver did not listen: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def twin(self):
        from wifimgr.sim import open_twin

        return open_twin(self.sim_dir, create=False)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='wifimgr-chromium-')}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    return drv


class Browser:
    def __init__(self, driver, server: Server):
        self.d, self.server = driver, server
        self.console: list[dict] = []

    # ------------------------------------------------------------ waiting
    def wait(self, css: str, timeout: float = 30.0):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.d, timeout).until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def wait_text(self, css: str, text: str, timeout: float = 30.0) -> str:
        """Wait until the element's text contains ``text``; its whole text. Read in one
        script call, so a poll re-rendering the element in between cannot make it stale."""
        def now() -> str | None:
            t = self.js("var e = document.querySelector(arguments[0]);"
                        "return e ? e.innerText : null;", css)
            return t if t is not None and text in t else None
        return self.until(now, timeout, f"{text!r} in {css}")

    def until(self, pred, timeout: float = 30.0, what: str = "condition"):
        end = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < end:
            try:
                v = pred()
            except Exception as exc:  # the page may be reloading under us
                last, v = exc, None
            if v:
                return v
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}" + (f" ({last})" if last else ""))

    def text(self, css: str, timeout: float = 10.0) -> str:
        """The element's text, re-found if a poll re-rendered it meanwhile."""
        return self.until(lambda: self.find(css).text or " ", timeout, f"text of {css}")

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.d.find_element(By.CSS_SELECTOR, css)

    def finds(self, css: str):
        from selenium.webdriver.common.by import By

        return self.d.find_elements(By.CSS_SELECTOR, css)

    def click(self, css: str, timeout: float = 30.0) -> None:
        """Click the element as a user does. The views re-render on their poll (Link Policy
        every 5 s), so an element found a moment ago may be gone: find it again and retry
        until the click lands (the known flake: a stale element after a poll)."""
        from selenium.common.exceptions import (
            ElementClickInterceptedException,
            StaleElementReferenceException,
        )

        end = time.monotonic() + timeout
        while True:
            el = self.wait(css, max(1.0, end - time.monotonic()))
            try:
                self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
                el.click()
                return
            except (StaleElementReferenceException, ElementClickInterceptedException):
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)

    def js(self, script: str, *args):
        return self.d.execute_script(script, *args)

    # ------------------------------------------------------------ pages
    def login(self, user: str = "root", password: str = "wifimgr") -> None:
        self.d.get(self.server.url + "/cgi-bin/luci/admin/network/wifimgr")
        self.wait("#luci_password").send_keys(password)
        user_el = self.find("#luci_username")
        user_el.clear()
        user_el.send_keys(user)
        self.find("#login").click()
        self.wait(".wm-header", 60)

    def tab(self, name: str) -> None:
        self.d.get(f"{self.server.url}/cgi-bin/luci/admin/network/wifimgr/{name}")
        self.wait(".wm-header", 60)
        self.until(lambda: not self.finds("#view .spinning"), 30, f"{name} to render")

    def shot(self, name: str) -> Path:
        """A full-page PNG (Chrome DevTools ``Page.captureScreenshot`` beyond the viewport)."""
        import base64

        SHOTS.mkdir(parents=True, exist_ok=True)
        prefix = {"shim": "", "bootstrap": "luci-"}.get(THEME, f"luci-{THEME}-")
        path = SHOTS / f"{prefix}{name}.png"
        w, h = self.js("return [document.documentElement.scrollWidth, "
                       "document.documentElement.scrollHeight]")
        data = self.d.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": w, "height": min(h, 6000), "scale": 1}})
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    def console_errors(self) -> list[str]:
        """SEVERE browser console entries since the last call (the login page's 403 is how
        LuCI answers an unauthenticated request, so it is expected)."""
        entries = self.d.get_log("browser")
        self.console.extend(entries)
        return [e["message"] for e in entries if e["level"] == "SEVERE"
                and not any(a in e["message"] for a in ALLOWED_CONSOLE)]


# ------------------------------------------------------------------ forms and the write flow
def set_field(b: Browser, name: str, value, scope: str = ".modal") -> None:
    """Set a form field in the open modal as a user would (typing, choosing, ticking)."""
    el = b.find(f'{scope} [name="{name}"]')
    kind = el.get_attribute("type")
    if el.tag_name == "select":
        b.js("arguments[0].value = arguments[1];"
             "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", el, value)
    elif kind == "checkbox":
        assert el.is_enabled(), f"{name} is disabled: {el.get_attribute('title') or ''}"
        if bool(el.is_selected()) != bool(value):
            el.click()
    else:
        el.clear()
        el.send_keys(str(value))


def open_wizard(b: Browser, kind: str) -> None:
    b.tab("networks")
    b.js("var s = document.getElementById('wm-add'); s.value = arguments[0];"
         "s.dispatchEvent(new Event('change', {bubbles: true}));", kind)
    b.wait(".modal #wm-wizard-submit")


def modal_open(b: Browser) -> bool:
    return bool(b.js("return document.body.classList.contains('modal-overlay-active')"))


def finish_apply(b: Browser, server: Server, timeout: float = 120.0) -> None:
    """Confirm the dry-run verdict, then drive the twin's clock until the apply is done."""
    b.click("#wm-confirm")
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        close = b.finds("#wm-progress-close")
        if close and close[0].is_displayed():
            close[0].click()
            b.wait(".wm-header", 60)
            return
        if not modal_open(b):
            return                                   # applied without a job to follow
        server.twin().advance(15)
        time.sleep(0.5)
    raise AssertionError("the apply did not finish")


def close_modal(b: Browser) -> None:
    """Press the modal's Cancel/Close button."""
    b.js("var bs = document.querySelectorAll('.modal button');"
         "for (var i = 0; i < bs.length; i++) if (/^(Cancel|Close)$/.test(bs[i].textContent.trim()))"
         " { bs[i].click(); break; }")
    b.until(lambda: not modal_open(b), 10, "the modal to close")


@contextlib.contextmanager
def steering_decision(system, decision: dict):
    """The steering daemon's last decision as the Link Policy tab reads it, with procd
    reporting steerd running (this process stands in for it); both undone afterwards."""
    import json

    path = os.path.join(system.state_dir, "steering", "last.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"status": "running", "decision": decision}, fh)
    with system.sim.edit() as st:
        before = json.loads(json.dumps(st.get("procd", {})))
        st.setdefault("procd", {}).setdefault("wifimgr", {})["steerd"] = {
            "pid": os.getpid(), "command": ["x"], "started": 0}
    try:
        yield
    finally:
        with system.sim.edit() as st:
            st["procd"] = before
        os.remove(path)
