//! The `hpf` command line. Flags have environment mirrors (`DATABASE_URL`, `HPF_*`).

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "hpf", version, about = "公积金个人网厅 — server and tools")]
pub struct Cli {
    /// Log filter (error, warn, info, debug, or a tracing directive).
    #[arg(long, env = "HPF_LOG", default_value = "info", global = true)]
    pub log_level: String,
    /// `text` (one readable line per event) or `json` (one JSON object per line, with the
    /// request's id on request lines), for a log collector.
    #[arg(long, env = "HPF_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"], global = true)]
    pub log_format: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the hall: the built app from `--dist` and the JSON API under /api.
    Serve(Box<ServeArgs>),
    /// Run one trial (试算): a JSON object on stdin, the result as JSON on stdout.
    Trial(PolicyArgs),
    /// 还款规划: the loan under prepayment and rate-change events, and the prepayment a goal needs;
    /// a JSON object on stdin, the plan as JSON on stdout.
    Plan,
    /// 日终批处理: execute every reservation and withdrawal due on or before --date (each in its own
    /// transaction; running a date twice changes nothing the second time).
    Batch(BatchArgs),
    /// 导入: load or update members and loans from CSV files (all or nothing; see README).
    Import(ImportArgs),
    /// A consistent copy of an SQLite database while the hall runs (PostgreSQL: pg_dump, README).
    Backup(BackupArgs),
    /// Re-seal every personal datum (证件号码, 手机号, card numbers) under a new data key.
    RotateKey(RotateKeyArgs),
    /// Print the compact calendar (shared/data/calendar.txt) made from a holiday-cn directory.
    Calendar {
        /// A directory of holiday-cn year files (2007.json …).
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HPF_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The address citizens reach the hall at (`https://gjj.example.cn`): state-changing requests
    /// must come from exactly this origin. Default: the listen address (and `localhost` for a
    /// loopback one); on 0.0.0.0 / [::], the Host a request came to.
    #[arg(long, env = "HPF_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The data key (a file of 64 hex digits) sealing 证件号码, 手机号 and card numbers. Required,
    /// except with --demo, which makes one beside an SQLite database (or ./hpf-data.key).
    #[arg(long, env = "HPF_DATA_KEY_FILE")]
    pub data_key_file: Option<PathBuf>,
    /// sqlite://FILE?mode=rwc (created on first run) or postgres://USER@HOST:PORT/DB.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://hpf.db?mode=rwc")]
    pub database_url: String,
    /// The app built by Trunk.
    #[arg(long, env = "HPF_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Load the seed's demo people and loans (idempotent).
    #[arg(long, env = "HPF_DEMO")]
    pub demo: bool,
    /// Fix the business date-time, e.g. 2018-01-05T10:00:00+08:00 (it then runs on from there).
    /// Default: the real clock in Asia/Shanghai.
    #[arg(long, env = "HPF_CLOCK")]
    pub clock: Option<String>,
    /// Largest number of database connections.
    #[arg(long, env = "HPF_DB_CONNECTIONS", default_value_t = 8)]
    pub db_connections: u32,
    /// Minutes a session may sit idle, in seconds (tests make it short).
    #[arg(long, env = "HPF_SESSION_IDLE_SECONDS", default_value_t = 900)]
    pub session_idle_seconds: i64,
    /// TLS certificate chain (PEM) for serving HTTPS directly; needs --tls-key.
    #[arg(long, env = "HPF_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// TLS private key (PEM); needs --tls-cert.
    #[arg(long, env = "HPF_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
    /// Mark the session cookie Secure (set when the hall is served over TLS by a proxy).
    #[arg(long, env = "HPF_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Password hashes computed at once (each holds 19 MiB); default: one per core. A queue of 16
    /// per worker waits; a login beyond it is answered 503 系统繁忙 at once.
    #[arg(long, env = "HPF_ARGON2_WORKERS")]
    pub argon2_workers: Option<usize>,
    /// 附加码 one client address may fetch a minute (a person needs a few; a script more).
    #[arg(long, env = "HPF_CAPTCHAS_PER_MINUTE", default_value_t = 30)]
    pub captchas_per_minute: u32,
    /// Audit log entries are kept this many days; the daily run (--batch-at) deletes older ones.
    #[arg(long, env = "HPF_AUDIT_RETENTION_DAYS", default_value_t = 180)]
    pub audit_retention_days: u32,
    /// Seconds that in-flight requests get to finish after SIGTERM/SIGINT (HTTP and HTTPS); then
    /// the server stops whatever is still open.
    #[arg(long, env = "HPF_SHUTDOWN_GRACE", default_value_t = 30)]
    pub shutdown_grace: u64,
    /// Where Prometheus scrapes `GET /metrics` (e.g. 127.0.0.1:9300); off without it. Keep it
    /// off the public address: the counters are for the operator.
    #[arg(long, env = "HPF_METRICS_ADDR")]
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// The number of reverse proxies in front of hpf (0: none). With N, the client address is the
    /// Nth entry from the right of X-Forwarded-For — the one the outermost proxy appended; what a
    /// client wrote there itself stands further left and is ignored.
    #[arg(long, env = "HPF_TRUSTED_PROXIES", default_value_t = 0)]
    pub trusted_proxies: usize,
    /// HTTP SMS gateway URL; without it messages go to the log and the sms_outbox table.
    #[arg(long, env = "HPF_SMS_GATEWAY_URL")]
    pub sms_gateway_url: Option<String>,
    /// Credential for the SMS gateway (sent as a bearer token).
    #[arg(
        long,
        env = "HPF_SMS_GATEWAY_KEY",
        default_value = "",
        hide_env_values = true
    )]
    pub sms_gateway_key: String,
    /// The gateway's template id for verification codes.
    #[arg(
        long,
        env = "HPF_SMS_TEMPLATE",
        default_value = "hpf_verification_code"
    )]
    pub sms_template: String,
    /// Run the end-of-day batch in process every day at this business time (HH:MM), e.g. 18:00.
    /// Safe with several replicas: an application is executed once whoever runs it.
    #[arg(long, env = "HPF_BATCH_AT", value_parser = parse_time_of_day)]
    pub batch_at: Option<chrono::NaiveTime>,
    /// PostgreSQL connections the daily batch executes with (taken from --db-connections).
    #[arg(long, env = "HPF_BATCH_WORKERS", default_value_t = crate::batch::WORKERS)]
    pub batch_workers: usize,
    /// INSECURE, for browser tests only: captcha answers in responses and the SMS outbox over
    /// HTTP. Refused without --demo.
    #[arg(long, env = "HPF_INSECURE_TEST_HOOKS")]
    pub insecure_test_hooks: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args, Clone, Default)]
pub struct PolicyArgs {
    /// A JSON file overriding the default policy (business hours, blackout windows, …).
    #[arg(long, env = "HPF_POLICY")]
    pub policy: Option<PathBuf>,
    /// A holiday-cn directory replacing the compiled-in calendar.
    #[arg(long, env = "HPF_CALENDAR")]
    pub calendar: Option<PathBuf>,
}

fn parse_time_of_day(text: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(text, "%H:%M")
        .map_err(|_| format!("expected HH:MM (business time), got '{text}'"))
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("expected YYYY-MM-DD, got '{text}'"))
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The business date to execute (what is due on or before it).
    #[arg(long, value_parser = parse_day)]
    pub date: chrono::NaiveDate,
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://hpf.db?mode=rwc")]
    pub database_url: String,
    /// The closing time recorded on the applications (default: the real clock).
    #[arg(long, env = "HPF_CLOCK")]
    pub clock: Option<String>,
    /// PostgreSQL connections executing at once (SQLite always uses one).
    #[arg(long, env = "HPF_BATCH_WORKERS", default_value_t = crate::batch::WORKERS)]
    pub workers: usize,
    /// Audit log entries are kept this many days; the run deletes older ones.
    #[arg(long, env = "HPF_AUDIT_RETENTION_DAYS", default_value_t = 180)]
    pub audit_retention_days: u32,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Members (缴存职工) CSV.
    #[arg(long)]
    pub members: Option<PathBuf>,
    /// Loans CSV (their members must exist in the database or in --members).
    #[arg(long)]
    pub loans: Option<PathBuf>,
    /// 缴存明细 CSV: each member's rows in order, ending at the member's balance; they replace
    /// the member's history.
    #[arg(long)]
    pub deposits: Option<PathBuf>,
    /// Property records CSV (id_number, address): who owns a house in the city; each person named
    /// gets exactly the file's records.
    #[arg(long)]
    pub properties: Option<PathBuf>,
    /// 提取材料 CSV (material_no, personal_account, reason, address, limit, remaining, status
    /// 有效/失效): each put in place by its number — added, or its figures and status replaced.
    #[arg(long)]
    pub materials: Option<PathBuf>,
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://hpf.db?mode=rwc")]
    pub database_url: String,
    /// The data key (64 hex digits) the personal data is sealed with.
    #[arg(long, env = "HPF_DATA_KEY_FILE")]
    pub data_key_file: PathBuf,
    /// The policy whose deposit rates check imported 结息 rows.
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file (it must not exist yet).
    #[arg(long)]
    pub to: PathBuf,
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://hpf.db?mode=rwc")]
    pub database_url: String,
}

#[derive(Debug, Args)]
pub struct RotateKeyArgs {
    /// The key the data is sealed with now.
    #[arg(long, env = "HPF_DATA_KEY_FILE")]
    pub data_key_file: PathBuf,
    /// The new key (64 hex digits): every sealed value and lookup is rewritten under it.
    #[arg(long)]
    pub new_key_file: PathBuf,
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://hpf.db?mode=rwc")]
    pub database_url: String,
}
