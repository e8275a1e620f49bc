//! Path segments, percent-encoded.

use super::HttpRequestError;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What stays as it is in a path segment: RFC 3986's unreserved characters (letters, digits,
/// `-`, `.`, `_`, `~`). Everything else, including `/`, `?`, `#`, `%`, `:`, `!`, `@`, spaces
/// and every byte of a non-ASCII character, is percent-encoded, so no value can end a
/// segment or the path early or be read as an escape.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Whether an empty value is a valid segment (only a state key may be empty).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Empty {
    Allowed,
    Rejected,
}

/// Appends `value` to `path` as one percent-encoded segment.
///
/// `.` and `..` are rejected whatever `empty` says: URL libraries resolve them as dot
/// segments (the WHATWG URL standard does so even for `%2E`), so the request would go to
/// another endpoint.
pub(crate) fn push_segment(path: &mut String, what: &str, value: &str, empty: Empty) -> Result<(), HttpRequestError> {
    if value.is_empty() && empty == Empty::Rejected {
        return Err(HttpRequestError::InvalidRequest(format!("{what} must not be empty")));
    }
    if value == "." || value == ".." {
        return Err(HttpRequestError::InvalidRequest(format!("{what} cannot be `{value}`: it would be read as a relative path")));
    }
    path.extend(utf8_percent_encode(value, SEGMENT));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::percent_decode_str;

    fn encode(value: &str) -> String {
        let mut path = String::new();
        push_segment(&mut path, "x", value, Empty::Allowed).unwrap();
        path
    }

    #[test]
    fn every_reserved_and_non_ascii_character_is_encoded_and_decodes_back() {
        for value in ["#", "/", "?", "%", ":", " ", "", "é", "日本", "🦀", "%2F", "a/b?c#d", "!r:example.org", "+&=;,$@'()*[]"] {
            let encoded = encode(value);
            assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{value:?} → {encoded}");
            assert_eq!(percent_decode_str(&encoded).decode_utf8().unwrap(), value);
        }
    }

    #[test]
    fn unreserved_characters_stay() {
        assert_eq!(encode("Az09-._~"), "Az09-._~");
    }

    #[test]
    fn dot_segments_and_empties_are_rejected() {
        let mut path = String::new();
        assert!(push_segment(&mut path, "x", ".", Empty::Allowed).is_err());
        assert!(push_segment(&mut path, "x", "..", Empty::Allowed).is_err());
        assert!(push_segment(&mut path, "x", "", Empty::Rejected).is_err());
        assert_eq!(path, "");
        assert!(push_segment(&mut path, "x", "...", Empty::Rejected).is_ok());
    }
}
