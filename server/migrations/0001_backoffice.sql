-- The fund's back-office records (公积金后台) that the hall reads: members (缴存职工) and their
-- loans. Portable SQL: the same file runs on SQLite and PostgreSQL. Money is integer fen (BIGINT),
-- rates decimal text, dates ISO text (YYYY-MM-DD), enumerations snake_case text.

CREATE TABLE members (
    personal_account   TEXT PRIMARY KEY,            -- 个人账号
    name               TEXT NOT NULL,               -- 姓名
    id_type            TEXT NOT NULL DEFAULT 'id_card',
    id_number          TEXT NOT NULL UNIQUE,        -- 证件号码
    phone              TEXT NOT NULL,               -- 手机号
    gender             TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date         TEXT NOT NULL,
    female_baseline_50 BIGINT NOT NULL DEFAULT 0,   -- 1: 原法定退休年龄五十周岁的女职工
    unit_account       TEXT NOT NULL,               -- 单位账号
    unit_name          TEXT NOT NULL,               -- 单位名称
    account_status     TEXT NOT NULL CHECK (account_status IN ('normal', 'sealed', 'closed')),
    balance_fen        BIGINT NOT NULL CHECK (balance_fen >= 0),
    card_holder        TEXT,                        -- linked savings card (储蓄卡)
    card_bank          TEXT,
    card_number        TEXT,
    card_status        TEXT CHECK (card_status IN ('normal', 'frozen', 'cancelled')),
    updated_at         TEXT NOT NULL
);

CREATE INDEX members_phone ON members (phone);

CREATE TABLE withdrawal_materials (
    material_no      TEXT PRIMARY KEY,              -- 提取材料编号 (20 digits)
    personal_account TEXT NOT NULL REFERENCES members (personal_account),
    reason           TEXT NOT NULL,                 -- 提取原因
    address          TEXT NOT NULL,
    limit_fen        BIGINT NOT NULL CHECK (limit_fen >= 0),
    remaining_fen    BIGINT NOT NULL CHECK (remaining_fen >= 0),
    status           TEXT NOT NULL CHECK (status IN ('valid', 'invalid')),
    created_at       TEXT NOT NULL
);

CREATE INDEX withdrawal_materials_member ON withdrawal_materials (personal_account);

CREATE TABLE loans (
    borrower_no         TEXT PRIMARY KEY,           -- 借款人编号
    personal_account    TEXT NOT NULL REFERENCES members (personal_account),
    status              TEXT NOT NULL CHECK (status IN ('normal', 'settled')),
    disbursement_date   TEXT NOT NULL,              -- 放款日期
    amount_fen          BIGINT NOT NULL CHECK (amount_fen > 0),
    term_months         BIGINT NOT NULL CHECK (term_months > 0),
    balance_fen         BIGINT NOT NULL CHECK (balance_fen >= 0),
    loan_type           TEXT NOT NULL,              -- 贷款类型
    house_address       TEXT NOT NULL,              -- 购房地址
    annual_rate         TEXT NOT NULL,              -- 年利率 % as decimal text, e.g. '3.25'
    method              TEXT NOT NULL CHECK (method IN ('equal_installment', 'equal_principal')),
    due_day             BIGINT NOT NULL CHECK (due_day BETWEEN 1 AND 31),
    remaining_periods   BIGINT NOT NULL CHECK (remaining_periods >= 0),
    monthly_payment_fen BIGINT NOT NULL CHECK (monthly_payment_fen >= 0),
    last_due_date       TEXT NOT NULL,
    maturity_date       TEXT NOT NULL,
    arrears_fen         BIGINT NOT NULL DEFAULT 0 CHECK (arrears_fen >= 0),
    repay_card_holder   TEXT NOT NULL,              -- 还款储蓄账户
    repay_card_bank     TEXT NOT NULL,
    repay_card_number   TEXT NOT NULL,
    version             BIGINT NOT NULL DEFAULT 0,  -- bumped on every change (optimistic locking)
    updated_at          TEXT NOT NULL
);

CREATE INDEX loans_member ON loans (personal_account);
