/**
 * What the shell sends back. The shapes are generated from the Rust types
 * (`generated/core.ts` for the core's, `generated/shell.ts` for the shell's; see
 * src/ui_types.rs): only the narrower unions the window adds are written here.
 */
import type { FieldSpec as FieldSpecSent } from './generated/core'

export type {
  ApplicantPath,
  ApplicantStage,
  ApplicantStep,
  NextStep,
  StageCount,
  StepDue,
  StepOut,
  BackedUp,
  BackupFile,
  Breakdown,
  ChangeEntry,
  Checklist,
  ChecklistItem,
  Coverage,
  Dashboard,
  DemoSummary,
  FieldError,
  Finding,
  MemberEvent,
  OrgNode,
  Page,
  ParamInfo,
  ParamsView,
  Rec,
  RecordOut,
  Restored,
  RollEntry,
  UpdateOut,
} from './generated/core'
export type { AppStatus, Settings } from './generated/shell'

/** The record types the shell's record commands take (`entity`). */
export type EntityName =
  | 'unit'
  | 'org'
  | 'member'
  | 'activity'
  | 'inspection'
  | 'instructor'
  | 'visit'
  | 'alliance'
  | 'dues'
  | 'applicant'

/** How a field is entered and shown (`FieldSpec.kind`, from the core's field kinds). */
export type FieldKind =
  | 'text'
  | 'int'
  | 'bool'
  | 'date'
  | 'money'
  | 'month'
  | 'choice'
  | 'choices'
  | 'dict'
  | 'ref'
  | 'refs'
  | 'textlist'
  | 'seats'
  | 'checks'
  | 'followups'
  | 'attendance'
  | 'assessments'

/** A field spec with its kind and target narrowed to the names above. */
export type FieldSpec = Omit<FieldSpecSent, 'kind' | 'target'> & {
  kind: FieldKind
  target?: EntityName | 'checklist'
}
