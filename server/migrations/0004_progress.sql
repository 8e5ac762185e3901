-- 业务进度查询, 日终批处理 and 提取: when an application was closed (its timeline is the submission
-- and, once closed, the closing), the member's account transactions (个人明细), and an index for
-- the end-of-day run's "what is due".

ALTER TABLE applications ADD COLUMN closed_at BIGINT;

-- Partial: an executed application leaves the index instead of adding an entry to it.
CREATE INDEX applications_due ON applications (effective_date) WHERE status IN ('reserved', 'accepted');

CREATE TABLE member_transactions (
    id                TEXT PRIMARY KEY,
    personal_account  TEXT NOT NULL REFERENCES members (personal_account),
    txn_date          TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('withdrawal')),
    amount_fen        BIGINT NOT NULL CHECK (amount_fen >= 0),
    balance_after_fen BIGINT NOT NULL CHECK (balance_after_fen >= 0),
    application_no    TEXT UNIQUE REFERENCES applications (application_no)
);

CREATE INDEX member_transactions_member ON member_transactions (personal_account, txn_date);
