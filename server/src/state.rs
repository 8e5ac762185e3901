//! What every handler can reach.

use crate::account::AccountConfig;
use crate::clock::Clock;
use crate::db::Db;
use shared::calendar::Calendar;
use shared::policy::Policy;
use std::sync::Arc;

/// One allocation shared by every request: a clone (axum makes several per request, one per
/// layer and extractor that takes the state) is one reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<Hall>);

impl std::ops::Deref for AppState {
    type Target = Hall;
    fn deref(&self) -> &Hall {
        &self.0
    }
}

impl From<Hall> for AppState {
    fn from(hall: Hall) -> Self {
        AppState(Arc::new(hall))
    }
}

/// The hall's parts.
pub struct Hall {
    pub db: Db,
    pub clock: Clock,
    pub calendar: Arc<Calendar>,
    pub policy: Arc<Policy>,
    pub accounts: Arc<AccountConfig>,
    /// Seals and looks up personal data (证件号码, 手机号, card numbers).
    pub key: Arc<crate::protect::DataKey>,
}
