//! The streamed text, kept within what one card can carry.

/// The text pushed so far, cut where it would break one of Feishu's limits:
/// the content's length in characters, and the card's size in bytes of
/// JSON (the text is counted as it will be escaped in the card's JSON).
/// Everything past the cut is dropped and counted, so memory stays bounded
/// whatever the producer sends.
#[derive(Debug)]
pub(super) struct TextBuffer {
    text: String,
    chars: usize,
    json_bytes: usize,
    max_chars: usize,
    max_json_bytes: usize,
    dropped: usize,
    full: bool,
}

impl TextBuffer {
    pub(super) fn new(max_chars: usize, max_json_bytes: usize) -> Self {
        Self {
            text: String::new(),
            chars: 0,
            json_bytes: 0,
            max_chars,
            max_json_bytes,
            dropped: 0,
            full: false,
        }
    }

    /// Appends a chunk, up to the limits.
    pub(super) fn push(&mut self, chunk: &str) {
        if self.full {
            self.dropped += chunk.chars().count();
            return;
        }
        let mut end = chunk.len();
        for (at, c) in chunk.char_indices() {
            let bytes = json_len(c);
            if self.chars == self.max_chars || self.json_bytes + bytes > self.max_json_bytes {
                self.full = true;
                self.dropped += chunk[at..].chars().count();
                end = at;
                break;
            }
            self.chars += 1;
            self.json_bytes += bytes;
        }
        self.text.push_str(&chunk[..end]);
    }

    pub(super) fn as_str(&self) -> &str {
        &self.text
    }

    pub(super) fn len(&self) -> usize {
        self.text.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub(super) fn chars(&self) -> usize {
        self.chars
    }

    /// Characters dropped at the limits.
    pub(super) fn dropped(&self) -> usize {
        self.dropped
    }

    /// Counts text refused for another reason (pushed after the end).
    pub(super) fn drop_chunk(&mut self, chunk: &str) {
        self.dropped += chunk.chars().count();
    }
}

/// The bytes `c` takes inside a JSON string, as serde_json writes it.
fn json_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
        '\0'..='\u{1f}' => 6,
        c => c.len_utf8(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lengths_match_serde_json() {
        for c in [
            'a', '"', '\\', '\n', '\u{1}', '\u{7f}', 'é', '中', '🦀', '\u{2028}',
        ] {
            let quoted = serde_json::to_string(&c.to_string()).unwrap_or_default();
            assert_eq!(json_len(c), quoted.len() - 2, "{c:?}");
        }
    }

    #[test]
    fn cuts_on_a_character_boundary() {
        let mut text = TextBuffer::new(3, 100);
        text.push("ab中文");
        assert_eq!(text.as_str(), "ab中");
        assert_eq!(text.dropped(), 1);
        text.push("more");
        assert_eq!(text.dropped(), 5);
    }

    #[test]
    fn cuts_at_the_json_size() {
        let mut text = TextBuffer::new(100, 5);
        text.push("a\"b\"");
        // a (1) + \" (2) + b (1) = 4; the next quote would make 6.
        assert_eq!(text.as_str(), "a\"b");
        assert_eq!(text.dropped(), 1);
    }
}
