//! Helpers of the `hpf import` tests: the files' headers, a data key in a file, and the command.

use super::temp_dir;
use std::process::Command;

/// An 18-character ID number with its GB 11643 check character (the rule's own tests are in
/// `shared::account`).
pub fn id(first17: &str) -> String {
    format!(
        "{first17}{}",
        shared::account::id_check_char(first17).unwrap()
    )
}

pub const MEMBERS_HEADER: &str = "personal_account,name,id_number,phone,unit_account,unit_name,account_status,balance,card_bank,card_number,card_status";
pub const DEPOSITS_HEADER: &str =
    "personal_account,date,kind,period,unit_amount,personal_amount,amount,balance";
pub const LOANS_HEADER: &str = "borrower_no,personal_account,status,disbursement_date,amount,term_months,balance,loan_type,house_address,annual_rate,method,remaining_periods,monthly_payment,last_due_date,maturity_date,arrears,repay_card_bank,repay_card_number";

/// A data key in a file, as the back office keeps it.
pub fn data_key() -> (std::path::PathBuf, server::protect::DataKey) {
    let hex = server::protect::DataKey::generate_hex();
    let path = temp_dir("hpf_import_key").join("hpf-data.key");
    std::fs::write(&path, &hex).unwrap();
    (path, server::protect::DataKey::from_hex(&hex).unwrap())
}

pub fn import(
    url: &str,
    key: &std::path::Path,
    members: &str,
    loans: &str,
) -> (bool, String, String) {
    import_files(url, key, &[("members", members), ("loans", loans)])
}

pub fn import_with(
    url: &str,
    key: &std::path::Path,
    members: &str,
    loans: &str,
    deposits: Option<&str>,
) -> (bool, String, String) {
    let mut files = vec![("members", members), ("loans", loans)];
    files.extend(deposits.map(|d| ("deposits", d)));
    import_files(url, key, &files)
}

/// `hpf import` with each (kind, content) written to `<kind>.csv` and passed as `--<kind>`.
pub fn import_files(
    url: &str,
    key: &std::path::Path,
    files: &[(&str, &str)],
) -> (bool, String, String) {
    let dir = temp_dir("hpf_import");
    let mut command = Command::new(env!("CARGO_BIN_EXE_hpf"));
    command
        .args(["import", "--database-url", url, "--log-level", "warn"])
        .arg("--data-key-file")
        .arg(key);
    for (kind, content) in files {
        let path = dir.join(format!("{kind}.csv"));
        std::fs::write(&path, content).unwrap();
        command.arg(format!("--{kind}")).arg(path);
    }
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
