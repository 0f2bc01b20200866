//! Mailbox settings: get and update time zone, automatic replies, working hours, language.

use msgraph_core::models::DateTimeTimeZone;
use msgraph_mail::{
    AutomaticRepliesSetting, AutomaticRepliesStatus, DayOfWeek, DelegateMeetingMessageDeliveryOptions,
    ExternalAudienceScope, LocaleInfo, MailExt, MailboxSettingsPatch, TimeOfDay, WorkingHours,
};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, assert_round_trip, graph};

/// `GET /me/mailboxSettings`, example 1 of the Graph docs.
const SETTINGS: &str = r#"{
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Me/mailboxSettings",
    "automaticRepliesSetting": {
        "status": "Scheduled",
        "externalAudience": "All",
        "scheduledStartDateTime": {"dateTime": "2016-03-14T07:00:00.0000000", "timeZone": "UTC"},
        "scheduledEndDateTime": {"dateTime": "2016-03-28T07:00:00.0000000", "timeZone": "UTC"},
        "internalReplyMessage": "<html>\n<body>\n<p>I'm at our company's worldwide reunion and will respond to your message as soon as I return.<br>\n</p></body>\n</html>\n",
        "externalReplyMessage": "<html>\n<body>\n<p>I'm at the Contoso worldwide reunion and will respond to your message as soon as I return.<br>\n</p></body>\n</html>\n"
    },
    "timeZone": "UTC",
    "language": {"locale": "en-US", "displayName": "English (United States)"},
    "workingHours": {
        "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "startTime": "08:00:00.0000000",
        "endTime": "17:00:00.0000000",
        "timeZone": {"name": "Pacific Standard Time"}
    },
    "dateFormat": "MM/dd/yyyy",
    "timeFormat": "hh:mm tt",
    "delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly"
}"#;

/// `GET /me/mailboxSettings/workingHours`, example 3 of the Graph docs (a custom time zone).
const WORKING_HOURS: &str = r##"{
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('94447c6e-ea4c-494c-a9ed-d905e366c5cb')/mailboxSettings/workingHours",
    "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
    "startTime": "09:00:00.0000000",
    "endTime": "18:30:00.0000000",
    "timeZone": {
        "@odata.type": "#microsoft.graph.customTimeZone",
        "bias": -200,
        "name": "Customized Time Zone",
        "standardOffset": {"time": "02:00:00.0000000", "dayOccurrence": 4, "dayOfWeek": "sunday", "month": 5, "year": 0},
        "daylightOffset": {"daylightBias": -100, "time": "02:00:00.0000000", "dayOccurrence": 2, "dayOfWeek": "sunday", "month": 10, "year": 0}
    }
}"##;

#[tokio::test]
async fn get_all_settings() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailboxSettings"))
        .respond_with(ResponseTemplate::new(200).set_body_string(SETTINGS))
        .expect(1)
        .mount(&graph.server)
        .await;
    let s = client.me().mailbox_settings().get().await.unwrap();
    assert_eq!(s.time_zone.as_deref(), Some("UTC"));
    assert_eq!(s.date_format.as_deref(), Some("MM/dd/yyyy"));
    assert_eq!(
        s.delegate_meeting_message_delivery_options,
        Some(DelegateMeetingMessageDeliveryOptions::SendToDelegateOnly)
    );
    let ooo = s.automatic_replies_setting.unwrap();
    assert_eq!(ooo.status, Some(AutomaticRepliesStatus::Scheduled));
    assert_eq!(ooo.external_audience, Some(ExternalAudienceScope::All));
    assert_eq!(ooo.scheduled_end_date_time.unwrap().to_utc().unwrap().to_rfc3339(), "2016-03-28T07:00:00+00:00");
    let hours = s.working_hours.unwrap();
    assert_eq!(hours.days_of_week.unwrap().len(), 5);
    assert_eq!(hours.start_time, TimeOfDay::from_hms(8, 0, 0));
    assert_eq!(hours.time_zone.unwrap().name.as_deref(), Some("Pacific Standard Time"));
    assert_eq!(s.language.unwrap().locale.as_deref(), Some("en-US"));
}

#[tokio::test]
async fn get_and_set_time_zone() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailboxSettings/timeZone"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('u')/mailboxSettings/timeZone",
            "value": "Pacific Standard Time"
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/mailboxSettings"))
        .and(body_json(json!({"timeZone": "Europe/Berlin"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"timeZone": "Europe/Berlin"})))
        .expect(1)
        .mount(&graph.server)
        .await;
    let settings = client.me().mailbox_settings();
    assert_eq!(settings.time_zone().await.unwrap(), "Pacific Standard Time");
    let s = settings.set_time_zone("Europe/Berlin").await.unwrap();
    assert_eq!(s.time_zone.as_deref(), Some("Europe/Berlin"));
}

#[tokio::test]
async fn get_and_set_automatic_replies() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailboxSettings/automaticRepliesSetting"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "alwaysEnabled", "externalAudience": "None",
            "internalReplyMessage": "Out", "externalReplyMessage": "Away"
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    let expected = json!({"automaticRepliesSetting": {
        "status": "scheduled",
        "externalAudience": "contactsOnly",
        "scheduledStartDateTime": {"dateTime": "2026-07-01T00:00:00.0000000", "timeZone": "UTC"},
        "scheduledEndDateTime": {"dateTime": "2026-07-15T00:00:00.0000000", "timeZone": "UTC"},
        "internalReplyMessage": "On leave until the 15th.",
        "externalReplyMessage": "I am out of the office."
    }});
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/mailboxSettings"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(&expected))
        .expect(1)
        .mount(&graph.server)
        .await;
    let settings = client.me().mailbox_settings();
    let current = settings.automatic_replies().await.unwrap();
    assert_eq!(current.status, Some(AutomaticRepliesStatus::AlwaysEnabled));
    assert_eq!(current.external_audience, Some(ExternalAudienceScope::None));

    let start = DateTimeTimeZone::from_naive("2026-07-01T00:00:00".parse().unwrap(), "UTC");
    let end = DateTimeTimeZone::from_naive("2026-07-15T00:00:00".parse().unwrap(), "UTC");
    let s = settings
        .set_automatic_replies(
            AutomaticRepliesSetting::scheduled(start, end)
                .internal_message("On leave until the 15th.")
                .external_message("I am out of the office.")
                .external_audience(ExternalAudienceScope::ContactsOnly),
        )
        .await
        .unwrap();
    assert_eq!(s.automatic_replies_setting.unwrap().status, Some(AutomaticRepliesStatus::Scheduled));
}

#[tokio::test]
async fn get_working_hours_in_a_custom_time_zone_and_set_them() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailboxSettings/workingHours"))
        .respond_with(ResponseTemplate::new(200).set_body_string(WORKING_HOURS))
        .expect(1)
        .mount(&graph.server)
        .await;
    let expected = json!({"workingHours": {
        "daysOfWeek": ["monday", "friday"],
        "startTime": "09:00:00.0000000",
        "endTime": "17:30:00.0000000",
        "timeZone": {"name": "W. Europe Standard Time"}
    }});
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/mailboxSettings"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(&expected))
        .expect(1)
        .mount(&graph.server)
        .await;

    let settings = client.me().mailbox_settings();
    let hours = settings.working_hours().await.unwrap();
    assert_eq!(hours.end_time, TimeOfDay::from_hms(18, 30, 0));
    let tz = hours.time_zone.unwrap();
    assert!(tz.is_custom());
    assert_eq!(tz.bias, Some(-200));
    assert_eq!(tz.daylight_offset.as_ref().unwrap().daylight_bias, Some(-100));
    assert_eq!(tz.standard_offset.as_ref().unwrap().day_of_week, Some(DayOfWeek::Sunday));
    assert_round_trip::<WorkingHours>(&serde_json::from_str(WORKING_HOURS).unwrap(), "working hours");

    let new_hours = WorkingHours::new(
        [DayOfWeek::Monday, DayOfWeek::Friday],
        TimeOfDay::from_hms(9, 0, 0).unwrap(),
        TimeOfDay::from_hms(17, 30, 0).unwrap(),
        "W. Europe Standard Time",
    );
    let s = settings.set_working_hours(new_hours.clone()).await.unwrap();
    assert_eq!(s.working_hours.unwrap(), new_hours);
}

#[tokio::test]
async fn get_and_set_language() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1/mailboxSettings/language"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"locale": "en-US", "displayName": "English (United States)"})),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/users/u1/mailboxSettings"))
        .and(body_json(json!({"language": {"locale": "de-DE"}})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"language": {"locale": "de-DE", "displayName": "Deutsch (Deutschland)"}})),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    let settings = client.user("u1").mailbox_settings();
    assert_eq!(settings.language().await.unwrap().display_name.as_deref(), Some("English (United States)"));
    let s = settings.set_language(LocaleInfo::new("de-DE")).await.unwrap();
    assert_eq!(s.language.unwrap().display_name.as_deref(), Some("Deutsch (Deutschland)"));
}

#[tokio::test]
async fn update_sends_only_what_the_patch_sets() {
    let (graph, client) = graph().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/mailboxSettings"))
        .and(body_json(json!({"dateFormat": "yyyy-MM-dd", "timeFormat": "HH:mm"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"dateFormat": "yyyy-MM-dd", "timeFormat": "HH:mm"})),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    let s = client
        .me()
        .mailbox_settings()
        .update(MailboxSettingsPatch::new().date_format("yyyy-MM-dd").time_format("HH:mm"))
        .await
        .unwrap();
    assert_eq!(s.time_format.as_deref(), Some("HH:mm"));
}

#[tokio::test]
async fn empty_or_blank_settings_send_nothing() {
    let (graph, client) = graph().await;
    let settings = client.me().mailbox_settings();
    assert_invalid_input(&graph, settings.update(MailboxSettingsPatch::new()).await, "changes nothing").await;
    assert_invalid_input(&graph, settings.set_time_zone(" ").await, "time zone").await;
    assert_invalid_input(&graph, settings.set_language(LocaleInfo::default()).await, "locale").await;
}

/// The documented `getSchedule` answer (calendar), whose second schedule has
/// working hours in a custom time zone.
const GET_SCHEDULE: &str = include_str!("../../../testdata/graph-samples/calendar/calendar-getschedule.json");

#[tokio::test]
async fn working_hours_from_get_schedule_are_sent_to_mailbox_settings_as_they_came() {
    let (graph, client) = graph().await;
    // `WorkingHours` is msgraph_core's one shape: calendar's
    // `ScheduleInformation::working_hours` has this type too.
    let answer: serde_json::Value = serde_json::from_str(GET_SCHEDULE).unwrap();
    for schedule in answer["value"].as_array().unwrap() {
        let wire = schedule["workingHours"].clone();
        let hours: msgraph_core::models::WorkingHours = serde_json::from_value(wire.clone()).unwrap();
        let mock = Mock::given(method("PATCH"))
            .and(path("/v1.0/users/u1/mailboxSettings"))
            .and(body_json(json!({"workingHours": wire})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"workingHours": wire})))
            .expect(1)
            .mount_as_scoped(&graph.server)
            .await;
        let settings = client.user("u1").mailbox_settings().set_working_hours(hours.clone()).await.unwrap();
        assert_eq!(settings.working_hours.as_ref(), Some(&hours));
        drop(mock);
    }
    // The custom zone of the sample is Pacific time: bias 480 is UTC-8 (Windows convention).
    let custom: msgraph_core::models::WorkingHours =
        serde_json::from_value(answer["value"][1]["workingHours"].clone()).unwrap();
    let tz = custom.time_zone.unwrap();
    assert!(tz.is_custom());
    assert_eq!(tz.standard_utc_offset_minutes(), Some(-8 * 60));
    assert_eq!(tz.daylight_utc_offset_minutes(), Some(-7 * 60));
}
