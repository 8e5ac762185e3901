-- The fund account itself (个人公积金账户): the member's 缴存基数 and 比例, 开户日期, 缴至年月, and every
-- movement of the balance (缴存明细: 期初余额, 汇缴, 补缴, 结息, 提取, 转入, 转出). Replaces
-- member_transactions, which held the hall's withdrawals only.
-- NULL: not recorded (shown as 未登记, never as 0).
ALTER TABLE members ADD COLUMN deposit_base_fen BIGINT CHECK (deposit_base_fen >= 0);
ALTER TABLE members ADD COLUMN unit_rate TEXT;                           -- 单位缴存比例 %, decimal text
ALTER TABLE members ADD COLUMN personal_rate TEXT;                       -- 个人缴存比例 %
ALTER TABLE members ADD COLUMN opened_on TEXT;                           -- 开户日期, NULL: not recorded
ALTER TABLE members ADD COLUMN paid_through TEXT;                        -- 缴至年月 YYYYMM, NULL: never paid

CREATE TABLE fund_transactions (
    id                TEXT PRIMARY KEY,
    personal_account  TEXT NOT NULL REFERENCES members (personal_account),
    seq               BIGINT NOT NULL,                 -- the member's rows in order
    txn_date          TEXT NOT NULL,                   -- 记账日期
    kind              TEXT NOT NULL CHECK (kind IN ('opening', 'remittance', 'back_pay', 'interest',
                                                    'withdrawal', 'transfer_in', 'transfer_out')),
    period            TEXT,                            -- 缴存年月 YYYYMM of 汇缴/补缴
    unit_fen          BIGINT NOT NULL DEFAULT 0 CHECK (unit_fen >= 0),
    personal_fen      BIGINT NOT NULL DEFAULT 0 CHECK (personal_fen >= 0),
    amount_fen        BIGINT NOT NULL CHECK (amount_fen >= 0),
    balance_after_fen BIGINT NOT NULL CHECK (balance_after_fen >= 0),
    application_no    TEXT UNIQUE REFERENCES applications (application_no),
    UNIQUE (personal_account, seq)
);

-- The hall's withdrawals so far: each member's first one becomes a 期初余额 of the amount paid
-- out and the withdrawal after it, so that the history adds up; a later one (an account reopened
-- by an import) follows.
INSERT INTO fund_transactions (id, personal_account, seq, txn_date, kind, amount_fen, balance_after_fen)
    SELECT id || '-opening', personal_account, 1, txn_date, 'opening', amount_fen, amount_fen
    FROM member_transactions m
    WHERE NOT EXISTS (SELECT 1 FROM member_transactions e WHERE e.personal_account = m.personal_account
                      AND (e.txn_date < m.txn_date OR (e.txn_date = m.txn_date AND e.id < m.id)));
INSERT INTO fund_transactions (id, personal_account, seq, txn_date, kind, amount_fen, balance_after_fen, application_no)
    SELECT id, personal_account,
           1 + (SELECT COUNT(*) FROM member_transactions e WHERE e.personal_account = m.personal_account
                AND (e.txn_date < m.txn_date OR (e.txn_date = m.txn_date AND e.id <= m.id))),
           txn_date, kind, amount_fen, balance_after_fen, application_no
    FROM member_transactions m;
DROP TABLE member_transactions;
