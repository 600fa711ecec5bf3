//! Writes that may lag the keyboard (browser storage, the address bar): at most one per quiet
//! interval instead of one per keystroke (a `history.replaceState` costs milliseconds), and at
//! once when the page is hidden or left, so an edit is never lost on close.
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How long the keyboard must rest before the write happens.
const QUIET: Duration = Duration::from_millis(400);

/// One deferred write: `schedule` marks it due, it runs after [`QUIET`] or on `flush`.
#[derive(Clone)]
pub struct Deferred(Rc<Inner>);

struct Inner {
    write: Box<dyn Fn()>,
    pending: Cell<bool>,
    timer: Cell<Option<TimeoutHandle>>,
    /// When the write is due (ms since the epoch): the quiet interval after the last `schedule`.
    due: Cell<f64>,
}

impl Deferred {
    /// A deferred `write`, flushed on `pagehide` and when the document becomes hidden.
    pub fn new(write: impl Fn() + 'static) -> Deferred {
        let d = Deferred(Rc::new(Inner {
            write: Box::new(write),
            pending: Cell::new(false),
            timer: Cell::new(None),
            due: Cell::new(0.0),
        }));
        let on_leave = d.clone();
        let flush = Closure::<dyn Fn()>::new(move || on_leave.flush());
        let hidden = d.clone();
        let on_hidden = Closure::<dyn Fn()>::new(move || {
            if document().visibility_state() == web_sys::VisibilityState::Hidden {
                hidden.flush();
            }
        });
        let _ =
            window().add_event_listener_with_callback("pagehide", flush.as_ref().unchecked_ref());
        let _ = document().add_event_listener_with_callback(
            "visibilitychange",
            on_hidden.as_ref().unchecked_ref(),
        );
        // The listeners live as long as the page.
        flush.forget();
        on_hidden.forget();
        d
    }

    /// Marks the write due and (re)starts the quiet interval. A keystroke only moves the due
    /// time: the one timer running re-arms itself for the rest when it fires early (clearing
    /// and setting a timer on every keystroke cost more than the YAML it follows).
    pub fn schedule(&self) {
        self.0.pending.set(true);
        self.0
            .due
            .set(js_sys::Date::now() + QUIET.as_millis() as f64);
        if self.0.timer.get().is_none() {
            self.arm(QUIET);
        }
    }

    fn arm(&self, after: Duration) {
        let me = self.clone();
        self.0
            .timer
            .set(set_timeout_with_handle(move || me.on_timer(), after).ok());
    }

    fn on_timer(&self) {
        self.0.timer.set(None);
        let left = self.0.due.get() - js_sys::Date::now();
        if left > 0.0 {
            self.arm(Duration::from_millis(left.ceil() as u64));
        } else {
            self.flush();
        }
    }

    /// Writes now if a write is due.
    pub fn flush(&self) {
        if let Some(t) = self.0.timer.take() {
            t.clear();
        }
        if self.0.pending.replace(false) {
            (self.0.write)();
        }
    }
}
