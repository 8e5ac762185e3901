-- 贷款: the loan's transactions (明细), its events (变更还款账号 …), and every application a citizen
-- makes (预约 and 受理), shared with 提取 and 业务进度查询.

CREATE TABLE loan_transactions (
    id                TEXT PRIMARY KEY,
    borrower_no       TEXT NOT NULL REFERENCES loans (borrower_no),
    seq               BIGINT NOT NULL,
    txn_date          TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('disbursement', 'installment', 'prepayment', 'settlement')),
    amount_fen        BIGINT NOT NULL,
    principal_fen     BIGINT NOT NULL,
    interest_fen      BIGINT NOT NULL,
    balance_after_fen BIGINT NOT NULL CHECK (balance_after_fen >= 0),
    UNIQUE (borrower_no, seq)
);

CREATE TABLE loan_events (
    id          TEXT PRIMARY KEY,
    borrower_no TEXT NOT NULL REFERENCES loans (borrower_no),
    at          BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL                      -- never a whole card number
);

CREATE INDEX loan_events_loan ON loan_events (borrower_no, at);

CREATE TABLE applications (
    application_no   TEXT PRIMARY KEY,
    personal_account TEXT NOT NULL REFERENCES members (personal_account),
    borrower_no      TEXT REFERENCES loans (borrower_no),
    kind             TEXT NOT NULL CHECK (kind IN ('partial_prepayment', 'settlement', 'adjust_term', 'change_account', 'withdrawal')),
    status           TEXT NOT NULL CHECK (status IN ('reserved', 'accepted', 'done', 'cancelled', 'rejected')),
    submitted_at     BIGINT NOT NULL,
    effective_date   TEXT,
    amount_fen       BIGINT,
    request_json     TEXT NOT NULL,
    figures_json     TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    -- The loan (or member) while the application is open, NULL once closed: at most one open
    -- application per loan, enforced by the database even under concurrent submissions.
    open_slot        TEXT UNIQUE,
    reason           TEXT,
    answer_json      TEXT NOT NULL,                -- the first answer, replayed for a repeated key
    UNIQUE (personal_account, idempotency_key)
);

CREATE INDEX applications_member ON applications (personal_account, submitted_at);
