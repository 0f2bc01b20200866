//! String enums of the calendar API. Each has an `Unknown(String)` arm for
//! values this version does not know; match them with a wildcard arm.
//!
//! Where Graph itself has a value spelled `unknown`, the variant is called
//! `Unspecified` (the `Unknown(String)` arm is taken by the forward-compatible
//! catch-all).

msgraph_core::string_enum! {
    /// What a calendar shows for the time of an event, or an attendee's
    /// availability ([freeBusyStatus](https://learn.microsoft.com/graph/api/resources/event)).
    pub enum FreeBusyStatus {
        /// `free`
        Free => "free",
        /// `tentative`
        Tentative => "tentative",
        /// `busy`
        Busy => "busy",
        /// `oof`: out of office.
        Oof => "oof",
        /// `workingElsewhere`
        WorkingElsewhere => "workingElsewhere",
        /// `unknown`: Graph does not know the status.
        Unspecified => "unknown",
    }
}

msgraph_core::string_enum! {
    /// How private an event is.
    pub enum Sensitivity {
        /// `normal`
        Normal => "normal",
        /// `personal`
        Personal => "personal",
        /// `private`
        Private => "private",
        /// `confidential`
        Confidential => "confidential",
    }
}

msgraph_core::string_enum! {
    /// The kind of event in a recurring series or not.
    pub enum EventType {
        /// `singleInstance`: not recurring.
        SingleInstance => "singleInstance",
        /// `occurrence`: one occurrence of a series.
        Occurrence => "occurrence",
        /// `exception`: an occurrence that was changed.
        Exception => "exception",
        /// `seriesMaster`: the recurring series itself.
        SeriesMaster => "seriesMaster",
    }
}

msgraph_core::string_enum! {
    /// An online meeting service.
    pub enum OnlineMeetingProviderType {
        /// `teamsForBusiness`: Microsoft Teams.
        TeamsForBusiness => "teamsForBusiness",
        /// `skypeForBusiness`
        SkypeForBusiness => "skypeForBusiness",
        /// `skypeForConsumer`
        SkypeForConsumer => "skypeForConsumer",
        /// `unknown`
        Unspecified => "unknown",
    }
}

msgraph_core::string_enum! {
    /// How an attendee (or the calendar owner) answered a meeting request
    /// ([responseStatus](https://learn.microsoft.com/graph/api/resources/responsestatus)).
    ///
    /// Graph sometimes sends an empty string; it reads as `Unknown("")`.
    pub enum ResponseType {
        /// `none`
        None => "none",
        /// `organizer`
        Organizer => "organizer",
        /// `tentativelyAccepted`
        TentativelyAccepted => "tentativelyAccepted",
        /// `accepted`
        Accepted => "accepted",
        /// `declined`
        Declined => "declined",
        /// `notResponded`
        NotResponded => "notResponded",
    }
}

msgraph_core::string_enum! {
    /// The role of an attendee.
    pub enum AttendeeType {
        /// `required`
        Required => "required",
        /// `optional`
        Optional => "optional",
        /// `resource`: a room or equipment.
        Resource => "resource",
    }
}

msgraph_core::string_enum! {
    /// The color theme of a calendar.
    pub enum CalendarColor {
        /// `auto`
        Auto => "auto",
        /// `lightBlue`
        LightBlue => "lightBlue",
        /// `lightGreen`
        LightGreen => "lightGreen",
        /// `lightOrange`
        LightOrange => "lightOrange",
        /// `lightGray`
        LightGray => "lightGray",
        /// `lightYellow`
        LightYellow => "lightYellow",
        /// `lightTeal`
        LightTeal => "lightTeal",
        /// `lightPink`
        LightPink => "lightPink",
        /// `lightBrown`
        LightBrown => "lightBrown",
        /// `lightRed`
        LightRed => "lightRed",
        /// `maxColor`
        MaxColor => "maxColor",
    }
}

pub use msgraph_core::models::DayOfWeek;

msgraph_core::string_enum! {
    /// The kind of place a [`Location`](crate::Location) is.
    pub enum LocationType {
        /// `default`
        Default => "default",
        /// `conferenceRoom`
        ConferenceRoom => "conferenceRoom",
        /// `homeAddress`
        HomeAddress => "homeAddress",
        /// `businessAddress`
        BusinessAddress => "businessAddress",
        /// `geoCoordinates`
        GeoCoordinates => "geoCoordinates",
        /// `streetAddress`
        StreetAddress => "streetAddress",
        /// `hotel`
        Hotel => "hotel",
        /// `restaurant`
        Restaurant => "restaurant",
        /// `localBusiness`
        LocalBusiness => "localBusiness",
        /// `postalAddress`
        PostalAddress => "postalAddress",
    }
}

msgraph_core::string_enum! {
    /// Where a location's `uniqueId` comes from.
    pub enum LocationUniqueIdType {
        /// `unknown`
        Unspecified => "unknown",
        /// `locationStore`
        LocationStore => "locationStore",
        /// `directory`
        Directory => "directory",
        /// `private`
        Private => "private",
        /// `bing`
        Bing => "bing",
    }
}

msgraph_core::string_enum! {
    /// The kind of meeting `findMeetingTimes` plans for, which decides the
    /// hours it suggests.
    pub enum ActivityDomain {
        /// `work`: within the attendees' working hours (Graph's default).
        Work => "work",
        /// `personal`: working hours plus weekends.
        Personal => "personal",
        /// `unrestricted`: any hour of any day.
        Unrestricted => "unrestricted",
        /// `unknown`: deprecated by Graph; behaves like `work`.
        Unspecified => "unknown",
    }
}

msgraph_core::string_enum! {
    /// The kind of a phone number.
    pub enum PhoneType {
        /// `home`
        Home => "home",
        /// `business`
        Business => "business",
        /// `mobile`
        Mobile => "mobile",
        /// `other`
        Other => "other",
        /// `assistant`
        Assistant => "assistant",
        /// `homeFax`
        HomeFax => "homeFax",
        /// `businessFax`
        BusinessFax => "businessFax",
        /// `otherFax`
        OtherFax => "otherFax",
        /// `pager`
        Pager => "pager",
        /// `radio`
        Radio => "radio",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_unknown_value_is_a_named_variant_and_new_values_are_kept() {
        let s: FreeBusyStatus = serde_json::from_str("\"unknown\"").unwrap();
        assert_eq!(s, FreeBusyStatus::Unspecified);
        let s: FreeBusyStatus = serde_json::from_str("\"WorkingElsewhere\"").unwrap();
        assert_eq!(s, FreeBusyStatus::WorkingElsewhere);
        let s: FreeBusyStatus = serde_json::from_str("\"onBreak\"").unwrap();
        assert_eq!(s, FreeBusyStatus::Unknown("onBreak".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"onBreak\"");
    }

    #[test]
    fn empty_response_reads_and_writes_back() {
        let r: ResponseType = serde_json::from_str("\"\"").unwrap();
        assert_eq!(r, ResponseType::Unknown(String::new()));
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"\"");
    }

    #[test]
    fn weekday_converts() {
        assert_eq!(DayOfWeek::from(chrono::Weekday::Thu), DayOfWeek::Thursday);
        assert_eq!(DayOfWeek::from(chrono::Weekday::Sun).as_str(), "sunday");
    }
}
