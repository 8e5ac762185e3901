-- 注册 / 登录: web accounts, sessions (in the database, so several hpf replicas serve one user),
-- image captchas, SMS codes and their outbox, and the audit log of authentication events.
-- Times are Unix seconds of the business clock.

CREATE TABLE web_accounts (
    personal_account    TEXT PRIMARY KEY REFERENCES members (personal_account),
    id_number           TEXT NOT NULL UNIQUE,       -- the login name
    phone               TEXT NOT NULL,              -- also a login name
    password_hash       TEXT NOT NULL,              -- Argon2id PHC string
    failed_logins       BIGINT NOT NULL DEFAULT 0,  -- consecutive failures
    locked_until        BIGINT,
    created_at          BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);

CREATE INDEX web_accounts_phone ON web_accounts (phone);

CREATE TABLE sessions (
    token_hash       TEXT PRIMARY KEY,              -- SHA-256 of the cookie value
    personal_account TEXT NOT NULL REFERENCES web_accounts (personal_account),
    created_at       BIGINT NOT NULL,
    last_seen_at     BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL                -- the absolute lifetime
);

CREATE INDEX sessions_account ON sessions (personal_account);

CREATE TABLE captchas (
    id          TEXT PRIMARY KEY,
    answer_hash TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used        BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sms_codes (
    id         TEXT PRIMARY KEY,
    phone      TEXT NOT NULL,
    purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'reset')),
    code_hash  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    consumed   BIGINT NOT NULL DEFAULT 0,
    client_ip  TEXT NOT NULL
);

CREATE INDEX sms_codes_phone ON sms_codes (phone, purpose, created_at);
CREATE INDEX sms_codes_ip ON sms_codes (client_ip, created_at);

-- What the log/outbox sender "sent": the demo's phone. A real gateway is configured instead in
-- production.
CREATE TABLE sms_outbox (
    id         TEXT PRIMARY KEY,
    phone      TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at BIGINT NOT NULL                      -- Unix milliseconds: orders messages sent in one second
);

CREATE INDEX sms_outbox_phone ON sms_outbox (phone, created_at);

-- Authentication events; never a password, code or captcha answer.
CREATE TABLE audit_log (
    id               TEXT PRIMARY KEY,
    at               BIGINT NOT NULL,
    event            TEXT NOT NULL,                 -- register, login, lock, reset, logout, sms
    personal_account TEXT,
    client_ip        TEXT NOT NULL,
    result           TEXT NOT NULL                  -- ok, or the refusal code
);

CREATE INDEX audit_log_at ON audit_log (at);
