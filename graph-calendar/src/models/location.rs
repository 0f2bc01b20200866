use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

use super::{LocationType, LocationUniqueIdType};

/// Where an event takes place
/// ([location](https://learn.microsoft.com/graph/api/resources/location)).
///
/// A plain name converts into a location: `Location::from("Conf Room 1")`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Location {
    /// The name shown for the location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<PhysicalAddress>,
    /// Geographic coordinates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<OutlookGeoCoordinates>,
    /// Email address of the location (a room mailbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_email_address: Option<String>,
    /// URI of the location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_uri: Option<String>,
    /// The kind of place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_type: Option<LocationType>,
    /// Internal identifier (for Graph's use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    /// Where `unique_id` comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_id_type: Option<LocationUniqueIdType>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl Location {
    /// A location with a display name only.
    pub fn new(display_name: impl Into<String>) -> Self {
        Location { display_name: Some(display_name.into()), ..Location::default() }
    }

    /// A room (or other resource) by name and mailbox address.
    pub fn room(display_name: impl Into<String>, email: impl Into<String>) -> Self {
        Location {
            display_name: Some(display_name.into()),
            location_email_address: Some(email.into()),
            location_type: Some(LocationType::ConferenceRoom),
            ..Location::default()
        }
    }

    /// Sets the street address.
    pub fn with_address(mut self, address: PhysicalAddress) -> Self {
        self.address = Some(address);
        self
    }

    /// Sets the coordinates.
    pub fn with_coordinates(mut self, latitude: f64, longitude: f64) -> Self {
        self.coordinates = Some(OutlookGeoCoordinates {
            latitude: Some(latitude),
            longitude: Some(longitude),
            ..OutlookGeoCoordinates::default()
        });
        self
    }
}

impl From<&str> for Location {
    fn from(s: &str) -> Self {
        Location::new(s)
    }
}

impl From<String> for Location {
    fn from(s: String) -> Self {
        Location::new(s)
    }
}

/// A street address
/// ([physicalAddress](https://learn.microsoft.com/graph/api/resources/physicaladdress)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PhysicalAddress {
    /// Street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Country or region (a free-format string, e.g. `United States`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_or_region: Option<String>,
    /// Postal code (Graph may send an empty string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl PhysicalAddress {
    /// An address from its parts; use `Default` and set fields for fewer.
    pub fn new(
        street: impl Into<String>,
        city: impl Into<String>,
        state: impl Into<String>,
        postal_code: impl Into<String>,
        country_or_region: impl Into<String>,
    ) -> Self {
        PhysicalAddress {
            street: Some(street.into()),
            city: Some(city.into()),
            state: Some(state.into()),
            postal_code: Some(postal_code.into()),
            country_or_region: Some(country_or_region.into()),
            additional: Additional::new(),
        }
    }
}

/// Geographic coordinates of a location
/// ([outlookGeoCoordinates](https://learn.microsoft.com/graph/api/resources/outlookgeocoordinates)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutlookGeoCoordinates {
    /// Latitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Accuracy of latitude and longitude, in meters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
    /// Altitude, in meters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altitude: Option<f64>,
    /// Accuracy of the altitude, in meters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altitude_accuracy: Option<f64>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
