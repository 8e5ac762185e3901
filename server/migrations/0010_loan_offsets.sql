-- 按月对冲 (monthly offset): while signed, each installment of the loan is paid from the fund
-- balance first and only the rest from the repayment card, by the end-of-day run on the due date.
-- One agreement at a time per loan: active_slot holds the borrower number while it is signed and
-- is cleared by 解约, so the database refuses a second one even when two requests race.
CREATE TABLE loan_offsets (
    id               TEXT PRIMARY KEY,
    borrower_no      TEXT NOT NULL REFERENCES loans (borrower_no),
    personal_account TEXT NOT NULL REFERENCES members (personal_account),
    signed_at        BIGINT NOT NULL,               -- Unix seconds of the business clock
    starts_on        TEXT NOT NULL,                 -- the first due date it pays
    cancelled_at     BIGINT,
    active_slot      TEXT UNIQUE
);

CREATE INDEX loan_offsets_loan ON loan_offsets (borrower_no);
