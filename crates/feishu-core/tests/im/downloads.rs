//! Reading downloads: a 200 with non-JSON bytes is the file, kept
//! exactly; its name comes from `Content-Disposition` in every form Feishu
//! may use; anything else is an error, never mistaken for a file.

use feishu_core::download::Download;
use feishu_core::http::{HeaderValue, Response};
use feishu_core::im::file::DownloadFile;
use feishu_core::im::image::DownloadImage;
use feishu_core::im::message::{MessageResource, ResourceType};
use feishu_core::{Endpoint, Error, codes};

use crate::fixture::{body, fixture};

const KEY: &str = "file_v2_7a2b9c";

/// Bytes that are not UTF-8, with NUL, CR/LF and a JSON look-alike.
fn bytes() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\r\n\xe2\xe3\xcf\xd3\0\xff\xfe\xc3\x28".to_vec();
    bytes.extend_from_slice(br#"{"code":0,"msg":"success"}"#);
    bytes.extend((0..=255u8).rev());
    bytes
}

fn file(disposition: Option<HeaderValue>) -> Response<Vec<u8>> {
    let mut response = Response::builder()
        .status(200)
        .header("content-type", "application/octet-stream")
        .body(bytes())
        .expect("a valid response");
    if let Some(value) = disposition {
        response.headers_mut().insert("content-disposition", value);
    }
    response
}

fn resource() -> MessageResource {
    MessageResource::new("om_1", KEY, ResourceType::File)
}

/// The download every downloading endpoint reads from `response`; they must agree.
fn download(response: impl Fn() -> Response<Vec<u8>>) -> Download {
    let first = resource()
        .parse(response())
        .map_err(feishu_core::Error::from)
        .expect("a file");
    let image = MessageResource::new("om_1", KEY, ResourceType::Image)
        .parse(response())
        .map_err(feishu_core::Error::from);
    assert_eq!(image.expect("a file"), first);
    assert_eq!(
        DownloadFile::new(KEY)
            .parse(response())
            .map_err(feishu_core::Error::from)
            .expect("a file"),
        first
    );
    assert_eq!(
        DownloadImage::new(KEY)
            .parse(response())
            .map_err(feishu_core::Error::from)
            .expect("a file"),
        first
    );
    first
}

fn name(disposition: &str) -> String {
    let value = HeaderValue::from_str(disposition).expect("a visible-ASCII header");
    download(|| file(Some(value.clone()))).filename
}

#[test]
fn the_bytes_are_kept_exactly_and_the_key_names_a_file_without_a_header() {
    let download = download(|| file(None));
    assert_eq!(download.bytes, bytes(), "never decoded, never trimmed");
    assert_eq!(
        download.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(download.filename, KEY);
}

#[test]
fn image_bytes_keep_their_content_type() {
    let response = || {
        Response::builder()
            .status(200)
            .header("content-type", "image/png")
            .body(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())
            .expect("a valid response")
    };
    let download = download(response);
    assert_eq!(download.bytes, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert_eq!(download.content_type.as_deref(), Some("image/png"));
}

#[test]
fn a_file_without_content_type_is_still_a_file() {
    let response = || Response::new(bytes());
    let download = download(response);
    assert_eq!((download.bytes, download.content_type), (bytes(), None));
}

#[test]
fn filename_star_in_utf8_is_decoded() {
    let disposition = "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf";
    assert_eq!(name(disposition), "报告.pdf");
    assert_eq!(
        name("attachment; filename*=utf-8'zh-CN'%E6%8A%A5%E5%91%8A.pdf"),
        "报告.pdf"
    );
}

#[test]
fn filename_star_wins_over_filename_in_either_order() {
    assert_eq!(
        name("attachment; filename=\"report.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"),
        "报告.pdf"
    );
    assert_eq!(
        name("attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf; filename=\"report.pdf\""),
        "报告.pdf"
    );
}

#[test]
fn filename_star_in_iso_8859_1_is_decoded() {
    assert_eq!(
        name("attachment; filename*=iso-8859-1''caf%E9.txt"),
        "café.txt"
    );
    assert_eq!(
        name("attachment; filename*=ISO-8859-1'fr'caf%E9.txt"),
        "café.txt"
    );
}

#[test]
fn a_quoted_filename_is_unescaped_then_made_safe() {
    // `\"` unescapes to `"`, which a safe filename does not keep.
    assert_eq!(
        name(r#"attachment; filename="report \"final\".pdf""#),
        "report _final_.pdf"
    );
    assert_eq!(name(r#"attachment; filename="a;b.pdf""#), "a;b.pdf");
    assert_eq!(name("attachment; filename=plain.txt"), "plain.txt");
    assert_eq!(name("attachment; FILENAME=\"Upper.txt\""), "Upper.txt");
}

#[test]
fn raw_utf8_bytes_in_a_quoted_filename_are_read() {
    let value = HeaderValue::from_bytes("attachment; filename=\"报告 final.pdf\"".as_bytes())
        .expect("obs-text is allowed in a header value");
    assert_eq!(
        download(|| file(Some(value.clone()))).filename,
        "报告 final.pdf"
    );
}

#[test]
fn rfc_2047_encoded_words_are_decoded() {
    assert_eq!(
        name(r#"attachment; filename="=?UTF-8?B?5oql5ZGK?=""#),
        "报告"
    );
    assert_eq!(
        name(r#"attachment; filename="=?UTF-8?Q?caf=C3=A9?=""#),
        "café"
    );
    assert_eq!(
        name(r#"attachment; filename="=?utf-8?b?5oql5ZGK?= =?utf-8?q?.pdf?=""#),
        "报告.pdf"
    );
}

#[test]
fn a_traversal_name_comes_out_safe() {
    for disposition in [
        r#"attachment; filename="../../etc/passwd""#,
        "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd",
        r#"attachment; filename="..\\..\\etc\\passwd""#,
    ] {
        let name = name(disposition);
        assert_eq!(name, "____etc_passwd", "{disposition}");
    }
    let name = name("attachment; filename*=UTF-8''a%0D%0Ab%00c%22.txt");
    assert_eq!(name, "a__b_c_.txt");
}

#[test]
fn a_dot_name_is_not_a_path_component() {
    assert_ne!(name(r#"attachment; filename=".""#), ".");
    assert_ne!(
        DownloadFile::new(".")
            .parse(file(None))
            .map_err(feishu_core::Error::from)
            .expect("a file")
            .filename,
        "."
    );
}

#[test]
fn a_key_that_is_a_path_comes_out_safe_too() {
    let download = DownloadFile::new("../x/y")
        .parse(file(None))
        .map_err(feishu_core::Error::from)
        .expect("a file");
    assert_eq!(download.filename, "__x_y");
}

#[test]
fn a_json_error_envelope_is_an_api_error() {
    for result in [
        resource()
            .parse(fixture("im/download_not_owner_230017"))
            .map_err(feishu_core::Error::from),
        DownloadFile::new(KEY)
            .parse(fixture("im/download_not_owner_230017"))
            .map_err(feishu_core::Error::from),
        DownloadImage::new(KEY)
            .parse(fixture("im/download_not_owner_230017"))
            .map_err(feishu_core::Error::from),
    ] {
        let Err(Error::Api(error)) = result else {
            panic!("expected Error::Api, got {result:?}");
        };
        assert_eq!(
            (error.status.as_u16(), error.code),
            (400, codes::BOT_NOT_RESOURCE_OWNER)
        );
        assert_eq!(
            error.log_id.as_deref(),
            Some("202503011020091A2B3C4D5E6F7081920A")
        );
    }
}

#[test]
fn a_json_success_is_never_mistaken_for_a_file() {
    for result in [
        resource()
            .parse(fixture("im/download_json_200"))
            .map_err(feishu_core::Error::from),
        DownloadFile::new(KEY)
            .parse(fixture("im/download_json_200"))
            .map_err(feishu_core::Error::from),
    ] {
        let Err(Error::UnexpectedResponse(error)) = result else {
            panic!("expected Error::UnexpectedResponse, got {result:?}");
        };
        assert_eq!(error.status, 200);
        assert_eq!(error.body(), body("im/download_json_200"));
        assert_eq!(
            error.log_id.as_deref(),
            Some("202503011020101A2B3C4D5E6F7081920B")
        );
    }
    // Content types are case-insensitive.
    let upper = Response::builder()
        .status(200)
        .header("content-type", "Application/JSON; charset=UTF-8")
        .body(br#"{"code":0,"msg":"success"}"#.to_vec())
        .expect("a valid response");
    assert!(matches!(
        resource().parse(upper).map_err(feishu_core::Error::from),
        Err(Error::UnexpectedResponse(_))
    ));
    // A JSON error under 200 is the API error it reports.
    let denied = Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(br#"{"code":230017,"msg":"not owner"}"#.to_vec())
        .expect("a valid response");
    assert_eq!(
        resource()
            .parse(denied)
            .map_err(feishu_core::Error::from)
            .err()
            .and_then(|e| e.code()),
        Some(codes::BOT_NOT_RESOURCE_OWNER)
    );
}

#[test]
fn a_gateway_html_page_is_unexpected() {
    let result = resource()
        .parse(crate::fixture::fixture("envelope/html_502"))
        .map_err(feishu_core::Error::from);
    let Err(Error::UnexpectedResponse(error)) = result else {
        panic!("expected Error::UnexpectedResponse, got {result:?}");
    };
    assert_eq!(error.status, 502);
    assert_eq!(error.content_type.as_deref(), Some("text/html"));
    assert_eq!(error.body(), crate::fixture::body("envelope/html_502"));
}

#[test]
fn an_error_status_with_bytes_is_never_a_file() {
    for status in [404, 500, 503] {
        let response = Response::builder()
            .status(status)
            .header("content-type", "application/octet-stream")
            .body(bytes())
            .expect("a valid response");
        let Err(Error::UnexpectedResponse(error)) =
            resource().parse(response).map_err(feishu_core::Error::from)
        else {
            panic!("HTTP {status}: expected Error::UnexpectedResponse");
        };
        assert_eq!(error.body(), bytes(), "HTTP {status}: the body is kept");
    }
}

#[test]
fn the_debug_form_shows_no_bytes() {
    let download = download(|| file(None));
    let debug = format!("{download:?}");
    assert!(
        debug.contains(&format!("bytes: {}", bytes().len())),
        "{debug}"
    );
    assert!(!debug.contains("PDF"), "{debug}");
}
