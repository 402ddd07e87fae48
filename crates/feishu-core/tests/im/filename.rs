//! `feishu_core::download::filename`, the `Content-Disposition` reader, on
//! its own: every form Feishu may use (`filename*` per RFC 5987, a quoted
//! `filename`, an RFC 2047 encoded word), and odd inputs that must never panic.

use feishu_core::download::filename;

fn of(value: &str) -> Option<String> {
    filename(value.as_bytes())
}

#[test]
fn every_documented_form_is_read() {
    let cases = [
        (
            "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf",
            "报告.pdf",
        ),
        ("attachment; filename*=iso-8859-1''caf%E9.txt", "café.txt"),
        (r#"attachment; filename="report.pdf""#, "report.pdf"),
        (
            r#"attachment; filename="report \"final\".pdf""#,
            r#"report "final".pdf"#,
        ),
        (r#"attachment; filename="=?UTF-8?B?5oql5ZGK?=""#, "报告"),
        (r#"attachment; filename="=?UTF-8?Q?caf=C3=A9?=""#, "café"),
        ("attachment; filename==?UTF-8?B?5oql5ZGK?=", "报告"),
        (r#"inline;filename="a.png";size=3"#, "a.png"),
        (r#"attachment; filename = "spaced.txt" "#, "spaced.txt"),
        (
            r#"attachment; filename*="UTF-8''quoted%20star.txt""#,
            "quoted star.txt",
        ),
    ];
    for (value, expected) in cases {
        assert_eq!(of(value).as_deref(), Some(expected), "{value}");
    }
    let raw = "attachment; filename=\"报告.pdf\"".as_bytes();
    assert_eq!(filename(raw).as_deref(), Some("报告.pdf"));
}

#[test]
fn filename_star_wins_and_falls_back_when_unreadable() {
    let both = "attachment; filename=\"plain.pdf\"; filename*=UTF-8''star.pdf";
    assert_eq!(of(both).as_deref(), Some("star.pdf"));
    // A `filename*` that does not decode leaves `filename` to answer.
    for broken in [
        "attachment; filename*=UTF-8''%FF%FE.pdf; filename=\"plain.pdf\"",
        "attachment; filename*=koi8-r''%C1.pdf; filename=\"plain.pdf\"",
        "attachment; filename*=no-quotes-at-all; filename=\"plain.pdf\"",
    ] {
        assert_eq!(of(broken).as_deref(), Some("plain.pdf"), "{broken}");
    }
}

#[test]
fn the_name_is_returned_unsanitized() {
    // Sanitizing is the download's job; the reader returns what was sent.
    assert_eq!(
        of(r#"attachment; filename="../../etc/passwd""#).as_deref(),
        Some("../../etc/passwd")
    );
}

#[test]
fn no_name_is_none() {
    for value in [
        "",
        "attachment",
        "inline; size=3",
        "attachment; filename=",
        r#"attachment; filename="""#,
        "attachment; filename*=UTF-8''",
        ";;;",
        "=",
    ] {
        assert_eq!(of(value), None, "{value:?}");
    }
}

#[test]
fn odd_inputs_never_panic() {
    let odd: &[&[u8]] = &[
        b"",
        b"=",
        b"\"",
        b"\\",
        b"filename",
        b"filename=\"",
        b"filename=\"\\",
        b"filename=\"abc\\\"",
        b"filename=\"unbalanced; filename*=UTF-8''x",
        b"filename*=UTF-8''%",
        b"filename*=UTF-8''%E6%8A",
        b"filename*=UTF-8''%ZZ%%%4",
        b"filename*=''",
        b"filename*='",
        b"filename*=x-unknown''abc",
        b"filename*=UTF-8",
        b"filename==?",
        b"filename==?=",
        b"filename==?UTF-8?B?",
        b"filename==?UTF-8?B??=",
        b"filename==?UTF-8?B?!!!!?=",
        b"filename==?UTF-8?B?/w==?=",
        b"filename==?UTF-8?Q?=ZZ=?=",
        b"filename==?UTF-8?X?abc?=",
        b"filename==?KOI8-R?B?wQ==?=",
        b"filename=\"=?UTF-8?B?5oql5ZGK?= tail\"",
        b"\xff\xfe\x00; filename=\xff\x80.txt",
        b"filename=\"\xe6\x8a\xa5\"",
        b"; ; ; = ; =; filename ; filename*",
    ];
    for value in odd {
        let _ = filename(value);
    }
    // Every prefix of every form, and each with one byte flipped.
    let forms = [
        "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf; filename=\"x\\\"y\"",
        "attachment; filename=\"=?UTF-8?B?5oql5ZGK?= =?UTF-8?Q?caf=C3=A9?=\"",
        "attachment; filename*=iso-8859-1'en'caf%E9.txt",
    ];
    for form in forms {
        let bytes = form.as_bytes();
        for cut in 0..=bytes.len() {
            let _ = filename(&bytes[..cut]);
            for flip in [0x80u8, 0x22, 0x3b, 0x25] {
                let mut changed = bytes[..cut].to_vec();
                if let Some(last) = changed.last_mut() {
                    *last ^= flip;
                }
                let _ = filename(&changed);
            }
        }
    }
}

#[test]
fn lossy_bytes_still_give_a_name() {
    // Invalid UTF-8 in a plain filename is replaced, not fatal.
    let name = filename(b"attachment; filename=\"a\xffb.txt\"").expect("a name");
    assert_eq!(name, "a\u{fffd}b.txt");
}

#[test]
fn a_literal_percent_in_a_q_word_is_kept() {
    // RFC 2047 §4.2: only `=XX` is an escape in Q; `%` is a literal.
    assert_eq!(
        of(r#"attachment; filename="=?UTF-8?Q?100%41?=""#).as_deref(),
        Some("100%41")
    );
}
