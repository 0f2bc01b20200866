//! Every core sample deserializes into its model and round-trips losslessly.

use msgraph_core::Page;
use msgraph_core::models::User;
use serde_json::Value;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> T {
    let model: T = serde_json::from_str(json).unwrap();
    let mut original: Value = serde_json::from_str(json).unwrap();
    let back = serde_json::to_value(&model).unwrap();
    // `@odata.context` is an annotation of the response, kept in `additional` too.
    if let (Some(o), Some(b)) = (original.as_object_mut(), back.as_object()) {
        assert_eq!(o.len(), b.len(), "a property was lost: {o:?} vs {b:?}");
    }
    assert_eq!(original, back);
    model
}

#[test]
fn user_samples_round_trip() {
    let me: User = round_trip(include_str!("../../testdata/graph-samples/core/user-get-me.json"));
    assert_eq!(me.display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(me.business_phones.as_deref(), Some(&["+1 425 555 0109".to_owned()][..]));
    let sel: User = round_trip(include_str!("../../testdata/graph-samples/core/user-get-select.json"));
    assert_eq!(sel.additional["postalCode"], "98004");
    assert!(sel.id.is_none(), "$select without id");
    let ext: User = round_trip(include_str!("../../testdata/graph-samples/core/user-get-schemaextension.json"));
    assert!(ext.additional.contains_key("ext55gb1l09_msLearnCourses"));
}

#[test]
fn a_page_of_users_parses_straight_into_vec() {
    let body = r#"{"@odata.context":"x","@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=1",
        "value":[{"id":"1","displayName":"A","newProp":{"nested":true}},{"id":"2"}]}"#;
    let page: Page<User> = serde_json::from_str(body).unwrap();
    assert_eq!(page.value.len(), 2);
    assert_eq!(page.value[0].additional["newProp"]["nested"], true);
    assert!(!page.is_last());
}
