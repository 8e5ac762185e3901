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
}
