//! The business calendar (工作日): weekends are off except the 调休 make-up working days, and public
//! holidays are off. The data is holiday-cn (MIT, `shared/data/holiday-cn/LICENSE`), 2007–2027,
//! compiled in as `shared/data/calendar.txt`; the server can load a newer holiday-cn directory and
//! serve it to the browser, so a new year needs no code change.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A day that differs from the plain weekday rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub name: String,
    /// holiday-cn's flag: `true` a public holiday, `false` a make-up working day (调休上班).
    #[serde(rename = "isOffDay")]
    pub is_off_day: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "CalendarWire", into = "CalendarWire")]
pub struct Calendar {
    days: BTreeMap<NaiveDate, SpecialDay>,
}

/// The wire form: holiday-cn's own `{"days": [...]}` shape.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
struct CalendarWire {
    days: Vec<SpecialDay>,
}

/// The calendar travels as its wire form, and is described as such.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Calendar {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <CalendarWire as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Calendar {
    fn name() -> std::borrow::Cow<'static, str> {
        "Calendar".into()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <CalendarWire as utoipa::ToSchema>::schemas(schemas);
    }
}

impl From<CalendarWire> for Calendar {
    fn from(wire: CalendarWire) -> Self {
        let mut calendar = Calendar::default();
        calendar.add_days(wire.days);
        calendar
    }
}

impl From<Calendar> for CalendarWire {
    fn from(calendar: Calendar) -> Self {
        CalendarWire {
            days: calendar.days.into_values().collect(),
        }
    }
}

const EMBEDDED: &str = include_str!("../data/calendar.txt");

impl Calendar {
    /// The calendar compiled into the program (holiday-cn 2007–2027).
    pub fn embedded() -> Calendar {
        Calendar::from_compact(EMBEDDED).unwrap_or_default()
    }

    /// Later days replace earlier ones with the same date (a December date may sit in next
    /// year's holiday-cn file too).
    pub fn add_days(&mut self, days: impl IntoIterator<Item = SpecialDay>) {
        for day in days {
            self.days.insert(day.date, day);
        }
    }

    /// Merges one holiday-cn year file (`{"year":2018,"days":[{"name","date","isOffDay"}]}`).
    pub fn add_holiday_cn_json(&mut self, json: &str) -> Result<(), String> {
        let wire: CalendarWire = serde_json::from_str(json).map_err(|e| e.to_string())?;
        self.add_days(wire.days);
        Ok(())
    }

    /// Parses the compact text form: `2018-01-01 off 元旦` / `2018-02-11 work 春节`, `#` comments.
    pub fn from_compact(text: &str) -> Result<Calendar, String> {
        let mut calendar = Calendar::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ' ');
            let (Some(date), Some(kind)) = (parts.next(), parts.next()) else {
                return Err(format!(
                    "line {}: expected `date off|work name`",
                    number + 1
                ));
            };
            let date = crate::date::parse_iso(date)
                .ok_or_else(|| format!("line {}: bad date", number + 1))?;
            let is_off_day = match kind {
                "off" => true,
                "work" => false,
                _ => return Err(format!("line {}: expected off or work", number + 1)),
            };
            let name = parts.next().unwrap_or_default().to_owned();
            calendar.add_days([SpecialDay {
                date,
                name,
                is_off_day,
            }]);
        }
        Ok(calendar)
    }

    /// The compact text form, as `shared/data/calendar.txt` holds it.
    pub fn to_compact(&self) -> String {
        let mut out = String::from(
            "# Generated from holiday-cn/*.json (MIT, see holiday-cn/LICENSE) by `hpf calendar shared/data/holiday-cn`.\n\
             # One special day a line: date, off (public holiday) or work (调休 make-up working day), name.\n",
        );
        for day in self.days.values() {
            let kind = if day.is_off_day { "off" } else { "work" };
            out.push_str(&format!("{} {} {}\n", day.date, kind, day.name));
        }
        out
    }

    pub fn special_day(&self, date: NaiveDate) -> Option<&SpecialDay> {
        self.days.get(&date)
    }

    pub fn len(&self) -> usize {
        self.days.len()
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// 工作日: Monday to Friday unless a public holiday, and weekend make-up days.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(day) => !day.is_off_day,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The working days in `from ..= to`, at most `limit` of them.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate, limit: usize) -> Vec<NaiveDate> {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .take(limit)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn holidays_and_make_up_days() {
        let cal = Calendar::embedded();
        assert!(cal.len() > 600);
        assert!(!cal.is_working_day(ymd(2018, 1, 1))); // 元旦, a Monday
        assert!(cal.is_working_day(ymd(2018, 1, 5))); // the seed's business date, a Friday
        assert!(!cal.is_working_day(ymd(2018, 1, 6))); // Saturday
        assert!(cal.is_working_day(ymd(2018, 2, 11))); // 春节调休, a Sunday
        assert!(!cal.is_working_day(ymd(2018, 2, 16))); // 春节, a Friday
        assert!(cal.is_working_day(ymd(2026, 1, 4))); // 元旦调休, a Sunday
        assert!(!cal.is_working_day(ymd(2026, 10, 1))); // 国庆节
        assert_eq!(
            cal.special_day(ymd(2018, 2, 16)).map(|d| d.name.as_str()),
            Some("春节")
        );
    }

    #[test]
    fn working_days_between_dates() {
        let cal = Calendar::embedded();
        let days = cal.working_days(ymd(2018, 1, 6), ymd(2018, 1, 27), 100);
        assert_eq!(days.first(), Some(&ymd(2018, 1, 8)));
        assert_eq!(days.len(), 15);
    }

    #[test]
    fn compact_form_round_trips() {
        let cal = Calendar::embedded();
        assert_eq!(Calendar::from_compact(&cal.to_compact()).unwrap(), cal);
        assert_eq!(cal.to_compact(), EMBEDDED);
        assert!(Calendar::from_compact("2018-01-01 maybe 元旦").is_err());
        assert!(Calendar::from_compact("2018-13-01 off 元旦").is_err());
    }

    #[test]
    fn json_wire_form_round_trips() {
        let cal = Calendar::embedded();
        let json = serde_json::to_string(&cal).unwrap();
        assert!(json.contains("\"isOffDay\":true"));
        assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), cal);
    }

    /// The compiled-in file is exactly the holiday-cn sources converted: they cannot drift apart.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn embedded_calendar_matches_the_holiday_cn_sources() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/holiday-cn");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert_eq!(files.len(), 21);
        let mut cal = Calendar::default();
        for file in files {
            cal.add_holiday_cn_json(&std::fs::read_to_string(file).unwrap())
                .unwrap();
        }
        assert_eq!(cal.to_compact(), EMBEDDED);
    }
}
