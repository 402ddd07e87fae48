//! Create a Bitable record and read it back, through the generated API.
//!
//! ```sh
//! cargo run --example bitable_record
//! ```
//!
//! With no `FEISHU_APP_ID` set, it starts feishu-mock in-process (which
//! keeps Bitable records) and runs offline. With `FEISHU_APP_ID`,
//! `FEISHU_APP_SECRET`, `BITABLE_APP_TOKEN` and `BITABLE_TABLE_ID` set, it
//! writes to that table on `FEISHU_BASE_URL` (default https://open.feishu.cn).

use std::env;
use std::error::Error;

use feishu_api::bitable::v1::app_table_record::{CreateAppTableRecord, GetAppTableRecord};
use feishu_core::{App, FEISHU_BASE_URL};
use feishu_ureq::{Client, Config};
use serde_json::json;

fn main() -> Result<(), Box<dyn Error>> {
    let _mock;
    let (config, app_token, table_id) =
        match (env::var("FEISHU_APP_ID"), env::var("FEISHU_APP_SECRET")) {
            (Ok(id), Ok(secret)) => {
                let base_url =
                    env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.into());
                let config = Config::new(&base_url)?.with_app(App::self_built(id.as_str(), secret));
                (
                    config,
                    env::var("BITABLE_APP_TOKEN")?,
                    env::var("BITABLE_TABLE_ID")?,
                )
            }
            _ => {
                let mock = feishu_mock::MockServer::start();
                println!("No FEISHU_APP_ID set: using feishu-mock at {}", mock.url());
                let app = App::self_built(
                    feishu_mock::SELF_BUILT_APP_ID,
                    feishu_mock::SELF_BUILT_APP_SECRET,
                );
                let config = Config::new(mock.url())?.with_app(app);
                _mock = mock;
                (
                    config,
                    "bascnExampleApp".to_owned(),
                    "tblExample".to_owned(),
                )
            }
        };
    let client = Client::new(config);

    let fields = json!({ "Task": "Write the release notes", "Done": false });
    let created = client.send(&CreateAppTableRecord::new(&app_token, &table_id, fields))?;
    let record_id = created
        .record
        .and_then(|r| r.record_id)
        .ok_or("no record id in the answer")?;
    println!("created record {record_id}");

    let read = client.send(&GetAppTableRecord::new(&app_token, &table_id, &record_id))?;
    let fields = read.record.and_then(|r| r.fields).unwrap_or_default();
    println!("read it back: {}", serde_json::to_string(&fields)?);
    Ok(())
}
