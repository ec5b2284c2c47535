-- Schema version 2: moving data between PCs (DESIGN.md §7).

-- Per changed field, the version(s) it was based on: {"field": ["device:seq", …]}. Lets a PC
-- tell a change made on top of its own from one made concurrently, without trusting clocks.
ALTER TABLE change_log ADD COLUMN bases TEXT NOT NULL DEFAULT '{}';
-- Fields of an imported entry that did not take effect here (older than the local value, or
-- in conflict with it): ["field", …].
ALTER TABLE change_log ADD COLUMN skipped TEXT NOT NULL DEFAULT '[]';

-- Two versions of a field made independently with the same value (the same record created on
-- two PCs, say): equivalent for deciding what a later change was made on top of.
CREATE TABLE field_alias (
    record_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    version   TEXT NOT NULL,
    same_as   TEXT NOT NULL,
    PRIMARY KEY (record_id, field, version, same_as)
) STRICT, WITHOUT ROWID;

-- PCs this ledger has heard of, with their names for people.
CREATE TABLE device (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
) STRICT;

-- What this PC has sent to each destination: the highest device_seq of each origin device.
CREATE TABLE exchange_sent (
    destination TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    max_seq     INTEGER NOT NULL,
    PRIMARY KEY (destination, device_id)
) STRICT, WITHOUT ROWID;

-- Every package written or imported, for people and for troubleshooting.
CREATE TABLE exchange_log (
    id          TEXT PRIMARY KEY,   -- the package id
    direction   TEXT NOT NULL,      -- export | import
    peer_device TEXT,
    at          TEXT NOT NULL,
    summary     TEXT NOT NULL       -- JSON
) STRICT;

-- A field changed on two PCs to different values: the local value stays, the incoming one
-- waits here for a person to decide.
CREATE TABLE conflict (
    id               TEXT PRIMARY KEY,
    entity           TEXT NOT NULL,
    record_id        TEXT NOT NULL,
    field            TEXT NOT NULL,
    local_value      TEXT NOT NULL,  -- JSON
    local_version    TEXT NOT NULL,  -- device:seq
    incoming_value   TEXT NOT NULL,  -- JSON
    incoming_version TEXT NOT NULL,
    detected_at      TEXT NOT NULL,
    resolved_at      TEXT,
    resolution       TEXT,
    resolved_by      TEXT
) STRICT;
CREATE INDEX conflict_open ON conflict(record_id, field) WHERE resolved_at IS NULL;

-- A duplicate merged into another record keeps existing, pointing at the survivor.
ALTER TABLE member ADD COLUMN merged_into TEXT REFERENCES member(id);
ALTER TABLE unit ADD COLUMN merged_into TEXT REFERENCES unit(id);
