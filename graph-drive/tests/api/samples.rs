//! Every drive response sample in the manifest parses into its model and
//! round-trips without losing a property.

use msgraph_core::Page;
use msgraph_drive::{Drive, DriveItem, DriveItemVersion, Permission};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const MANIFEST: &str = include_str!("../../../testdata/graph-samples/manifest.tsv");

fn sample(name: &str) -> String {
    let p = format!("{}/../testdata/graph-samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Parses `text` into `T` and back; every property of the sample survives.
fn round_trip<T: DeserializeOwned + Serialize>(text: &str) {
    let original: Value = serde_json::from_str(text).unwrap();
    let model: T = serde_json::from_str(text).unwrap();
    let back = serde_json::to_value(&model).unwrap();
    contains(&original, &back, "");
}

fn contains(want: &Value, got: &Value, at: &str) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, v) in w {
                let next = format!("{at}.{k}");
                match g.get(k) {
                    Some(gv) => contains(v, gv, &next),
                    None => panic!("{next} lost in the round trip"),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            assert_eq!(w.len(), g.len(), "{at}");
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                contains(a, b, &format!("{at}[{i}]"));
            }
        }
        // times are rewritten in one canonical form; compare them as instants
        (Value::String(a), Value::String(b)) if a != b => {
            let (x, y) = (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b));
            assert!(x.is_ok() && x == y, "{at}: {a:?} became {b:?}");
        }
        (a, b) => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn every_drive_response_sample_round_trips() {
    let mut checked = 0;
    for line in MANIFEST.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(kind), Some(model)) = (cols.first(), cols.get(1), cols.get(4)) else { continue };
        if !file.starts_with("drive/") || *kind != "response" {
            continue;
        }
        let text = sample(file);
        match *model {
            m if m.contains("collection") && m.contains("driveItemVersion") => {
                round_trip::<Page<DriveItemVersion>>(&text)
            }
            m if m.contains("collection") || file.contains("delta") => round_trip::<Page<DriveItem>>(&text),
            m if m.contains("permission") => round_trip::<Permission>(&text),
            m if m.contains("microsoft.graph.drive") && !m.contains("driveItem") => round_trip::<Drive>(&text),
            _ => round_trip::<DriveItem>(&text),
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} drive samples found");
}

/// Every facet the issue lists lands in its typed field (a misspelt serde
/// name would leave it in `additional` and fail here).
#[test]
fn every_facet_of_a_drive_item_lands_in_its_field() {
    let item: DriveItem = serde_json::from_value(serde_json::json!({
        "id": "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
        "name": "IMG_0042.JPG",
        "size": 2_359_296,
        "eTag": "\"{F3B7E5D0-1A2B},3\"",
        "cTag": "\"c:{F3B7E5D0-1A2B},2\"",
        "createdDateTime": "2024-03-01T09:30:00Z",
        "lastModifiedDateTime": "2024-03-02T10:00:00Z",
        "webUrl": "https://contoso-my.sharepoint.com/personal/adelev/Documents/IMG_0042.JPG",
        "description": "offsite",
        "parentReference": {"driveId": "b!abc", "driveType": "business", "id": "01PARENT", "name": "Pictures",
                            "path": "/drive/root:/Pictures", "siteId": "site-1"},
        "file": {"mimeType": "image/jpeg", "hashes": {"quickXorHash": "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                 "sha1Hash": "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
                 "sha256Hash": "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                 "crc32Hash": "00000000"}},
        "image": {"width": 4032, "height": 3024},
        "photo": {"takenDateTime": "2024-03-01T09:29:58Z", "cameraMake": "Contoso", "cameraModel": "Lumia 950",
                  "iso": 100},
        "video": {"duration": 12000, "width": 1920, "height": 1080, "bitrate": 8000},
        "audio": {"title": "Memo", "artist": "Adele", "album": "Notes", "duration": 60000},
        "package": {"type": "oneNote"},
        "remoteItem": {"id": "!23141901", "name": "shared.docx", "parentReference": {"driveId": "s!1020101jlkjl12lx"}},
        "root": {},
        "deleted": {"state": "deleted"},
        "shared": {"scope": "users", "sharedDateTime": "2024-03-03T08:00:00Z",
                   "owner": {"user": {"id": "u1", "displayName": "Adele Vance"}}},
        "specialFolder": {"name": "photos"},
        "fileSystemInfo": {"createdDateTime": "2024-03-01T09:29:58Z", "lastModifiedDateTime": "2024-03-01T09:29:58Z"},
        "@microsoft.graph.downloadUrl": "https://contoso-my.sharepoint.com/download.aspx?tempauth=x",
        "folder": {"childCount": 0}
    }))
    .unwrap();
    assert!(item.additional.is_empty(), "not in a typed field: {:?}", item.additional);
    let file = item.file.as_ref().unwrap();
    assert_eq!(file.mime_type.as_deref(), Some("image/jpeg"));
    let hashes = file.hashes.as_ref().unwrap();
    assert!(hashes.quick_xor_hash.is_some() && hashes.sha1_hash.is_some());
    assert!(hashes.sha256_hash.is_some() && hashes.crc32_hash.is_some() && hashes.additional.is_empty());
    assert_eq!(item.folder.as_ref().unwrap().child_count, Some(0));
    assert_eq!(item.image.as_ref().unwrap().width, Some(4032));
    let photo = item.photo.as_ref().unwrap();
    assert_eq!(photo.camera_model.as_deref(), Some("Lumia 950"));
    assert!(photo.taken_date_time.is_some() && photo.additional.contains_key("iso"));
    assert_eq!(item.video.as_ref().unwrap().duration, Some(12000));
    assert_eq!(item.audio.as_ref().unwrap().album.as_deref(), Some("Notes"));
    assert_eq!(item.package.as_ref().unwrap().package_type.as_deref(), Some("oneNote"));
    let remote = item.remote_item.as_ref().unwrap();
    assert_eq!(remote.parent_reference.as_ref().unwrap().drive_id.as_deref(), Some("s!1020101jlkjl12lx"));
    assert!(item.root.is_some());
    assert_eq!(item.deleted.as_ref().unwrap().state.as_deref(), Some("deleted"));
    let shared = item.shared.as_ref().unwrap();
    assert!(shared.scope.as_deref() == Some("users") && shared.shared_date_time.is_some() && shared.owner.is_some());
    assert_eq!(item.special_folder.as_ref().unwrap().name.as_deref(), Some("photos"));
    assert!(item.file_system_info.as_ref().unwrap().created_date_time.is_some());
    assert!(item.download_url.as_deref().unwrap().contains("tempauth"));
    let parent = item.parent_reference.as_ref().unwrap();
    assert!(parent.additional.is_empty() && parent.site_id.as_deref() == Some("site-1"));
    assert_eq!(parent.path.as_deref(), Some("/drive/root:/Pictures"));
    assert!(item.e_tag.is_some() && item.c_tag.is_some() && item.created_date_time.is_some());
    // the upload session model is reachable from the crate root
    let session: msgraph_drive::UploadSession = serde_json::from_value(serde_json::json!({
        "uploadUrl": "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337",
        "expirationDateTime": "2015-01-29T09:21:55.523Z",
        "nextExpectedRanges": ["0-"]
    }))
    .unwrap();
    assert_eq!(session.next_expected_ranges, ["0-"]);
}
