-- Personal data at rest: members.id_number, members.phone, members.card_number and
-- loans.repay_card_number hold AES-256-GCM sealed values ("v1:…"); the *_lookup columns hold the
-- HMAC-SHA-256 the hall looks a member up by (and keeps 证件号码 unique with). web_accounts,
-- sms_codes and sms_outbox keep only the lookup form of an ID number or phone. The conversion of
-- rows written before this migration needs the key, so `hpf` does it at start-up
-- (server/src/protect.rs), once, recorded in data_protection with a check of the key.

ALTER TABLE members ADD COLUMN id_number_lookup TEXT;
ALTER TABLE members ADD COLUMN phone_lookup TEXT;
CREATE UNIQUE INDEX members_id_number_lookup ON members (id_number_lookup);
CREATE INDEX members_phone_lookup ON members (phone_lookup);

CREATE TABLE data_protection (
    id        BIGINT PRIMARY KEY,   -- always 1
    key_check TEXT NOT NULL         -- the lookup of a fixed text: a wrong key is refused at start
);
