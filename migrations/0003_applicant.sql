-- Schema version 3: 发展党员 — people on the path into the party (DESIGN.md §4).

CREATE TABLE applicant (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, device_id TEXT NOT NULL,
    name            TEXT NOT NULL,
    gender          TEXT NOT NULL,
    ethnicity       TEXT,
    id_number       TEXT NOT NULL,
    birth_date      TEXT,
    education       TEXT,
    work_unit_id    TEXT REFERENCES unit(id),
    work_unit_name  TEXT,
    job             TEXT,
    phone           TEXT,
    org_id          TEXT NOT NULL REFERENCES org(id),  -- 培养党组织
    stage           TEXT NOT NULL,                     -- 发展阶段, from the steps
    applied_on      TEXT NOT NULL,                     -- 递交入党申请书
    talked_on       TEXT,
    activist_on     TEXT,
    contact_ids     TEXT NOT NULL,                     -- JSON: 培养联系人 (member ids)
    assessments     TEXT NOT NULL,                     -- JSON: [{on, note}] 培养考察
    candidate_on    TEXT,
    review_on       TEXT,
    review_result   TEXT,
    training_from   TEXT,
    training_to     TEXT,
    training_hours  INTEGER,
    pre_review_on   TEXT,
    publicity_from  TEXT,
    publicity_to    TEXT,
    sponsor_ids     TEXT NOT NULL,                     -- JSON: 入党介绍人 (member ids)
    sponsors_on     TEXT,                              -- 确定入党介绍人
    admitted_on     TEXT,                              -- 支部大会接收
    member_id       TEXT REFERENCES member(id),        -- the 预备党员 record it became
    approved_on     TEXT,
    left_on         TEXT,
    left_reason     TEXT,
    note            TEXT,
    merged_into     TEXT REFERENCES applicant(id)
) STRICT;
CREATE INDEX applicant_id_number ON applicant(id_number);
CREATE INDEX applicant_org ON applicant(org_id, stage);
CREATE INDEX applicant_name ON applicant(name);
CREATE INDEX applicant_member ON applicant(member_id);
