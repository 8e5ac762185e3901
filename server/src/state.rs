//! What every handler can reach.

use crate::account::AccountConfig;
use crate::clock::Clock;
use crate::db::Db;
use shared::calendar::Calendar;
use shared::policy::Policy;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    pub calendar: Arc<Calendar>,
    pub policy: Arc<Policy>,
    pub accounts: Arc<AccountConfig>,
    /// Seals and looks up personal data (证件号码, 手机号, card numbers).
    pub key: Arc<crate::protect::DataKey>,
}
