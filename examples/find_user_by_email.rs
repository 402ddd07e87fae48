//! Look up a user by email, through the generated contacts API.
//!
//! ```sh
//! cargo run --example find_user_by_email -- ada@example.com
//! ```
//!
//! With no `FEISHU_APP_ID` set, it starts feishu-mock in-process, adds a
//! user with that email to its directory, and looks it up offline. With
//! `FEISHU_APP_ID` and `FEISHU_APP_SECRET` set, it asks `FEISHU_BASE_URL`
//! (default https://open.feishu.cn).

use std::env;
use std::error::Error;

use feishu_api::contact::v3::user::{BatchGetIdUser, CreateUser};
use feishu_core::{App, FEISHU_BASE_URL};
use feishu_ureq::{Client, Config};

fn main() -> Result<(), Box<dyn Error>> {
    let email = env::args()
        .nth(1)
        .unwrap_or_else(|| "ada@example.com".into());
    let _mock;
    let client = match (env::var("FEISHU_APP_ID"), env::var("FEISHU_APP_SECRET")) {
        (Ok(id), Ok(secret)) => {
            let base_url = env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.into());
            Client::new(Config::new(&base_url)?.with_app(App::self_built(id.as_str(), secret)))
        }
        _ => {
            let mock = feishu_mock::MockServer::start();
            println!("No FEISHU_APP_ID set: using feishu-mock at {}", mock.url());
            let app = App::self_built(
                feishu_mock::SELF_BUILT_APP_ID,
                feishu_mock::SELF_BUILT_APP_SECRET,
            );
            let client = Client::new(Config::new(mock.url())?.with_app(app));
            // The mock's directory starts empty: add the user to find.
            let user = CreateUser::new(vec!["0".into()], 1, "+8613800000000", "Ada").email(&email);
            client.send(&user)?;
            _mock = mock;
            client
        }
    };

    let answer = client.send(&BatchGetIdUser::new().emails(vec![email.clone()]))?;
    match answer
        .user_list
        .into_iter()
        .flatten()
        .find_map(|u| u.user_id)
    {
        Some(open_id) => println!("{email} is {open_id}"),
        None => println!("no user has the email {email}"),
    }
    Ok(())
}
