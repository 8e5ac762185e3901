-- 登录 attempts per login, counted before the password is verified: one row per web account
-- (`acct:<个人账号>`) and one per unknown login name (`name:<SHA-256 of the name>`), so an unknown
-- name is answered exactly like a registered one, lock included. The web_accounts counters are
-- no longer used.

CREATE TABLE login_throttle (
    throttle_key  TEXT PRIMARY KEY,
    failed_logins BIGINT NOT NULL DEFAULT 0,  -- attempts claimed since the last success or lock
    locked_until  BIGINT                      -- Unix seconds of the business clock
);

-- What an audit entry is about, masked (the phone an SMS went to: 139****0002).
ALTER TABLE audit_log ADD COLUMN detail TEXT;

-- 附加码 creation is limited per client address, and the table's size is capped.
ALTER TABLE captchas ADD COLUMN client_ip TEXT;
CREATE INDEX captchas_client ON captchas (client_ip, expires_at);
CREATE INDEX captchas_expiry ON captchas (expires_at);

-- 短信验证码登录: a third purpose. The CHECK cannot be altered in SQLite, so the table is rebuilt
-- (the same statements on both databases).
CREATE TABLE sms_codes_new (
    id         TEXT PRIMARY KEY,
    phone      TEXT NOT NULL,
    purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'reset', 'login')),
    code_hash  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    consumed   BIGINT NOT NULL DEFAULT 0,
    client_ip  TEXT NOT NULL
);
INSERT INTO sms_codes_new (id, phone, purpose, code_hash, created_at, expires_at, attempts, consumed, client_ip)
    SELECT id, phone, purpose, code_hash, created_at, expires_at, attempts, consumed, client_ip FROM sms_codes;
DROP TABLE sms_codes;
ALTER TABLE sms_codes_new RENAME TO sms_codes;
CREATE INDEX sms_codes_phone ON sms_codes (phone, purpose, created_at);
CREATE INDEX sms_codes_ip ON sms_codes (client_ip, created_at);
