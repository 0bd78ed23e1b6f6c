//! Text from documents and file names made safe to print on a terminal. A leaf module:
//! every command that prints hostile text (`extract`, `explain`) uses it.

/// Replaces control characters (escape sequences among them) that a hostile document could
/// use to drive the terminal; newlines and tabs stay.
pub fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}
