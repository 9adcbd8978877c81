//! Text that goes into error messages. Messages may quote what a caller or
//! WeChat sent (a field name, an err_code), never a key, a token or a
//! whole signed message, and never more than a short excerpt: a message can
//! end up in a log that the sender of the text should not be able to fill.

/// Keeps attacker-supplied text in messages short.
pub(crate) fn truncate_for_message(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}
