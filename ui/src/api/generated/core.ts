// Generated from the Rust types by ts-rs (src/ui_types.rs): do not edit by hand.
// After changing a type that crosses to the window: UPDATE_UI_TYPES=1 cargo test ui_types

/** A record as the core serialises it: its fields by name, and its bookkeeping. */
export type Rec = Record<string, unknown> & Meta;

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

/**
 * A record id: UUIDv7, generated on the PC that created the record, stored as text.
 */
export type Id = string;

export type Entity = "unit" | "org" | "member" | "member_event" | "activity" | "checklist" | "inspection" | "instructor" | "visit" | "alliance" | "dues" | "applicant";

/**
 * A list stored as one JSON text column (activity types, photo paths).
 */
export type JsonList<T> = Array<T>;

/**
 * Bookkeeping every record carries: id, when created and last changed, and on which PC.
 */
export type Meta = { id: Id, created_at: string, updated_at: string, 
/**
 * 设备编号 of the PC that last changed the record.
 */
device_id: string, };

/**
 * One invalid field: which field (machine name and Chinese label) and why.
 */
export type FieldError = { field: string, label: string, message: string, };

/**
 * 党员事件 — the member's history; status and category change only through these.
 */
export type MemberEventKind = "发展" | "转正" | "延长预备期" | "转入" | "转出" | "停止党籍" | "出党" | "死亡";

/**
 * 发展阶段 — where a person on the path into the party stands, derived from their steps.
 */
export type ApplicantStage = "入党申请人" | "入党积极分子" | "发展对象" | "预备党员" | "已停止培养";

/**
 * 发展步骤 — one dated step on the path (《中国共产党发展党员工作细则》第二至五章).
 */
export type ApplicantStep = "谈话" | "确定为入党积极分子" | "培养考察" | "确定为发展对象" | "政治审查" | "集中培训" | "预审" | "公示" | "确定入党介绍人" | "支部大会接收" | "上级党委审批" | "不再列为培养对象";

/**
 * 到期 — a step with a time limit that is not done: by when, counted from what.
 */
export type StepDue = { step: ApplicantStep, 
/**
 * The last day it is in time.
 */
due: string, 
/**
 * The day the limit is counted from.
 */
since: string, 
/**
 * What it is counted from, and the rule, in Chinese.
 */
basis: string, };

/**
 * 下一步 — a step the person may take now (the forms offer only these), with the earliest
 * day the rules allow and the day it is due, where they set one.
 */
export type NextStep = { step: ApplicantStep, earliest: string | null, due: string | null, 
/**
 * What the step still needs or why its dates are so, in Chinese.
 */
note: string, };

/**
 * 党员事件 — one step in a member's history. Events are never edited or deleted.
 */
export type MemberEvent = { member_id: Id, kind: MemberEventKind, 
/**
 * 日期
 */
occurred_on: string, 
/**
 * 延长预备期至 (only for 延长预备期)
 */
until: string | null, 
/**
 * 转入的党组织 (only for 转入)
 */
org_id: Id | null, 
/**
 * 转出去向 / 转入来源 / 原因
 */
place: string | null, 
/**
 * 备注
 */
note: string | null, id: Id, created_at: string, updated_at: string, 
/**
 * 设备编号 of the PC that last changed the record.
 */
device_id: string, };

/**
 * One item of a checklist, e.g. 有党旗.
 */
export type ChecklistItem = { 
/**
 * Stable code, e.g. `flag`
 */
code: string, 
/**
 * 名称, e.g. 有党旗
 */
label: string, 
/**
 * 检查要点
 */
hint: string | null, };

/**
 * A versioned checklist definition (十个有, 六有 …). Shipped ones live in assets/checklists/.
 */
export type Checklist = { 
/**
 * e.g. `shi_ge_you`
 */
code: string, 
/**
 * 名称, e.g. 十个有
 */
name: string, version: number, 
/**
 * 依据 — where the definition comes from
 */
source: string | null, items: JsonList<ChecklistItem>, id: Id, created_at: string, updated_at: string, 
/**
 * 设备编号 of the PC that last changed the record.
 */
device_id: string, };

/**
 * What a change-log entry did to its record (`insert` | `update` in the log and packages).
 */
export type Op = "insert" | "update";

/**
 * One entry of the change log.
 */
export type ChangeEntry = { seq: number, id: string, device_id: string, 
/**
 * Per-device counter: orders a device's changes without trusting its clock.
 */
device_seq: number, 
/**
 * 操作人
 */
actor: string, 
/**
 * 时间 (wall clock of the device, for people to read)
 */
at: string, entity: string, record_id: string, parent_id: string | null, op: Op, 
/**
 * field → [old, new]
 */
changes: Record<string, [unknown, unknown]>, };

/**
 * What a backup wrote.
 */
export type BackedUp = { path: string, 
/**
 * The photo folder beside the backup file, when the ledger has photos.
 */
photos_dir: string | null, 
/**
 * Photos copied this time (a repeated backup to the same place copies only new ones).
 */
photos: number, };

/**
 * What a restore did.
 */
export type Restored = { 
/**
 * Where the ledger as it was before the restore was saved (None for an in-memory ledger).
 */
previous_saved_to: string | null, 
/**
 * The backup's database version (older backups are upgraded).
 */
backup_version: number, 
/**
 * This PC's new device id: changes made after a restore must not reuse the numbers
 * of changes made (and perhaps sent) after the backup was taken.
 */
device_id: string, 
/**
 * Photos brought back from the backup's photo folder (those this PC lacked).
 */
photos: number, };

/**
 * What a ledger file holds, for a person to see before a backup replaces the open ledger.
 */
export type Contents = { units: number, orgs: number, members: number, activities: number, 
/**
 * When its last change was made (the change log's time), if it has any.
 */
last_change: string | null, };

/**
 * A backup file in the `备份` folder.
 */
export type BackupFile = { path: string, 
/**
 * When it was taken (from its name), e.g. 2026-11-22 08:30:00.
 */
taken_at: string, 
/**
 * 自动备份 or 恢复前
 */
kind: string, bytes: number, };

/**
 * Every rule of DESIGN.md §5. Serialised as its code (`org_not_built` …).
 */
export type Rule = "org_not_built" | "few_members_uncovered" | "no_members_large_unit" | "large_unit_uncovered" | "joint_branch_too_many_units" | "branch_too_many_members" | "committee_missing" | "term_unknown" | "term_due_soon" | "term_overdue" | "probation_due_soon" | "probation_overdue" | "missing_branch_meeting" | "missing_committee_meeting" | "missing_group_meeting" | "missing_party_lecture" | "missing_theme_day" | "missing_life_meeting" | "missing_member_review" | "late_entry" | "lapsed_member" | "inspection_gaps" | "inspection_stale" | "follow_up_open" | "follow_up_overdue" | "applicant_talk_overdue" | "activist_assessment_overdue" | "admission_approval_overdue" | "development_step_due_soon";

/**
 * How serious a finding is.
 */
export type Severity = "error" | "warning" | "info";

/**
 * What a finding is about.
 */
export type SubjectType = "unit" | "org" | "member" | "activity" | "visit" | "applicant";

/**
 * One thing the ledger found wrong or coming due.
 */
export type Finding = { rule: Rule, 
/**
 * The rule's Chinese name.
 */
rule_name: string, severity: Severity, subject_type: SubjectType, subject_id: Id, subject_name: string, 
/**
 * When it became (or becomes) due, where the rule has a date.
 */
due: string | null, 
/**
 * The finding in Chinese: rule, subject, facts and the parameters applied.
 */
message: string, 
/**
 * 所属乡镇街道 of the subject.
 */
area: string | null, };

/**
 * The kind of value a parameter takes.
 */
export type ParamKind = "count" | "optional_count" | "frequency" | "formations" | "rules";

/**
 * One parameter as a settings screen shows it.
 */
export type ParamInfo = { 
/**
 * Dotted path, as `settings set rule_params.<path>` takes it.
 */
path: string, 
/**
 * 分组, e.g. 组织设置.
 */
group: string, label: string, kind: ParamKind, 
/**
 * 单位 of a count: 人, 个, 天, 个月.
 */
unit: string, 
/**
 * 依据 — where the default comes from.
 */
source: string, };

/**
 * A rule as the settings screen lists it for switching off.
 */
export type RuleInfo = { code: string, name: string, };

/**
 * Everything a settings screen needs: what each parameter is, the values in force, the
 * defaults, and the rules that can be switched off.
 */
export type ParamsView = { params: Array<ParamInfo>, values: Record<string, unknown>, defaults: Record<string, unknown>, rules: Array<RuleInfo>, };

/**
 * The numerators and denominator of the coverage rates.
 */
export type Coverage = { 
/**
 * 在营 units.
 */
units: number, 
/**
 * Covered by an active org (any 组建方式).
 */
covered: number, 
/**
 * With an active org of their own (组建方式 in the rule parameters, 单独组建 by default).
 */
standalone: number, 
/**
 * Covered, or with a 党建指导员 in post assigned, or with a 工会 or 共青团.
 */
work_covered: number, org_coverage_rate: number, standalone_rate: number, work_coverage_rate: number, };

/**
 * Coverage of one 乡镇街道.
 */
export type AreaStats = { area: string, 
/**
 * Active orgs and 在册 members of the area.
 */
orgs: number, members: number, 
/**
 * 在营 units.
 */
units: number, 
/**
 * Covered by an active org (any 组建方式).
 */
covered: number, 
/**
 * With an active org of their own (组建方式 in the rule parameters, 单独组建 by default).
 */
standalone: number, 
/**
 * Covered, or with a 党建指导员 in post assigned, or with a 工会 or 共青团.
 */
work_covered: number, org_coverage_rate: number, standalone_rate: number, work_coverage_rate: number, };

/**
 * A figure's definition, as stated wherever the figure is shown.
 */
export type Definition = { key: string, name: string, text: string, };

export type QuarterRate = { quarter: string, label: string, rate: number, };

/**
 * What was written, with the headline figures (equal to `taizhang stats` on `as_of`).
 */
export type AnnualSummary = { path: string, year: number, 
/**
 * 统计截止日期: 31 December of the year.
 */
as_of: string, area: string | null, report_unit: string, preparer: string, date: string, 
/**
 * False when the year was not over on the day the records run to.
 */
year_complete: boolean, sheets: Array<string>, charts: number, units: number, orgs: number, members: number, org_coverage_rate: number, standalone_rate: number, work_coverage_rate: number, org_not_built: number, units_without_org: number, meeting_completion: Array<QuarterRate>, inspection_pass_rate: number, };

/**
 * How many records of each kind were written.
 */
export type DemoSummary = { units: number, orgs: number, members: number, activities: number, inspections: number, instructors: number, visits: number, alliances: number, dues: number, 
/**
 * 入党申请人、积极分子、发展对象 (and the paths of recent 预备党员)
 */
applicants: number, };

/**
 * What a long import or export is doing.
 */
export type Phase = "read" | "check" | "write";

/**
 * One report: `done` of `total` rows. While an .xlsx is still being read, `total` is what the
 * sheet declares (its used range), so it can shrink; the last report of a phase has
 * `done == total`.
 */
export type Progress = { phase: Phase, done: number, total: number, };

/**
 * A template as offered for choosing.
 */
export type ProfileInfo = { id: string, 
/**
 * 表名, e.g. 党员花名册
 */
name: string, 
/**
 * Record type: member, unit, org, activity, inspection, dues.
 */
entity: string, columns: number, 
/**
 * Read on import only (a sign-in sheet): not offered for export.
 */
import_only: boolean, };

/**
 * Errors of one column beyond the first `ERRORS_LISTED_PER_COLUMN`, counted, not listed.
 */
export type OmittedErrors = { 
/**
 * Column letter(s); empty for problems of whole rows.
 */
column: string, count: number, 
/**
 * What to tell the user, e.g. 「D列另有 5,000 处同类错误未列出（错误标注文件中均已标出）」.
 */
message: string, };

/**
 * One invalid cell (or row, when `column` is empty), in the spreadsheet's own terms.
 */
export type CellError = { sheet: string, 
/**
 * 1-based row number as Excel shows it.
 */
row: number, 
/**
 * Column letter(s), e.g. "D"; empty when the problem is not one cell's.
 */
column: string, value: string, message: string, };

/**
 * One 覆盖关系 an import wrote: the org (by 全称) now covers the unit (by 名称).
 */
export type CoveredUnit = { org: string, unit: string, };

/**
 * Records created while importing, by name, for the summary.
 */
export type Created = { orgs: Array<string>, units: Array<string>, instructors: Array<string>, 
/**
 * 覆盖关系 given to the created orgs once every row is in (see `excel::coverage`).
 */
covered: Array<CoveredUnit>, };

/**
 * How a column maps to the ledger.
 */
export type ColumnKind = "field" | "seq" | "id" | "org_name" | "unit_name" | "instructor_name" | "unit_names" | "secretary" | "check_item" | "member_id_number" | "member_name" | "absence" | "computed";

/**
 * One header of the sheet and what it becomes.
 */
export type ColumnMapping = { 
/**
 * Column letter(s) in the sheet, e.g. "D".
 */
column: string, 
/**
 * The header as the sheet writes it.
 */
header: string, 
/**
 * The template column it matched (its standard header), None when ignored.
 */
target: string | null, 
/**
 * The record field filled, when the column fills one.
 */
field: string | null, kind: ColumnKind | null, 
/**
 * Matched by the words of its meaning, not by a listed name: a guess to check.
 */
guessed: boolean, 
/**
 * Why an unmatched column is ignored, or what to know about a matched one.
 */
note: string | null, };

/**
 * A template column the sheet does not have.
 */
export type MissingColumn = { header: string, 
/**
 * Whether a new record needs this field (rows will be invalid without it).
 */
required: boolean, };

export type ImportSummary = { profile: string, profile_name: string, sheet: string, 
/**
 * 1-based row of the (last) header row.
 */
header_row: number, rows: number, inserted: number, updated: number, unchanged: number, invalid: number, 
/**
 * The invalid cells: at most the first `ERRORS_LISTED_PER_COLUMN` of each column, by row
 * (see `error_log`); the rest are counted in `errors_omitted`.
 */
errors: Array<CellError>, 
/**
 * Per column, how many errors `errors` leaves out.
 */
errors_omitted: Array<OmittedErrors>, 
/**
 * Headers no column of the profile matched (ignored).
 */
unknown_columns: Array<string>, 
/**
 * Each header of the sheet and what it becomes (guesses marked).
 */
columns: Array<ColumnMapping>, 
/**
 * Template columns the sheet lacks.
 */
missing: Array<MissingColumn>, 
/**
 * What to know about how the file was read: guessed columns, two columns for one field.
 */
warnings: Array<string>, 
/**
 * Problems of the whole file (a required column missing, a status column not
 * understood): while there are any, no row is checked or imported.
 */
problems: Array<string>, 
/**
 * The rows need an org for the whole file (the sheet has no 所在党支部 column): choose one.
 */
needs_org: boolean, 
/**
 * The org given to rows without one: chosen for the file or named in its title.
 */
file_org: string | null, 
/**
 * A sign-in sheet: the activity it is for (its date, type, topic and org).
 */
activity: string | null, 
/**
 * A sign-in sheet whose activity neither was chosen nor follows from its title.
 */
needs_activity: boolean, 
/**
 * Records named in the sheet that the ledger did not have (created by the import).
 */
created: Created, dry_run: boolean, 
/**
 * Whether anything was written.
 */
committed: boolean, };

/**
 * What the wizard shows about one import (or its dry run).
 */
export type ImportReport = { summary: ImportSummary, 
/**
 * Every non-empty header of the sheet, left to right.
 */
mapping: Array<ColumnMapping>, 
/**
 * Template columns not in the sheet (序号 and the hidden 系统编号 are never listed).
 */
missing: Array<MissingColumn>, 
/**
 * How many cell errors there are in all; `summary.errors` holds at most the first
 * `max_errors` of them (the errors workbook has every one).
 */
errors_total: number, };

export type ExportSummary = { profile: string, rows: number, path: string, };

export type Device = { 
/**
 * 设备编号
 */
id: string, 
/**
 * 名称, e.g. 城关镇党委 or 县委社会工作部
 */
name: string, first_seen: string, last_seen: string, 
/**
 * Whether this is the PC the ledger is open on.
 */
this_pc: boolean, };

export type PackageOut = { package_id: string, path: string, destination: string, changes: number, records: number, photos: number, };

export type MergeSummary = { 
/**
 * Change-log entries in the package.
 */
entries: number, 
/**
 * Records new to this PC.
 */
inserted: number, 
/**
 * Records changed here.
 */
updated: number, 
/**
 * Entries this PC already had, or that changed nothing.
 */
unchanged: number, 
/**
 * New conflicts left waiting for a person (not settled later in the same package).
 */
conflicts: number, 
/**
 * Conflicts settled by a change in the package (someone decided elsewhere).
 */
conflicts_settled: number, photos: number, };

export type PackageIn = { package_id: string, source_device: string, source_name: string, dry_run: boolean, 
/**
 * Change-log entries in the package.
 */
entries: number, 
/**
 * Records new to this PC.
 */
inserted: number, 
/**
 * Records changed here.
 */
updated: number, 
/**
 * Entries this PC already had, or that changed nothing.
 */
unchanged: number, 
/**
 * New conflicts left waiting for a person (not settled later in the same package).
 */
conflicts: number, 
/**
 * Conflicts settled by a change in the package (someone decided elsewhere).
 */
conflicts_settled: number, photos: number, };

export type Conflict = { id: string, entity: string, record_id: string, record_name: string | null, field: string, field_label: string, local_value: JsonValue, incoming_value: JsonValue, 
/**
 * The values as a person reads them (names for references, 是/否 …).
 */
local_text: string, incoming_text: string, local_version: string, incoming_version: string, 
/**
 * Name of the PC the incoming value came from.
 */
incoming_device: string, detected_at: string, };

/**
 * A group of records that look like one.
 */
export type Candidate = { 
/**
 * Member, Unit or Applicant (an applicant and a member: the member first).
 */
entity: Entity, 
/**
 * The shared 身份证号 or 信用代码.
 */
key: string, ids: Array<string>, names: Array<string>, };

/**
 * A field as a form is built from it.
 */
export type FieldSpec = { name: string, label: string, 
/**
 * text | int | bool | date | money | month | choice | choices | dict | ref | refs |
 * textlist | seats | checks | followups | attendance
 */
kind: string, required: boolean, 
/**
 * Allowed values of a choice, choices or dict field.
 */
choices?: Array<string>, 
/**
 * The dictionary of a dict field.
 */
dict?: string, 
/**
 * The record type a ref/refs field points to.
 */
target?: string, 
/**
 * Whether the list can be filtered by this field.
 */
filterable: boolean, };

/**
 * One page of a list.
 */
export type Page = { rows: Array<Rec>, 
/**
 * Rows that match in all.
 */
total: number, 
/**
 * id → 名称 of every record the rows refer to
 */
names: { [key in string]: string }, };

/**
 * One record, with the names of the records it refers to.
 */
export type RecordOut = { record: Rec, names: { [key in string]: string }, };

/**
 * An update: the record as saved, and whether anything changed.
 */
export type UpdateOut = { changed: boolean, record: Rec, names: { [key in string]: string }, };

/**
 * An org in the 隶属关系 tree.
 */
export type OrgNode = { id: string, name: string, parent_id: string | null, org_type: string, status: string, };

/**
 * Counts of a list by the values of one field.
 */
export type Breakdown = { title: string, 
/**
 * (label, count)
 */
items: Array<[string, number]>, };

export type Dashboard = { 
/**
 * entity → number of records
 */
counts: { [key in string]: number }, breakdowns: Array<Breakdown>, 
/**
 * Findings of the rules engine.
 */
findings: Array<Finding>, 
/**
 * 覆盖率 figures.
 */
coverage: Coverage, 
/**
 * Coverage per 乡镇街道.
 */
areas: Array<AreaStats>, 
/**
 * How each figure is defined, shown beside the figures.
 */
definitions: Array<Definition>, today: string, };

/**
 * A member on an org's roll, present unless marked otherwise.
 */
export type RollEntry = { member_id: string, name: string, present: boolean, };

/**
 * What a backup holds beside what the open ledger holds, to show before restoring it.
 */
export type RestoreChoice = { backup: Contents, current: Contents, 
/**
 * Both in words, for the confirmation.
 */
backup_text: string, current_text: string, 
/**
 * The backup holds fewer members or units than the ledger: restoring loses records.
 */
fewer: boolean, };

/**
 * One person's path as a timeline: the record (with the names it refers to), the steps
 * open now and the limits that run.
 */
export type ApplicantPath = { applicant: RecordOut, next: Array<NextStep>, dues: Array<StepDue>, 
/**
 * The member record the 支部大会 created, once it has.
 */
member_id: string | null, };

/**
 * What recording a step did: the record after it and, for a 支部大会接收, the new member.
 */
export type StepOut = { applicant: RecordOut, member_id: string | null, };

/**
 * How many people stand at a 发展阶段 (within an org, when given).
 */
export type StageCount = { stage: ApplicantStage, count: number, };
