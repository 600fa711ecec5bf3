#!/usr/bin/env python3
"""Writes docs/screenshot.png (the README's picture) from the release build in dist/: the
reference profile on 2 × RTX 3090 with the "Fit to my GPUs" list open for 32k tokens × 4
requests. Headless Chromium through Selenium (scripts/setup installs both).

    python3 scripts/screenshot.py [dist] [out.png]
"""
import socket
import subprocess
import sys
import time

from selenium import webdriver

dist = sys.argv[1] if len(sys.argv) > 1 else "dist"
out = sys.argv[2] if len(sys.argv) > 2 else "docs/screenshot.png"
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
server = subprocess.Popen(
    [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", dist],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
options = webdriver.ChromeOptions()
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
          "--force-device-scale-factor=1"]:
    options.add_argument(a)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(options=options)
try:
    time.sleep(0.5)
    driver.get(f"http://127.0.0.1:{port}/")
    for _ in range(100):
        if driver.execute_script("return !!document.querySelector('[data-testid=app-ready]')"):
            break
        time.sleep(0.1)
    driver.execute_script("""
        const g = document.querySelector('[data-testid=gpu]'); g.value = 'rtx-3090'; g.dispatchEvent(new Event('change'));
        const n = document.querySelector('[data-testid=gpu-count]'); n.value = '2'; n.dispatchEvent(new Event('input'));
        document.querySelector('[data-testid=fit-panel] summary').click();
        for (const [id, v] of [['fit-context', '32768'], ['fit-concurrency', '4']]) {
          const e = document.querySelector(`[data-testid=${id}]`); e.value = v; e.dispatchEvent(new Event('input')); }
    """)
    for _ in range(100):
        if driver.execute_script("return document.querySelectorAll('[data-testid=fit-option]').length > 0"):
            break
        time.sleep(0.1)
    # The panel column scrolls on its own: bring the fit card up there, the page stays at the top.
    driver.execute_script("""
        const col = document.querySelector('.panel-col'), fit = document.querySelector('[data-testid=fit-panel]');
        window.scrollTo(0, 0); col.scrollTop = fit.offsetTop - col.offsetTop - 8;""")
    time.sleep(0.3)
    driver.save_screenshot(out)
    print(f"wrote {out}")
finally:
    driver.quit()
    server.kill()
