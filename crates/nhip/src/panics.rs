//! A panic during a command (a decoder meeting damaged index data, say) ends the command
//! with an error message like any other, not a thread dump.

use std::cell::Cell;
use std::sync::Mutex;

thread_local! {
    /// Set while this thread runs a command whose panics become errors.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// The message and place of the last panic caught.
static LAST: Mutex<Option<String>> = Mutex::new(None);

/// A panic turned into an error.
#[derive(Debug)]
pub struct Panicked(pub String);

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "internal error: {}", self.0)
    }
}

impl std::error::Error for Panicked {}

/// Runs `command`; a panic on this thread is returned as a [`Panicked`] error (a panic on
/// another thread is printed as usual, then reaches here when that thread is joined).
pub fn as_error(command: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        let place = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut last) = LAST.lock() {
            *last = Some(format!("{message}{place}"));
        }
        if !CATCHING.with(Cell::get) {
            default(info);
        }
    }));
    CATCHING.with(|c| c.set(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(command));
    CATCHING.with(|c| c.set(false));
    outcome.unwrap_or_else(|_| {
        let message = LAST
            .lock()
            .ok()
            .and_then(|mut last| last.take())
            .unwrap_or_else(|| "panic".to_owned());
        Err(Panicked(message).into())
    })
}
