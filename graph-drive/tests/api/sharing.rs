//! Sharing links, permissions, versions, thumbnails.

use msgraph_drive::{DriveExt, LinkScope, LinkType};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::graph;

const LINK_REQ: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-createlink-1.request.json");
const LINK: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-createlink-1.json");
const ORG_REQ: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-createlink-2.request.json");
const ORG: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-createlink-2.json");
const EMBED_REQ: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-createlink-3.request.json");
const EMBED: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-createlink-3.json");
const VERSIONS: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-list-versions.json");

#[tokio::test]
async fn create_link_sends_the_docs_body_and_reads_the_permission() {
    let g = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/ITEM/createLink"))
        .and(body_json(crate::json(LINK_REQ)))
        .respond_with(ResponseTemplate::new(201).set_body_string(LINK))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/ITEM/createLink"))
        .and(body_json(crate::json(ORG_REQ)))
        .respond_with(ResponseTemplate::new(201).set_body_string(ORG))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/ITEM/createLink"))
        .and(body_json(crate::json(EMBED_REQ)))
        .respond_with(ResponseTemplate::new(201).set_body_string(EMBED))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/root:/report.pdf:/createLink"))
        .and(body_json(json!({"type": "view", "scope": "users", "expirationDateTime": "2026-12-31T23:59:00Z"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "U1", "roles": ["read"], "expirationDateTime": "2026-12-31T23:59:00Z",
            "link": {"type": "view", "scope": "users", "webUrl": "https://contoso-my.sharepoint.com/:b:/g/x"}
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let drive = g.client().me().drive();
    let p = drive
        .create_link("ITEM", LinkType::View)
        .scope(LinkScope::Anonymous)
        .password("ThisIsMyPrivatePassword")
        .retain_inherited_permissions(false)
        .await
        .unwrap();
    let link = p.link.unwrap();
    assert_eq!(link.link_type, Some(LinkType::View));
    assert_eq!(link.web_url.as_deref(), Some("https://1drv.ms/A6913278E564460AA616C71B28AD6EB6"));
    assert_eq!(p.has_password, Some(true));
    let org = drive.create_link("ITEM", LinkType::Edit).scope(LinkScope::Organization).await.unwrap();
    assert_eq!(org.link.unwrap().scope, Some(LinkScope::Organization));
    let embed = drive.create_link("ITEM", LinkType::Embed).await.unwrap();
    assert!(embed.link.unwrap().web_html.unwrap().starts_with("<IFRAME"));
    let until = chrono::DateTime::parse_from_rfc3339("2026-12-31T23:59:00.250Z").unwrap().with_timezone(&chrono::Utc);
    let users = drive.create_link("/report.pdf", LinkType::View).scope(LinkScope::Users).expires(until).await.unwrap();
    assert_eq!(users.expiration_date_time, Some(until - chrono::Duration::milliseconds(250)));
    for r in g.requests().await {
        assert_eq!(r.headers.get("content-type").unwrap(), "application/json", "{}", r.url);
    }
}

#[tokio::test]
async fn an_empty_link_password_sends_nothing() {
    let g = graph().await;
    let r = g.client().me().drive().create_link("ITEM", LinkType::View).password("").await;
    crate::refused(&g, r, "password").await;
}

#[tokio::test]
async fn permissions_are_listed_and_deleted() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/report.pdf:/permissions"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(r#"{{"value":[{LINK}]}}"#)))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/drive/root:/report.pdf:/permissions/123ABC"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let drive = g.client().me().drive();
    let perms = drive.permissions("/report.pdf").send().await.unwrap();
    assert_eq!(perms.value[0].roles, ["write"]);
    drive.delete_permission("/report.pdf", "123ABC").await.unwrap();
}

#[tokio::test]
async fn versions_listed_downloaded_and_restored() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/DOC/versions"))
        .respond_with(ResponseTemplate::new(200).set_body_string(VERSIONS))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/DOC/versions/2.0/content"))
        .respond_with(ResponseTemplate::new(200).set_body_string("version two"))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/DOC/versions/2.0/restoreVersion"))
        .and(wiremock::matchers::header("content-length", "0"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let drive = g.client().me().drive();
    let versions = drive.versions("DOC").send().await.unwrap();
    assert_eq!(versions.value.iter().map(|v| v.id.clone().unwrap()).collect::<Vec<_>>(), ["3.0", "2.0", "1.0"]);
    assert_eq!(versions.value[1].size, Some(62));
    let mut out = Vec::new();
    drive.download_version("DOC", "2.0").to_writer(&mut out).await.unwrap();
    assert_eq!(out, b"version two");
    drive.restore_version("DOC", "2.0").await.unwrap();
}

#[tokio::test]
async fn thumbnails_of_an_item() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/Pictures/cat.jpg:/thumbnails"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "0", "small": {"height": 64, "width": 96, "url": "https://thumbs/1"}, "large": {"height": 600, "width": 800, "url": "https://thumbs/2"}}
        ]})))
        .expect(1)
        .mount(&g.server)
        .await;
    let sets = g.client().me().drive().thumbnails("/Pictures/cat.jpg").send().await.unwrap();
    assert_eq!(sets.value[0].large.as_ref().unwrap().width, Some(800));
}
