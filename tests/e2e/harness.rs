//! The end-to-end harness: `dist/` served by Python's `http.server` (a separate process, so
//! "the server is gone" is real), and Debian's chromium driven through chromedriver by
//! fantoccini, a maintained WebDriver client. The tests are plain functions; this wraps the
//! async client in a small blocking API so each test reads top to bottom.
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A free loopback port (bound then released; the child process binds it next).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Waits until something accepts connections on the port.
fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what} did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `python3 -m http.server` over a folder, on one port for the whole run; it can be stopped
/// (the network is gone) and started again.
pub struct StaticServer {
    root: PathBuf,
    port: u16,
    /// How long every `.wasm` response waits before it is sent (a slow network).
    wasm_delay: Duration,
    child: Mutex<Option<Child>>,
}

/// `http.server` whose `.wasm` responses wait `argv[3]` seconds: the page arrives, the app later.
const SLOW_WASM_SERVER: &str = r#"
import functools, http.server, sys, time
class Slow(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0].endswith(".wasm"):
            time.sleep(float(sys.argv[3]))
        super().do_GET()
    def end_headers(self):
        # Every load fetches (and waits for) the wasm again.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()
    def log_message(self, *args):
        pass
handler = functools.partial(Slow, directory=sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"#;

impl StaticServer {
    /// Serves `root` on a free loopback port.
    pub fn start(root: PathBuf) -> StaticServer {
        StaticServer::with_wasm_delay(root, Duration::ZERO)
    }

    /// Serves `root`, holding back every `.wasm` response for `wasm_delay`.
    pub fn with_wasm_delay(root: PathBuf, wasm_delay: Duration) -> StaticServer {
        let server = StaticServer {
            root,
            port: free_port(),
            wasm_delay,
            child: Mutex::new(None),
        };
        server.resume();
        server
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the server: every request now fails to connect.
    pub fn stop(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port.
    pub fn resume(&self) {
        let mut slot = self.child.lock().unwrap();
        if slot.is_some() {
            return;
        }
        let mut command = Command::new("python3");
        if self.wasm_delay.is_zero() {
            command
                .args(["-m", "http.server", "--bind", "127.0.0.1"])
                .arg(self.port.to_string())
                .arg("--directory")
                .arg(&self.root);
        } else {
            command
                .args(["-c", SLOW_WASM_SERVER])
                .arg(self.port.to_string())
                .arg(&self.root)
                .arg(self.wasm_delay.as_secs_f64().to_string());
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 for the static server");
        *slot = Some(child);
        drop(slot);
        wait_for_port(self.port, "the static server");
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// chromedriver with one headless Chromium session.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Client,
    driver: Child,
    profile_dir: PathBuf,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium (flags for a root, offline machine).
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver on PATH (scripts/setup installs it)");
        wait_for_port(port, "chromedriver");
        let profile_dir = std::env::temp_dir().join(format!("studio-e2e-{}", std::process::id()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                         format!("--user-data-dir={}", profile_dir.display())]
            }
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let client = runtime
            .block_on(
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(caps.as_object().unwrap().clone())
                    .connect(&format!("http://127.0.0.1:{port}")),
            )
            .expect("a WebDriver session");
        Browser {
            runtime,
            client,
            driver,
            profile_dir,
        }
    }

    /// Opens a URL and waits for the page load.
    pub fn goto(&self, url: &str) {
        self.runtime
            .block_on(self.client.goto(url))
            .expect("navigate");
    }

    /// Runs JavaScript in the page (`arguments[i]` are `args`) and returns its result.
    pub fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.runtime
            .block_on(self.client.execute(script, args))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs asynchronous JavaScript: the script calls `arguments[arguments.length - 1](value)`.
    pub fn js_async(&self, script: &str) -> Value {
        self.runtime
            .block_on(self.client.execute_async(script, vec![]))
            .unwrap_or_else(|e| panic!("async script failed: {e}\n{script}"))
    }

    /// Waits until `script` returns a truthy value; panics with `what` after 15 s.
    pub fn wait(&self, what: &str, script: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script, vec![]);
            if !(v.is_null() || v == json!(false) || v == json!("")) {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clears a field and types into it with real key events.
    pub fn type_into(&self, css: &str, text: &str) {
        self.runtime
            .block_on(async {
                let field = self.client.find(Locator::Css(css)).await?;
                field.clear().await?;
                field.send_keys(text).await
            })
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Clicks the element (a real pointer click).
    pub fn click(&self, css: &str) {
        self.runtime
            .block_on(async { self.client.find(Locator::Css(css)).await?.click().await })
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Value (fields) or text content of the element with this `data-testid`.
    pub fn text(&self, testid: &str) -> String {
        let script = format!(
            "const e = document.querySelector('[data-testid=\"{testid}\"]'); \
             return e ? (e.value ?? e.textContent) : null"
        );
        self.js(&script, vec![])
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Resizes the browser window (CSS pixels; headless Chromium has no window frame).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.runtime
            .block_on(self.client.set_window_size(width, height))
            .expect("resize the window");
    }

    /// Presses Tab in the focused element (a real key press through WebDriver).
    pub fn press_tab(&self) {
        self.runtime
            .block_on(async {
                self.client
                    .active_element()
                    .await?
                    .send_keys("\u{e004}")
                    .await
            })
            .expect("press Tab");
    }

    /// Saves a PNG screenshot.
    pub fn screenshot(&self, path: &Path) {
        let png = self
            .runtime
            .block_on(self.client.screenshot())
            .expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.runtime.block_on(self.client.clone().close());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile_dir);
    }
}
