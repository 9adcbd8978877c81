//! A nesting limit for JSON read into `serde_json::Value`, checked before
//! parsing. serde_json has a limit of its own (128), but one crate in a
//! build can turn it off for everyone (its `unbounded_depth` feature, which
//! a code generator in this workspace enables), and a `Value` is built by
//! recursion: a reply or an argument nested a few hundred thousand levels
//! deep would overflow the stack. So the core holds its own limit, the same
//! whatever serde_json's features are.

/// The deepest nesting of arrays and objects accepted, serde_json's own.
pub(crate) const MAX_DEPTH: usize = 128;

/// Whether `json` nests arrays and objects deeper than [`MAX_DEPTH`]. Only
/// brackets outside strings count; the text is not otherwise judged (the
/// parser does that next).
pub(crate) fn too_deep(json: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        format!("{}{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn the_limit_is_serde_jsons() {
        assert!(!too_deep(nested(MAX_DEPTH).as_bytes()));
        assert!(too_deep(nested(MAX_DEPTH + 1).as_bytes()));
        assert!(too_deep(
            format!("{{\"a\":{}}}", nested(MAX_DEPTH)).as_bytes()
        ));
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let text = format!("{{\"a\":\"{}\\\"{}\"}}", "[".repeat(500), "{".repeat(500));
        assert!(!too_deep(text.as_bytes()));
        // An escaped quote does not end the string early.
        let text = format!("[\"\\\"{}\"]", "[".repeat(500));
        assert!(!too_deep(text.as_bytes()));
    }

    #[test]
    fn a_million_levels_are_refused_without_recursion() {
        assert!(too_deep(nested(1_000_000).as_bytes()));
    }
}
