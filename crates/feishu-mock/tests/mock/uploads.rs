//! Image and file uploads (`multipart/form-data`) and the binary downloads.

use feishu_mock::{MockServer, UploadKind};
use serde_json::json;

use crate::support::{
    FILES, IMAGES, MESSAGES, Reply, TENANT_TOKEN, call, download, id_of, marketplace_app_token,
    multipart, post, post_raw, self_built_token, send_message,
};

/// A 1×1 PNG; its header holds CRLFs, which the form parser must keep.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\nIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";

/// `len` pseudo-random bytes, with boundary-like `\r\n--` runs mixed in.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|i| {
            if i % 4099 < 4 {
                return b"\r\n--"[i % 4099];
            }
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect()
}

fn upload_image(server: &MockServer, token: &str, filename: &str, bytes: &[u8]) -> Reply {
    let (content_type, body) = multipart(
        &[("image_type", "message")],
        Some(("image", filename, "image/png", bytes)),
    );
    post_raw(server, IMAGES, token, &content_type, &body)
}

fn upload_file(
    server: &MockServer,
    token: &str,
    fields: &[(&str, &str)],
    content_type: &str,
    bytes: &[u8],
) -> Reply {
    let (form_type, body) = multipart(fields, Some(("file", "upload.bin", content_type, bytes)));
    post_raw(server, FILES, token, &form_type, &body)
}

fn key_of(reply: &Reply, field: &str) -> String {
    assert_eq!(reply.code(), 0, "{reply:?}");
    reply.json()["data"][field]
        .as_str()
        .expect(field)
        .to_owned()
}

#[test]
fn uploads_download_byte_identical() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let big = noise(5 << 20);
    let file_key = key_of(
        &upload_file(
            &server,
            &token,
            &[("file_type", "pdf"), ("file_name", "报告.pdf")],
            "application/pdf",
            &big,
        ),
        "file_key",
    );
    assert!(file_key.starts_with("file_v2_"), "{file_key}");
    let image_key = key_of(
        &upload_image(&server, &token, "pixel.png", PNG),
        "image_key",
    );
    assert!(image_key.starts_with("img_v2_"), "{image_key}");

    let file = download(&server, &format!("{FILES}/{file_key}"), &token);
    assert_eq!(file.status, 200);
    assert!(file.bytes == big, "file bytes differ");
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert_eq!(file.header("content-length"), Some("5242880"));
    assert_eq!(
        file.header("content-disposition"),
        Some("attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf")
    );
    assert!(file.header("x-tt-logid").is_some());

    let image = download(&server, &format!("{IMAGES}/{image_key}"), &token);
    assert_eq!(image.status, 200);
    assert_eq!(image.bytes, PNG);
    assert_eq!(image.header("content-type"), Some("image/png"));
    assert_eq!(
        image.header("content-length"),
        Some(PNG.len().to_string().as_str())
    );
    assert_eq!(
        image.header("content-disposition"),
        Some("attachment; filename=\"pixel.png\"; filename*=UTF-8''pixel.png")
    );

    let uploads = server.uploads();
    assert_eq!(uploads.len(), 2);
    assert_eq!(uploads[0].key, file_key);
    assert_eq!(uploads[0].kind, UploadKind::File);
    assert_eq!(uploads[0].file_name, "报告.pdf");
    assert_eq!(uploads[0].upload_type, "pdf");
    assert_eq!(uploads[0].len, 5 << 20);
    assert_eq!(uploads[1].kind, UploadKind::Image);
    assert_eq!(uploads[1].file_name, "pixel.png");
    assert_eq!(uploads[1].content_type, "image/png");
}

#[test]
fn files_up_to_30_mib_are_accepted() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let fields = [("file_type", "stream"), ("file_name", "max.bin")];
    let max = vec![7_u8; 30 << 20];
    let key = key_of(
        &upload_file(&server, &token, &fields, "application/octet-stream", &max),
        "file_key",
    );
    assert_eq!(server.uploads()[0].len, 30 << 20);
    assert_eq!(
        download(&server, &format!("{FILES}/{key}"), &token)
            .bytes
            .len(),
        30 << 20
    );
    let over = vec![7_u8; (30 << 20) + 1];
    upload_file(&server, &token, &fields, "application/octet-stream", &over)
        .assert_error(400, 234006);
}

#[test]
fn upload_errors() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let field = |reply: &Reply| reply.json()["error"]["field_violations"][0]["field"].clone();

    let (content_type, body) = multipart(&[], Some(("image", "a.png", "image/png", PNG)));
    let reply = post_raw(&server, IMAGES, &token, &content_type, &body);
    reply.assert_error(400, 234001);
    assert_eq!(field(&reply), "image_type");
    let (content_type, body) = multipart(&[("image_type", "message")], None);
    post_raw(&server, IMAGES, &token, &content_type, &body).assert_error(400, 234001);
    upload_image(&server, &token, "empty.png", b"").assert_error(400, 234001);
    let reply = upload_image(&server, &token, "doc.pdf", b"%PDF-1.7 not an image");
    reply.assert_error(400, 234001);
    assert_eq!(field(&reply), "image");
    let mut huge = PNG.to_vec();
    huge.resize((10 << 20) + 1, 0);
    upload_image(&server, &token, "huge.png", &huge).assert_error(400, 234006);
    let reply = post_raw(&server, IMAGES, &token, "application/json", b"{}");
    reply.assert_error(400, 234001);
    assert_eq!(field(&reply), "Content-Type");
    post_raw(
        &server,
        IMAGES,
        &token,
        "multipart/form-data; boundary=zz",
        b"garbage",
    )
    .assert_error(400, 234001);

    let ok = [
        ("file_type", "opus"),
        ("file_name", "voice.opus"),
        ("duration", "3000"),
    ];
    assert_eq!(
        upload_file(&server, &token, &ok, "audio/ogg", b"OggS").code(),
        0
    );
    assert_eq!(server.uploads()[0].duration_ms, Some(3000));
    for (fields, bad) in [
        (
            &[("file_type", "exe"), ("file_name", "a.exe")][..],
            "file_type",
        ),
        (&[("file_type", "pdf")][..], "file_name"),
        (
            &[
                ("file_type", "mp4"),
                ("file_name", "v.mp4"),
                ("duration", "long"),
            ][..],
            "duration",
        ),
    ] {
        let reply = upload_file(&server, &token, fields, "video/mp4", b"data");
        reply.assert_error(400, 234001);
        assert_eq!(field(&reply), bad);
    }
    upload_file(
        &server,
        &token,
        &[("file_type", "pdf"), ("file_name", "e.pdf")],
        "application/pdf",
        b"",
    )
    .assert_error(400, 234001);

    let (content_type, body) = multipart(
        &[("image_type", "message")],
        Some(("image", "a.png", "image/png", PNG)),
    );
    post_raw(&server, IMAGES, "t-nope", &content_type, &body).assert_error(400, 99991663);
    assert_eq!(server.uploads().len(), 1);
}

#[test]
fn downloads_are_for_the_uploading_app_only() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let key = key_of(&upload_image(&server, &token, "a.png", PNG), "image_key");
    let app_token = marketplace_app_token(&server);
    let request =
        json!({ "app_access_token": app_token, "tenant_key": feishu_mock::MARKETPLACE_TENANT_KEY });
    let other = post(&server, TENANT_TOKEN, &request.to_string()).json()["tenant_access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let refused = download(&server, &format!("{IMAGES}/{key}"), &other).into_reply();
    refused.assert_error(400, 230017);
    assert_eq!(
        refused.json()["msg"],
        "Bot is NOT the owner of the resource."
    );
    download(&server, &format!("{IMAGES}/img_v2_nope"), &token)
        .into_reply()
        .assert_error(400, 234003);
    // An image key is not a file key.
    download(&server, &format!("{FILES}/{key}"), &token)
        .into_reply()
        .assert_error(400, 234003);
    download(&server, &format!("{IMAGES}/{key}"), "t-nope")
        .into_reply()
        .assert_error(400, 99991663);
}

#[test]
fn message_resources_must_belong_to_the_message() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let image_key = key_of(&upload_image(&server, &token, "a.png", PNG), "image_key");
    let file_key = key_of(
        &upload_file(
            &server,
            &token,
            &[("file_type", "pdf"), ("file_name", "r.pdf")],
            "application/pdf",
            b"%PDF",
        ),
        "file_key",
    );
    let send = |msg_type: &str, content: serde_json::Value| {
        let body = json!({ "receive_id": "oc_mock_general", "msg_type": msg_type, "content": content.to_string() });
        id_of(&send_message(&server, &token, "chat_id", &body).json()["data"])
    };
    let image_msg = send("image", json!({ "image_key": image_key }));
    let file_msg = send("file", json!({ "file_key": file_key }));
    let post_msg = send(
        "post",
        json!({ "zh_cn": { "title": "t", "content": [[{ "tag": "img", "image_key": image_key }]] } }),
    );
    let resource = |id: &str, key: &str, kind: &str| {
        download(
            &server,
            &format!("{MESSAGES}/{id}/resources/{key}?type={kind}"),
            &token,
        )
    };

    let image = resource(&image_msg, &image_key, "image");
    assert_eq!(image.status, 200);
    assert_eq!(image.bytes, PNG);
    assert_eq!(image.header("content-type"), Some("image/png"));
    let file = resource(&file_msg, &file_key, "file");
    assert_eq!(file.bytes, b"%PDF");
    assert_eq!(
        file.header("content-disposition"),
        Some("attachment; filename=\"r.pdf\"; filename*=UTF-8''r.pdf")
    );
    assert_eq!(resource(&post_msg, &image_key, "image").bytes, PNG);

    resource(&image_msg, &image_key, "file")
        .into_reply()
        .assert_error(400, 234003);
    resource(&image_msg, &file_key, "file")
        .into_reply()
        .assert_error(400, 234003);
    let reply = resource(&image_msg, &image_key, "video").into_reply();
    reply.assert_error(400, 234001);
    resource("om_nope", &image_key, "image")
        .into_reply()
        .assert_error(400, 230001);
    let unuploaded = send("image", json!({ "image_key": "img_v2_never" }));
    resource(&unuploaded, "img_v2_never", "image")
        .into_reply()
        .assert_error(400, 234003);
    call(
        &server,
        "DELETE",
        &format!("{MESSAGES}/{image_msg}"),
        &token,
        None,
    );
    resource(&image_msg, &image_key, "image")
        .into_reply()
        .assert_error(400, 230011);
}
