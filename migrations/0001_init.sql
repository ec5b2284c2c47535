-- Schema version 1: the whole ledger of DESIGN.md §4.
-- Every user record: UUIDv7 id, created_at, updated_at, device_id of the last change.
-- Natural keys (信用代码, 身份证号, org name) are indexed but not UNIQUE: the same unit may be
-- created on two PCs and must survive an exchange as a merge candidate; the core refuses
-- duplicates on entry instead.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL  -- JSON
) STRICT;

CREATE TABLE dictionary (
    dict     TEXT NOT NULL,
    value    TEXT NOT NULL,
    synonyms TEXT NOT NULL DEFAULT '[]',  -- JSON array
    sort     INTEGER NOT NULL,
    PRIMARY KEY (dict, value)
) STRICT;

CREATE TABLE instructor (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    name     TEXT NOT NULL,
    employer TEXT,
    phone    TEXT,
    active   INTEGER NOT NULL
) STRICT;

CREATE TABLE unit (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    name                  TEXT NOT NULL,
    credit_code           TEXT,
    category              TEXT NOT NULL,
    industry              TEXT,
    area                  TEXT,
    address               TEXT,
    employees             INTEGER,
    above_scale           INTEGER NOT NULL,
    legal_rep             TEXT,
    legal_rep_is_member   INTEGER NOT NULL,
    has_union             INTEGER NOT NULL,
    has_youth_league      INTEGER NOT NULL,
    has_womens_federation INTEGER NOT NULL,
    status                TEXT NOT NULL,
    no_org_reason         TEXT,
    instructor_id         TEXT REFERENCES instructor(id),
    phone                 TEXT,
    note                  TEXT
) STRICT;
CREATE INDEX unit_name ON unit(name);
CREATE INDEX unit_credit_code ON unit(credit_code);
CREATE INDEX unit_area ON unit(area);
CREATE INDEX unit_instructor ON unit(instructor_id);

CREATE TABLE org (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    short_name TEXT,
    org_type   TEXT NOT NULL,
    formation  TEXT NOT NULL,
    parent_id  TEXT REFERENCES org(id),
    area       TEXT,
    founded_on TEXT,
    elected_on TEXT,
    term_years INTEGER NOT NULL,
    phone      TEXT,
    status     TEXT NOT NULL,
    committee  TEXT NOT NULL DEFAULT '[]'  -- JSON: [{role, name, member_id}]
) STRICT;
CREATE INDEX org_name ON org(name);
CREATE INDEX org_parent ON org(parent_id);

-- 覆盖单位: which units an org covers (many-to-many; a 联合党支部 covers several).
CREATE TABLE org_unit (
    org_id  TEXT NOT NULL REFERENCES org(id),
    unit_id TEXT NOT NULL REFERENCES unit(id),
    PRIMARY KEY (org_id, unit_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX org_unit_unit ON org_unit(unit_id);

CREATE TABLE member (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    name                  TEXT NOT NULL,
    gender                TEXT NOT NULL,
    ethnicity             TEXT,
    id_number             TEXT NOT NULL,
    birth_date            TEXT,
    education             TEXT,
    category              TEXT NOT NULL,
    status                TEXT NOT NULL,
    joined_on             TEXT NOT NULL,
    confirmed_on          TEXT,
    probation_extended_to TEXT,
    org_id                TEXT REFERENCES org(id),
    work_unit_id          TEXT REFERENCES unit(id),
    work_unit_name        TEXT,
    job                   TEXT,
    phone                 TEXT,
    is_mobile             INTEGER NOT NULL,
    mobile_to             TEXT,
    is_lost_contact       INTEGER NOT NULL,
    dues_base             INTEGER,  -- 分
    payer_kind            TEXT NOT NULL,
    note                  TEXT
) STRICT;
CREATE INDEX member_id_number ON member(id_number);
CREATE INDEX member_org ON member(org_id);
CREATE INDEX member_work_unit ON member(work_unit_id);
CREATE INDEX member_name ON member(name);

CREATE TABLE member_event (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    member_id   TEXT NOT NULL REFERENCES member(id),
    kind        TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    until       TEXT,
    org_id      TEXT REFERENCES org(id),
    place       TEXT,
    note        TEXT
) STRICT;
CREATE INDEX member_event_member ON member_event(member_id, occurred_on);

CREATE TABLE activity (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES org(id),
    types       TEXT NOT NULL,  -- JSON array of 组织生活类型
    held_on     TEXT NOT NULL,
    location    TEXT,
    host        TEXT,
    recorder    TEXT,
    topic       TEXT NOT NULL,
    summary     TEXT,
    expected    INTEGER NOT NULL,
    present     INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    absence_note TEXT,  -- 缺席名单及原因 as written, when there is no per-member attendance
    attachments TEXT NOT NULL DEFAULT '[]'
) STRICT;
CREATE INDEX activity_org ON activity(org_id, held_on);

CREATE TABLE attendance (
    activity_id TEXT NOT NULL REFERENCES activity(id),
    member_id   TEXT NOT NULL REFERENCES member(id),
    present     INTEGER NOT NULL,
    reason      TEXT,
    PRIMARY KEY (activity_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX attendance_member ON attendance(member_id);

CREATE TABLE checklist (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    code    TEXT NOT NULL,
    name    TEXT NOT NULL,
    version INTEGER NOT NULL,
    source  TEXT,
    items   TEXT NOT NULL,  -- JSON: [{code, label, hint}]
    UNIQUE (code, version)
) STRICT;

CREATE TABLE inspection (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    org_id         TEXT NOT NULL REFERENCES org(id),
    checklist_id   TEXT NOT NULL REFERENCES checklist(id),
    inspected_on   TEXT NOT NULL,
    inspector_kind TEXT NOT NULL,
    inspector_name TEXT NOT NULL,
    instructor_id  TEXT REFERENCES instructor(id),
    note           TEXT,
    items          TEXT NOT NULL  -- JSON: [{item_code, result, note, photo}]
) STRICT;
CREATE INDEX inspection_org ON inspection(org_id, inspected_on);

CREATE TABLE visit (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    instructor_id TEXT NOT NULL REFERENCES instructor(id),
    unit_id       TEXT NOT NULL REFERENCES unit(id),
    visited_on    TEXT NOT NULL,
    met_with      TEXT,
    findings      TEXT NOT NULL,
    followups     TEXT NOT NULL DEFAULT '[]',  -- JSON: [{content, due_on, closed_on}]
    photos        TEXT NOT NULL DEFAULT '[]'
) STRICT;
CREATE INDEX visit_unit ON visit(unit_id, visited_on);
CREATE INDEX visit_instructor ON visit(instructor_id, visited_on);

CREATE TABLE alliance (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    lead_org_id TEXT NOT NULL REFERENCES org(id),
    founded_on  TEXT,
    org_ids     TEXT NOT NULL DEFAULT '[]',
    unit_ids    TEXT NOT NULL DEFAULT '[]',
    note        TEXT
) STRICT;

CREATE TABLE dues (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    member_id  TEXT NOT NULL REFERENCES member(id),
    month      TEXT NOT NULL,  -- YYYY-MM
    base       INTEGER NOT NULL,  -- 分
    payer_kind TEXT NOT NULL,
    due        INTEGER NOT NULL,  -- 分
    paid       INTEGER,
    paid_on    TEXT
) STRICT;
CREATE INDEX dues_member ON dues(member_id, month);

-- Append-only change log: audit, 补记 detection and (later) exchange between PCs.
-- device_seq is a per-device counter so ordering never depends on a PC's wall clock.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    device_id  TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    parent_id  TEXT,  -- e.g. the member of a member_event
    op         TEXT NOT NULL,  -- insert | update
    changes    TEXT NOT NULL,  -- JSON: {field: [old, new]}
    UNIQUE (device_id, device_seq)
) STRICT;
CREATE INDEX change_log_record ON change_log(record_id);
CREATE INDEX change_log_parent ON change_log(parent_id);

CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, '变更日志只能追加，不能修改'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, '变更日志只能追加，不能删除'); END;

-- Nothing a user entered is hard-deleted: members leave by events, units and orgs by status.
CREATE TRIGGER unit_no_delete BEFORE DELETE ON unit BEGIN SELECT RAISE(ABORT, '单位不能删除，请改为注销状态'); END;
CREATE TRIGGER org_no_delete BEFORE DELETE ON org BEGIN SELECT RAISE(ABORT, '党组织不能删除，请改为撤销状态'); END;
CREATE TRIGGER member_no_delete BEFORE DELETE ON member BEGIN SELECT RAISE(ABORT, '党员不能删除，请登记转出、停止党籍等事件'); END;
CREATE TRIGGER member_event_no_delete BEFORE DELETE ON member_event BEGIN SELECT RAISE(ABORT, '党员事件不能删除'); END;
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN SELECT RAISE(ABORT, '组织生活记录不能删除'); END;
CREATE TRIGGER inspection_no_delete BEFORE DELETE ON inspection BEGIN SELECT RAISE(ABORT, '检查记录不能删除'); END;
CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit BEGIN SELECT RAISE(ABORT, '走访记录不能删除'); END;
CREATE TRIGGER dues_no_delete BEFORE DELETE ON dues BEGIN SELECT RAISE(ABORT, '党费记录不能删除'); END;
