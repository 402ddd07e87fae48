//! Uploads (`multipart/form-data`) and the requests of the binary
//! downloads.

use feishu_core::im::file::{DownloadFile, FileType, UploadFile};
use feishu_core::im::image::{DownloadImage, ImageType, UploadImage};
use feishu_core::im::message::{MessageResource, ResourceType};

use crate::multipart::{occurrences, parse};
use crate::{ODD_ID, ODD_ID_ENCODED, assert_request, build, header};

const BASE: &str = "https://open.feishu.cn/open-apis/im/v1";

/// Bytes no text decoder would accept, with CR/LF and NUL among them.
fn binary() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\xff\xfe".to_vec();
    bytes.extend((0..=255u8).rev());
    bytes.extend_from_slice(b"\r\n--\r\n");
    bytes
}

fn file_header(name: &str, filename: &str) -> Vec<String> {
    vec![
        format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\""),
        "Content-Type: application/octet-stream".to_owned(),
    ]
}

#[test]
fn upload_image_sends_image_type_then_the_image() {
    let request = build(&UploadImage::new("cat.png", binary()));
    let content_type = header(&request, "content-type").expect("a Content-Type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert_request(
        &request,
        "POST",
        &format!("{BASE}/images"),
        Some(content_type),
    );

    let form = parse(&request);
    assert_eq!(form.parts.len(), 2);
    assert_eq!(
        form.text_fields(),
        [("image_type".to_owned(), "message".to_owned())]
    );
    assert_eq!(form.file().headers, file_header("image", "cat.png"));
    assert_eq!(form.file().content, binary(), "the image bytes, exactly");

    let avatar = UploadImage::new("me.jpg", b"jpeg".to_vec()).image_type(ImageType::Avatar);
    let form = parse(&build(&avatar));
    assert_eq!(
        form.text_fields(),
        [("image_type".to_owned(), "avatar".to_owned())]
    );
    assert_eq!(form.file().content, b"jpeg");
}

#[test]
fn upload_file_sends_its_fields_before_the_file() {
    let upload = UploadFile::new(FileType::Pdf, "报告 v2.pdf", binary());
    let request = build(&upload);
    let content_type = header(&request, "content-type").expect("a Content-Type");
    assert_request(
        &request,
        "POST",
        &format!("{BASE}/files"),
        Some(content_type),
    );

    let form = parse(&request);
    assert_eq!(
        form.text_fields(),
        [
            ("file_type".to_owned(), "pdf".to_owned()),
            ("file_name".to_owned(), "报告 v2.pdf".to_owned()),
        ]
    );
    assert_eq!(form.file().headers, file_header("file", "报告 v2.pdf"));
    assert_eq!(form.file().content, binary());
}

#[test]
fn upload_file_sends_a_duration_in_milliseconds() {
    let upload = UploadFile::new(FileType::Opus, "voice.opus", b"OggS".to_vec()).duration_ms(3000);
    let form = parse(&build(&upload));
    assert_eq!(
        form.text_fields(),
        [
            ("file_type".to_owned(), "opus".to_owned()),
            ("file_name".to_owned(), "voice.opus".to_owned()),
            ("duration".to_owned(), "3000".to_owned()),
        ]
    );
    assert_eq!(form.file().content, b"OggS");
}

#[test]
fn every_file_type_has_its_wire_name() {
    for (file_type, wire) in [
        (FileType::Opus, "opus"),
        (FileType::Mp4, "mp4"),
        (FileType::Pdf, "pdf"),
        (FileType::Doc, "doc"),
        (FileType::Xls, "xls"),
        (FileType::Ppt, "ppt"),
        (FileType::Stream, "stream"),
    ] {
        let form = parse(&build(&UploadFile::new(file_type, "f.bin", vec![1])));
        assert_eq!(
            form.text_fields()[0],
            ("file_type".to_owned(), wire.to_owned())
        );
    }
}

#[test]
fn a_hostile_filename_comes_out_sanitized() {
    let hostile = "../a/b\\c\"d\r\nX-Evil: 1\0e.pdf";
    for request in [
        build(&UploadImage::new(hostile, vec![1, 2, 3])),
        build(&UploadFile::new(FileType::Pdf, hostile, vec![1, 2, 3])),
    ] {
        let form = parse(&request);
        let disposition = &form.file().headers[0];
        let filename = disposition
            .split_once("; filename=\"")
            .and_then(|(_, rest)| rest.strip_suffix('"'))
            .expect("a quoted filename");
        assert_eq!(filename, "__a_b_c_d__X-Evil: 1_e.pdf");
        for bad in ["/", "\\", "\"", "\r", "\n", "\0", ".."] {
            assert!(!filename.contains(bad), "{bad:?} in {filename:?}");
        }
        assert_eq!(form.file().headers.len(), 2, "no header injected");
        assert_eq!(form.file().content, [1, 2, 3]);
        if let Some((_, name)) = form.text_fields().iter().find(|(n, _)| n == "file_name") {
            assert_eq!(name, filename, "the file_name field is sanitized alike");
        }
    }
}

#[test]
fn a_blank_filename_becomes_a_real_name() {
    for blank in ["", "   ", " \u{3000} "] {
        let form = parse(&build(&UploadImage::new(blank, vec![7])));
        assert_eq!(form.file().headers, file_header("image", "file"));
    }
}

#[test]
fn the_boundary_never_occurs_inside_the_file() {
    // The boundary of a first upload, then files that carry it and other
    // look-alikes: each upload must pick a boundary absent from its bytes.
    let first = parse(&build(&UploadImage::new("a.png", binary())));
    let mut lookalikes = vec![
        format!("--{}\r\n", first.boundary).into_bytes(),
        format!("\r\n--{}--\r\n", first.boundary).into_bytes(),
        b"--feishu-rs-0000000000000000\r\n--feishu-rs-ffffffffffffffff--".to_vec(),
    ];
    let mut file = binary();
    file.extend_from_slice(format!("--{}", first.boundary).as_bytes());
    lookalikes.push(file);
    for seed in 0..64u8 {
        let mut file = b"--feishu-rs-".to_vec();
        file.extend((0..32).map(|i| b"0123456789abcdef"[usize::from((seed ^ i) % 16)]));
        lookalikes.push(file);
    }
    for file in lookalikes {
        for request in [
            build(&UploadImage::new("x.png", file.clone())),
            build(&UploadFile::new(FileType::Stream, "x.bin", file.clone())),
        ] {
            let form = parse(&request);
            assert_eq!(occurrences(&file, form.boundary.as_bytes()), 0);
            assert_eq!(form.file().content, file, "the file survives intact");
        }
    }
}

#[test]
fn the_boundary_is_the_same_for_the_same_upload() {
    // Pure building: the same input gives the same bytes (no randomness).
    let one = build(&UploadImage::new("a.png", binary()));
    let two = build(&UploadImage::new("a.png", binary()));
    assert_eq!(one.body(), two.body());
    assert_eq!(header(&one, "content-type"), header(&two, "content-type"));
}

#[test]
fn downloads_get_their_encoded_key() {
    let image = build(&DownloadImage::new("img_a/b?c"));
    assert_request(&image, "GET", &format!("{BASE}/images/img_a%2Fb%3Fc"), None);
    let file = build(&DownloadFile::new("file_v2_a/b?c"));
    assert_request(
        &file,
        "GET",
        &format!("{BASE}/files/file_v2_a%2Fb%3Fc"),
        None,
    );
}

#[test]
fn message_resource_names_its_type_in_the_query() {
    let path = format!("{BASE}/messages/{ODD_ID_ENCODED}/resources/file_v2_x%2F..%3Fy");
    for (kind, wire) in [(ResourceType::Image, "image"), (ResourceType::File, "file")] {
        let request = build(&MessageResource::new(ODD_ID, "file_v2_x/..?y", kind));
        assert_request(&request, "GET", &format!("{path}?type={wire}"), None);
    }
}
