//! The command-line tools beside the server: `hpf trial` and `hpf plan` (the engines on JSON) and
//! `hpf calendar`.

use serde::{Deserialize, Serialize};
use shared::calendar::Calendar;
use shared::loan::{run_trial, Loan, TrialRequest};
use shared::policy::Policy;
use shared::ApiError;
use std::path::Path;

#[derive(Deserialize)]
struct TrialInput {
    loan: Loan,
    request: TrialRequest,
}

#[derive(Serialize)]
struct ErrorOutput {
    error: ApiError,
}

/// One trial: JSON in, JSON out. `Err` carries the error object to print (the exit is non-zero).
pub fn trial(input: &str, policy: &Policy) -> Result<String, String> {
    let outcome = serde_json::from_str::<TrialInput>(input)
        .map_err(|e| ApiError::new("invalid_request", format!("请求格式不正确：{e}")))
        .and_then(|input| run_trial(&input.loan, &input.request, policy));
    match outcome {
        Ok(response) => Ok(to_json(&response)),
        Err(error) => Err(to_json(&ErrorOutput { error })),
    }
}

/// `hpf plan`: the 还款规划 engine on JSON, like [`trial`].
pub fn plan(input: &str) -> Result<String, String> {
    let outcome = serde_json::from_str::<shared::plan::PlanInput>(input)
        .map_err(|e| ApiError::new("invalid_request", format!("请求格式不正确：{e}")))
        .and_then(|input| shared::plan::answer(&input));
    match outcome {
        Ok(answer) => Ok(to_json(&answer)),
        Err(error) => Err(to_json(&ErrorOutput { error })),
    }
}

/// The outputs are plain data (strings, numbers, dates), so serialising them cannot fail.
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A calendar from a holiday-cn directory (year files in name order, later files win).
pub fn calendar_from_dir(dir: &Path) -> Result<Calendar, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the calendar directory {}: {e}", dir.display()))?;
    let mut files: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "json") && !path.ends_with("schema.json")
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no holiday-cn year files (*.json) in {}",
            dir.display()
        ));
    }
    let mut calendar = Calendar::default();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        calendar
            .add_holiday_cn_json(&text)
            .map_err(|e| format!("{} is not a holiday-cn file: {e}", file.display()))?;
    }
    Ok(calendar)
}

pub fn policy_from_file(path: &Path) -> Result<Policy, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the policy file {}: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("the policy file {} is not valid: {e}", path.display()))
}
