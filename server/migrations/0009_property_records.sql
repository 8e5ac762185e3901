-- 租房提取 is refused to a citizen who owns a house in the city: the housing authority's records of
-- who owns what, imported by the back office (`hpf import --properties`). The 证件号码 is sealed like
-- the members' and found by its HMAC lookup; an import replaces the records of each person it names.
CREATE TABLE property_records (
    id_number_lookup TEXT NOT NULL,
    id_number        TEXT NOT NULL,                 -- sealed
    address          TEXT NOT NULL,                 -- 房屋坐落
    imported_at      TEXT NOT NULL
);

CREATE INDEX property_records_owner ON property_records (id_number_lookup);
