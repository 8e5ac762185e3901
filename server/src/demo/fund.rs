//! The demo members' fund accounts: 缴存基数, 比例, 开户日期, 缴至年月 and a 缴存明细 from the
//! recorded history's start (1 July 2016, a 期初余额 row) to the demo's business date — every
//! month's 汇缴 at the member's own 月缴存额, their 补缴/提取/转入, and the 30 June 结息 computed
//! by `shared::fund` — that ends at exactly the balance the seed prints (冯七: 24,902.73).
//!
//! The one figure solved for is the 期初余额: the smallest carried balance whose history comes
//! to the member's balance (found by bisection on the same computation); a balance no history can
//! reach is an error, never rounded over.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use shared::fund::{interest, interest_year, Contribution, DepositRate, Entry, EntryKind};
use shared::money::{fen, from_fen, to_fen};

/// The recorded history starts here (the 结息年度 that began on 1 July 2016).
pub(super) const HISTORY_FROM: (i32, u32, u32) = (2016, 7, 1);
/// The demo's business date: the last row is before it.
pub(super) const DEMO_DATE: (i32, u32, u32) = (2018, 1, 5);

pub(super) struct DemoFund {
    pub(super) personal_account: &'static str,
    pub(super) base: &'static str,
    pub(super) unit_rate: &'static str,
    pub(super) personal_rate: &'static str,
    pub(super) opened_on: &'static str,
    /// 缴至年月: the last month remitted (a sealed account stopped then).
    pub(super) paid_through: &'static str,
    /// Other rows: date, kind, amount (a 补缴's parts are half each), period of a 补缴.
    pub(super) extra: &'static [(&'static str, EntryKind, &'static str, Option<&'static str>)],
}

pub(super) const FUNDS: &[DemoFund] = &[
    DemoFund {
        personal_account: "3934081", // 冯七
        base: "4000.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "2009-03-01",
        paid_through: "201712",
        extra: &[("2017-03-20", EntryKind::BackPay, "120.00", Some("201701"))],
    },
    DemoFund {
        personal_account: "3816301", // 佟一
        base: "6200.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "2008-07-01",
        paid_through: "201712",
        extra: &[],
    },
    DemoFund {
        personal_account: "4102201", // 王五, sealed since retiring in 2015
        base: "5000.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "1995-09-01",
        paid_through: "201504",
        extra: &[],
    },
    DemoFund {
        personal_account: "4102202", // 李梅
        base: "4500.00",
        unit_rate: "10",
        personal_rate: "10",
        opened_on: "2001-01-01",
        paid_through: "201712",
        extra: &[],
    },
    DemoFund {
        personal_account: "4102203", // 赵六, sealed at the end of 2016
        base: "3800.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "2000-05-01",
        paid_through: "201612",
        extra: &[],
    },
    DemoFund {
        personal_account: "4102204", // 陈静
        base: "3500.00",
        unit_rate: "8",
        personal_rate: "8",
        opened_on: "1998-01-01",
        paid_through: "201606",
        extra: &[],
    },
    DemoFund {
        personal_account: "3816302", // 孙八: drew 5,000 in 2017
        base: "3000.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "2010-04-01",
        paid_through: "201712",
        extra: &[("2017-04-10", EntryKind::Withdrawal, "5000.00", None)],
    },
    DemoFund {
        personal_account: "3816303", // 周九
        base: "4200.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "2012-08-01",
        paid_through: "201712",
        extra: &[],
    },
    DemoFund {
        personal_account: "3816304", // 吴十: a transfer from his previous employer's city
        base: "7000.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "2005-11-01",
        paid_through: "201712",
        extra: &[("2016-09-08", EntryKind::TransferIn, "10000.00", None)],
    },
    DemoFund {
        personal_account: "4102205", // 钱二
        base: "4800.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "1996-03-01",
        paid_through: "201412",
        extra: &[],
    },
    DemoFund {
        personal_account: "4102206", // 郑三
        base: "4100.00",
        unit_rate: "12",
        personal_rate: "12",
        opened_on: "1997-06-01",
        paid_through: "201611",
        extra: &[],
    },
];

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap_or_default()
}

impl DemoFund {
    pub(super) fn contribution(&self) -> Contribution {
        Contribution {
            base: dec(self.base),
            unit_rate: dec(self.unit_rate),
            personal_rate: dec(self.personal_rate),
        }
    }

    /// The rows with `opening` carried over, balances running.
    fn history(&self, opening: Decimal, rates: &[DepositRate]) -> Result<Vec<Entry>, String> {
        let from = ymd(HISTORY_FROM);
        let until = ymd(DEMO_DATE);
        let c = self.contribution();
        // Each row with its order within the day (the 期初余额 first, 结息 last); balances later.
        let row = |date: NaiveDate, kind, period, unit, personal, amount| Entry {
            date,
            kind,
            period,
            unit,
            personal,
            amount,
            balance: Decimal::ZERO,
        };
        let zero = Decimal::ZERO;
        let mut rows: Vec<(u8, Entry)> =
            vec![(0, row(from, EntryKind::Opening, None, zero, zero, opening))];
        let mut month = from;
        while month < until {
            let period = format!("{}{:02}", month.year(), month.month());
            if period.as_str() > self.paid_through {
                break;
            }
            rows.push((
                1,
                row(
                    month.with_day(15).unwrap_or(month),
                    EntryKind::Remittance,
                    Some(period),
                    c.unit_monthly(),
                    c.personal_monthly(),
                    c.monthly(),
                ),
            ));
            month = shared::date::add_months_on_day(month, 1, 1).ok_or("month overflow")?;
        }
        for (date, kind, amount, period) in self.extra {
            let amount = dec(amount);
            let (unit, personal) = if *kind == EntryKind::BackPay {
                let half = fen(amount / Decimal::TWO);
                (half, amount - half)
            } else {
                (zero, zero)
            };
            let date = shared::date::parse_iso(date).ok_or("bad demo date")?;
            let period = period.map(str::to_owned);
            rows.push((1, row(date, *kind, period, unit, personal, amount)));
        }
        // 结息 on each 30 June in the history, after that day's other rows.
        for year in from.year()..=until.year() {
            let (_, june_30) = interest_year(year).ok_or("bad year")?;
            if june_30 > from && june_30 < until {
                rows.push((2, row(june_30, EntryKind::Interest, None, zero, zero, zero)));
            }
        }
        rows.sort_by_key(|(order, e)| (e.date, *order));
        let mut entries: Vec<Entry> = Vec::with_capacity(rows.len());
        let mut balance = Decimal::ZERO;
        for (_, mut e) in rows {
            if e.kind == EntryKind::Interest {
                let changes: Vec<(NaiveDate, Decimal)> =
                    entries.iter().map(|e| (e.date, e.change())).collect();
                e.amount = interest(&changes, e.date.year(), rates)
                    .map_err(|e| e.message)?
                    .amount;
            }
            balance += e.change();
            e.balance = balance;
            entries.push(e);
        }
        Ok(entries)
    }

    /// The history that ends at `balance`, solving for the 期初余额.
    pub(super) fn solve(
        &self,
        balance: Decimal,
        rates: &[DepositRate],
    ) -> Result<Vec<Entry>, String> {
        let end = |opening_fen: i64| -> Result<(Decimal, Vec<Entry>), String> {
            let rows = self.history(from_fen(opening_fen), rates)?;
            Ok((rows.last().map_or(Decimal::ZERO, |e| e.balance), rows))
        };
        let target = to_fen(balance).ok_or("balance out of range")?;
        let (mut lo, mut hi) = (0_i64, target);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if end(mid)?.0 < balance {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let (reached, rows) = end(lo)?;
        if reached != balance {
            return Err(format!(
                "demo member {}: no 期初余额 makes the history end at {balance} (closest {reached})",
                self.personal_account
            ));
        }
        shared::fund::check_history(&rows).map_err(|e| e.message)?;
        Ok(rows)
    }
}

/// Writes the history of each demo member that has none yet (idempotent), with the member's
/// contribution columns.
pub(super) async fn load(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rates: &[DepositRate],
) -> Result<(), sqlx::Error> {
    for fund in FUNDS {
        let member = super::people::MEMBERS
            .iter()
            .find(|m| m.personal_account == fund.personal_account)
            .ok_or_else(|| {
                sqlx::Error::Protocol(format!("no demo member {}", fund.personal_account))
            })?;
        let held: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM fund_transactions WHERE personal_account = $1",
        )
        .bind(fund.personal_account)
        .fetch_one(&mut **tx)
        .await?;
        if held > 0 {
            continue;
        }
        let rows = fund
            .solve(dec(member.balance), rates)
            .map_err(sqlx::Error::Protocol)?;
        sqlx::query(
            "UPDATE members SET deposit_base_fen = $1, unit_rate = $2, personal_rate = $3, opened_on = $4, \
             paid_through = $5 WHERE personal_account = $6",
        )
        .bind(to_fen(dec(fund.base)).unwrap_or_default())
        .bind(fund.unit_rate)
        .bind(fund.personal_rate)
        .bind(fund.opened_on)
        .bind(fund.paid_through)
        .bind(fund.personal_account)
        .execute(&mut **tx)
        .await?;
        for (i, e) in rows.iter().enumerate() {
            crate::fund::insert_row(&mut **tx, fund.personal_account, i as i64 + 1, e).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_history_ends_at_the_seed_balance_and_adds_up() {
        let rates = shared::fund::default_deposit_rates();
        for fund in FUNDS {
            let member = super::super::people::MEMBERS
                .iter()
                .find(|m| m.personal_account == fund.personal_account)
                .unwrap();
            let rows = fund.solve(dec(member.balance), &rates).unwrap();
            assert_eq!(rows.last().unwrap().balance, dec(member.balance));
            assert!(rows[0].amount > Decimal::ZERO, "{}", fund.personal_account);
            for year in 2016..=2018 {
                shared::fund::statement(&rows, year).unwrap();
            }
        }
    }

    #[test]
    fn feng_qi_ends_at_the_manuals_24902_73() {
        let rates = shared::fund::default_deposit_rates();
        let rows = FUNDS[0].solve(dec("24902.73"), &rates).unwrap();
        // 18 months of 汇缴 at 4,000.00 × (12 % + 12 %) = 960.00, a 补缴, one 结息, the 期初余额.
        assert_eq!(rows.len(), 21);
        let remittances: Vec<&Entry> = rows
            .iter()
            .filter(|e| e.kind == EntryKind::Remittance)
            .collect();
        assert_eq!(remittances.len(), 18);
        assert!(remittances.iter().all(|e| e.amount == dec("960.00")));
        assert_eq!(rows.last().unwrap().date, ymd((2017, 12, 15)));
        assert_eq!(rows.last().unwrap().balance, dec("24902.73"));
    }
}
