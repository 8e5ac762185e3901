-- Numbers handed out in order (申请编号 per business date, 提取材料编号 per year): one row per
-- series, moved by one atomic upsert, never MAX+1 and never random.
CREATE TABLE counters (
    series TEXT PRIMARY KEY,
    value  BIGINT NOT NULL
);

-- 新增提取材料 takes an idempotency key like every submission: a repeated one returns the first.
ALTER TABLE withdrawal_materials ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX withdrawal_materials_key ON withdrawal_materials (personal_account, idempotency_key);

-- /api/health/ready writes here: a database that cannot take a write (disk full, read-only file)
-- is not ready, whatever a read says.
CREATE TABLE readiness (
    id         BIGINT PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
INSERT INTO readiness (id, checked_at) VALUES (1, 0);
