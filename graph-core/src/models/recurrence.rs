//! Recurrence: how a calendar event or a To Do task repeats. One shape for
//! both services.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Additional, DayOfWeek};
use crate::{Error, Result};

crate::string_enum! {
    /// Which instance of the days in a relative monthly or yearly pattern.
    pub enum WeekIndex {
        /// `first`
        First => "first",
        /// `second`
        Second => "second",
        /// `third`
        Third => "third",
        /// `fourth`
        Fourth => "fourth",
        /// `last`
        Last => "last",
    }
}

crate::string_enum! {
    /// How often a recurring event or task repeats.
    pub enum RecurrencePatternType {
        /// `daily`
        Daily => "daily",
        /// `weekly`
        Weekly => "weekly",
        /// `absoluteMonthly`: on a day of the month.
        AbsoluteMonthly => "absoluteMonthly",
        /// `relativeMonthly`: on e.g. the second Thursday of the month.
        RelativeMonthly => "relativeMonthly",
        /// `absoluteYearly`: on a day of a month.
        AbsoluteYearly => "absoluteYearly",
        /// `relativeYearly`: on e.g. the last Friday of November.
        RelativeYearly => "relativeYearly",
    }
}

crate::string_enum! {
    /// How a recurring series ends.
    pub enum RecurrenceRangeType {
        /// `endDate`: on the end date.
        EndDate => "endDate",
        /// `noEnd`: never.
        NoEnd => "noEnd",
        /// `numbered`: after a number of occurrences.
        Numbered => "numbered",
    }
}

/// How and for how long an event or task repeats
/// ([patternedRecurrence](https://learn.microsoft.com/graph/api/resources/patternedrecurrence)).
///
/// ```
/// use chrono::NaiveDate;
/// use msgraph_core::models::{DayOfWeek, PatternedRecurrence, RecurrencePattern, RecurrenceRange};
///
/// // Every other Monday and Wednesday, ten times.
/// let r = PatternedRecurrence::new(
///     RecurrencePattern::weekly(2, [DayOfWeek::Monday, DayOfWeek::Wednesday]),
///     RecurrenceRange::numbered(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), 10),
/// );
/// assert_eq!(serde_json::to_value(&r).unwrap()["range"]["numberOfOccurrences"], 10);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PatternedRecurrence {
    /// How often it repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<RecurrencePattern>,
    /// Over which dates it repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<RecurrenceRange>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl PatternedRecurrence {
    /// A recurrence from its pattern and range.
    pub fn new(pattern: RecurrencePattern, range: RecurrenceRange) -> Self {
        PatternedRecurrence { pattern: Some(pattern), range: Some(range), additional: Additional::new() }
    }

    /// Checks what Graph requires, so a bad recurrence fails before it is
    /// sent: a pattern and a range, the pattern's fields for its type, and a
    /// range that ends after it starts.
    pub fn validate(&self) -> Result<()> {
        let pattern = self.pattern.as_ref().ok_or_else(|| invalid("a recurrence needs a pattern"))?;
        pattern.validate()?;
        let range = self.range.as_ref().ok_or_else(|| invalid("a recurrence needs a range"))?;
        range.validate()
    }
}

/// How often an event repeats
/// ([recurrencePattern](https://learn.microsoft.com/graph/api/resources/recurrencepattern)).
/// Build one with [`daily`](Self::daily), [`weekly`](Self::weekly),
/// [`absolute_monthly`](Self::absolute_monthly),
/// [`relative_monthly`](Self::relative_monthly),
/// [`absolute_yearly`](Self::absolute_yearly) or
/// [`relative_yearly`](Self::relative_yearly).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecurrencePattern {
    /// The kind of pattern.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub pattern_type: Option<RecurrencePatternType>,
    /// Units (days, weeks, months, years) between occurrences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<i32>,
    /// Day of the month (absolute monthly and yearly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_month: Option<i32>,
    /// Days of the week (weekly, relative monthly and yearly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_of_week: Option<Vec<DayOfWeek>>,
    /// First day of the week (weekly; Graph's default is Sunday).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_day_of_week: Option<DayOfWeek>,
    /// Which instance of the days (relative patterns; Graph's default is first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<WeekIndex>,
    /// Month, 1 to 12 (yearly patterns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<i32>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl RecurrencePattern {
    fn of(kind: RecurrencePatternType, interval: u32) -> Self {
        RecurrencePattern {
            pattern_type: Some(kind),
            interval: Some(i32::try_from(interval).unwrap_or(i32::MAX)),
            ..RecurrencePattern::default()
        }
    }

    /// Every `interval` days.
    pub fn daily(interval: u32) -> Self {
        Self::of(RecurrencePatternType::Daily, interval)
    }

    /// Every `interval` weeks on `days` (weeks start on Sunday unless
    /// [`first_day_of_week`](Self::first_day_of_week) says otherwise).
    pub fn weekly(interval: u32, days: impl IntoIterator<Item = DayOfWeek>) -> Self {
        let mut p = Self::of(RecurrencePatternType::Weekly, interval);
        p.days_of_week = Some(days.into_iter().collect());
        p.first_day_of_week = Some(DayOfWeek::Sunday);
        p
    }

    /// Every `interval` months on day `day_of_month` (1 to 31).
    pub fn absolute_monthly(interval: u32, day_of_month: u32) -> Self {
        let mut p = Self::of(RecurrencePatternType::AbsoluteMonthly, interval);
        p.day_of_month = Some(i32::try_from(day_of_month).unwrap_or(i32::MAX));
        p
    }

    /// Every `interval` months on the `index` instance of `days`
    /// (e.g. the second Thursday).
    pub fn relative_monthly(interval: u32, index: WeekIndex, days: impl IntoIterator<Item = DayOfWeek>) -> Self {
        let mut p = Self::of(RecurrencePatternType::RelativeMonthly, interval);
        p.index = Some(index);
        p.days_of_week = Some(days.into_iter().collect());
        p
    }

    /// Every `interval` years on `day_of_month` of `month` (1 to 12).
    pub fn absolute_yearly(interval: u32, month: u32, day_of_month: u32) -> Self {
        let mut p = Self::of(RecurrencePatternType::AbsoluteYearly, interval);
        p.month = Some(i32::try_from(month).unwrap_or(i32::MAX));
        p.day_of_month = Some(i32::try_from(day_of_month).unwrap_or(i32::MAX));
        p
    }

    /// Every `interval` years on the `index` instance of `days` in `month`
    /// (e.g. the last Friday of November).
    pub fn relative_yearly(
        interval: u32,
        month: u32,
        index: WeekIndex,
        days: impl IntoIterator<Item = DayOfWeek>,
    ) -> Self {
        let mut p = Self::of(RecurrencePatternType::RelativeYearly, interval);
        p.month = Some(i32::try_from(month).unwrap_or(i32::MAX));
        p.index = Some(index);
        p.days_of_week = Some(days.into_iter().collect());
        p
    }

    /// Sets the first day of the week (weekly patterns).
    pub fn first_day_of_week(mut self, day: DayOfWeek) -> Self {
        self.first_day_of_week = Some(day);
        self
    }

    /// Checks the fields Graph requires for the pattern's type.
    pub fn validate(&self) -> Result<()> {
        use RecurrencePatternType as T;
        let kind = self.pattern_type.as_ref().ok_or_else(|| invalid("a recurrence pattern needs a type"))?;
        match self.interval {
            Some(n) if n >= 1 => {}
            _ => return Err(invalid("a recurrence pattern needs an interval of at least 1")),
        }
        let needs_days = matches!(kind, T::Weekly | T::RelativeMonthly | T::RelativeYearly);
        if needs_days && self.days_of_week.as_ref().is_none_or(Vec::is_empty) {
            return Err(invalid(format!("a {kind} recurrence needs days of the week")));
        }
        if matches!(kind, T::AbsoluteMonthly | T::AbsoluteYearly)
            && !self.day_of_month.is_some_and(|d| (1..=31).contains(&d))
        {
            return Err(invalid(format!("a {kind} recurrence needs a day of the month from 1 to 31")));
        }
        if matches!(kind, T::AbsoluteYearly | T::RelativeYearly) && !self.month.is_some_and(|m| (1..=12).contains(&m)) {
            return Err(invalid(format!("a {kind} recurrence needs a month from 1 to 12")));
        }
        Ok(())
    }
}

/// Over which dates a recurring event repeats
/// ([recurrenceRange](https://learn.microsoft.com/graph/api/resources/recurrencerange)).
/// Build one with [`end_date`](Self::end_date), [`numbered`](Self::numbered)
/// or [`no_end`](Self::no_end).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecurrenceRange {
    /// How the series ends.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub range_type: Option<RecurrenceRangeType>,
    /// First date of the series (should be the event's start date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// Last date (`endDate` ranges); Graph writes `0001-01-01` for others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// Number of occurrences (`numbered` ranges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_occurrences: Option<i32>,
    /// Time zone of the dates (defaults to the event's start zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence_time_zone: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl RecurrenceRange {
    /// From `start` through `end` (inclusive).
    pub fn end_date(start: NaiveDate, end: NaiveDate) -> Self {
        RecurrenceRange {
            range_type: Some(RecurrenceRangeType::EndDate),
            start_date: Some(start),
            end_date: Some(end),
            ..RecurrenceRange::default()
        }
    }

    /// From `start`, `count` times.
    pub fn numbered(start: NaiveDate, count: u32) -> Self {
        RecurrenceRange {
            range_type: Some(RecurrenceRangeType::Numbered),
            start_date: Some(start),
            number_of_occurrences: Some(i32::try_from(count).unwrap_or(i32::MAX)),
            ..RecurrenceRange::default()
        }
    }

    /// From `start`, forever.
    pub fn no_end(start: NaiveDate) -> Self {
        RecurrenceRange {
            range_type: Some(RecurrenceRangeType::NoEnd),
            start_date: Some(start),
            ..RecurrenceRange::default()
        }
    }

    /// Sets the time zone of the dates.
    pub fn time_zone(mut self, zone: impl Into<String>) -> Self {
        self.recurrence_time_zone = Some(zone.into());
        self
    }

    /// Checks the fields Graph requires for the range's type.
    pub fn validate(&self) -> Result<()> {
        let kind = self.range_type.as_ref().ok_or_else(|| invalid("a recurrence range needs a type"))?;
        let start = self.start_date.ok_or_else(|| invalid("a recurrence range needs a start date"))?;
        match kind {
            RecurrenceRangeType::EndDate => match self.end_date {
                Some(end) if end >= start => Ok(()),
                Some(end) => Err(invalid(format!("the recurrence ends ({end}) before it starts ({start})"))),
                None => Err(invalid("an endDate recurrence range needs an end date")),
            },
            RecurrenceRangeType::Numbered => match self.number_of_occurrences {
                Some(n) if n >= 1 => Ok(()),
                _ => Err(invalid("a numbered recurrence range needs at least 1 occurrence")),
            },
            _ => Ok(()),
        }
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid_input(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn every_pattern_serializes_as_graph_documents_it() {
        let cases = [
            (RecurrencePattern::daily(3), json!({"type": "daily", "interval": 3})),
            (
                RecurrencePattern::weekly(1, [DayOfWeek::Monday, DayOfWeek::Friday])
                    .first_day_of_week(DayOfWeek::Monday),
                json!({"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "friday"], "firstDayOfWeek": "monday"}),
            ),
            (
                RecurrencePattern::absolute_monthly(3, 15),
                json!({"type": "absoluteMonthly", "interval": 3, "dayOfMonth": 15}),
            ),
            (
                RecurrencePattern::relative_monthly(1, WeekIndex::Second, [DayOfWeek::Thursday]),
                json!({"type": "relativeMonthly", "interval": 1, "index": "second", "daysOfWeek": ["thursday"]}),
            ),
            (
                RecurrencePattern::absolute_yearly(1, 3, 15),
                json!({"type": "absoluteYearly", "interval": 1, "month": 3, "dayOfMonth": 15}),
            ),
            (
                RecurrencePattern::relative_yearly(1, 11, WeekIndex::Last, [DayOfWeek::Friday]),
                json!({"type": "relativeYearly", "interval": 1, "month": 11, "index": "last", "daysOfWeek": ["friday"]}),
            ),
        ];
        for (p, want) in cases {
            assert_eq!(serde_json::to_value(&p).unwrap(), want);
            p.validate().unwrap();
        }
    }

    #[test]
    fn ranges_serialize_and_validate() {
        assert_eq!(
            serde_json::to_value(RecurrenceRange::end_date(d(3, 1), d(6, 30)).time_zone("Europe/Paris")).unwrap(),
            json!({"type": "endDate", "startDate": "2026-03-01", "endDate": "2026-06-30", "recurrenceTimeZone": "Europe/Paris"})
        );
        assert_eq!(
            serde_json::to_value(RecurrenceRange::no_end(d(3, 1))).unwrap(),
            json!({"type": "noEnd", "startDate": "2026-03-01"})
        );
        assert!(
            RecurrenceRange::end_date(d(3, 1), d(2, 1))
                .validate()
                .unwrap_err()
                .to_string()
                .contains("before it starts")
        );
        assert!(RecurrenceRange::numbered(d(3, 1), 0).validate().is_err());
    }

    #[test]
    fn patterns_missing_required_fields_are_rejected() {
        assert!(RecurrencePattern::weekly(1, []).validate().unwrap_err().to_string().contains("days of the week"));
        assert!(RecurrencePattern::daily(0).validate().unwrap_err().to_string().contains("interval"));
        assert!(
            RecurrencePattern::absolute_monthly(1, 32).validate().unwrap_err().to_string().contains("day of the month")
        );
        assert!(RecurrencePattern::absolute_yearly(1, 13, 1).validate().unwrap_err().to_string().contains("month"));
        let no_pattern = PatternedRecurrence { range: Some(RecurrenceRange::no_end(d(1, 1))), ..Default::default() };
        assert_eq!(no_pattern.validate().unwrap_err().to_string(), "invalid input: a recurrence needs a pattern");
    }

    #[test]
    fn reads_graph_no_end_range_with_sentinel_end_date() {
        let r: RecurrenceRange = serde_json::from_value(json!({
            "type": "noEnd", "startDate": "2017-09-04", "endDate": "0001-01-01",
            "recurrenceTimeZone": "Pacific Standard Time", "numberOfOccurrences": 0
        }))
        .unwrap();
        assert_eq!(r.end_date, NaiveDate::from_ymd_opt(1, 1, 1));
        assert_eq!(serde_json::to_value(&r).unwrap()["endDate"], "0001-01-01");
    }
}
