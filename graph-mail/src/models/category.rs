use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

msgraph_core::string_enum! {
    /// The preset color of a category
    /// ([categoryColor](https://learn.microsoft.com/graph/api/resources/outlookcategory)).
    /// The colors named are those Outlook desktop maps the presets to.
    pub enum CategoryColor {
        /// `none`: no color.
        NoColor => "none",
        /// `preset0`: red.
        Preset0 => "preset0",
        /// `preset1`: orange.
        Preset1 => "preset1",
        /// `preset2`: brown.
        Preset2 => "preset2",
        /// `preset3`: yellow.
        Preset3 => "preset3",
        /// `preset4`: green.
        Preset4 => "preset4",
        /// `preset5`: teal.
        Preset5 => "preset5",
        /// `preset6`: olive.
        Preset6 => "preset6",
        /// `preset7`: blue.
        Preset7 => "preset7",
        /// `preset8`: purple.
        Preset8 => "preset8",
        /// `preset9`: cranberry.
        Preset9 => "preset9",
        /// `preset10`: steel.
        Preset10 => "preset10",
        /// `preset11`: dark steel.
        Preset11 => "preset11",
        /// `preset12`: gray.
        Preset12 => "preset12",
        /// `preset13`: dark gray.
        Preset13 => "preset13",
        /// `preset14`: black.
        Preset14 => "preset14",
        /// `preset15`: dark red.
        Preset15 => "preset15",
        /// `preset16`: dark orange.
        Preset16 => "preset16",
        /// `preset17`: dark brown.
        Preset17 => "preset17",
        /// `preset18`: dark yellow.
        Preset18 => "preset18",
        /// `preset19`: dark green.
        Preset19 => "preset19",
        /// `preset20`: dark teal.
        Preset20 => "preset20",
        /// `preset21`: dark olive.
        Preset21 => "preset21",
        /// `preset22`: dark blue.
        Preset22 => "preset22",
        /// `preset23`: dark purple.
        Preset23 => "preset23",
        /// `preset24`: dark cranberry.
        Preset24 => "preset24",
    }
}

/// A category of the user's master list
/// ([outlookCategory](https://learn.microsoft.com/graph/api/resources/outlookcategory)).
/// Items are categorized by putting the category's display name in their
/// `categories`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutlookCategory {
    /// Category id (a GUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The unique name; cannot change after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The preset color.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<CategoryColor>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
