//! The field table of every record type: what users can set, its 中文 label and kind.

use super::fields::{FieldKind as K, FieldSpec as F, Fields};
use super::*;
use chrono::Datelike;

/// The field table entry of `field` on the record type stored as `entity` (unit, org, member …).
pub fn field_spec(entity: &str, field: &str) -> Option<&'static F> {
    crate::with_editable_type!(entity, T => T::field(field), _other => None)
}

/// 性别 and 出生日期 from the 公民身份号码 when they were not given; a 出生年月 (1961-02) that
/// agrees with the number's month becomes its exact date (a different month stays the 1st,
/// which validation reports as a mismatch).
fn derive_identity(
    id_number: &str,
    gender: &mut Gender,
    birth_date: &mut Option<NaiveDate>,
    given: &[&str],
    inputs: &[(String, String)],
) {
    let Ok(info) = validate::parse_id_number(id_number, NaiveDate::MAX) else {
        return;
    };
    if !given.contains(&"gender") {
        *gender = match info.sex {
            validate::Sex::Male => Gender::Male,
            validate::Sex::Female => Gender::Female,
        };
    }
    if !given.contains(&"birth_date") {
        *birth_date = Some(info.birth_date);
    } else if let Some(b) = *birth_date {
        let month_only = inputs
            .iter()
            .rev()
            .find(|(f, _)| f == "birth_date")
            .and_then(|(_, t)| super::dates::parse_date_precision(t).ok())
            .is_some_and(|(_, p)| p == super::dates::Precision::Month);
        let id = info.birth_date;
        if month_only && (b.year(), b.month()) == (id.year(), id.month()) {
            *birth_date = Some(id);
        }
    }
}

impl Fields for Unit {
    const FIELDS: &'static [F] = &[
        F::req("name", "单位名称", K::Text),
        F::new("credit_code", "统一社会信用代码", K::Text),
        F::req("category", "单位类别", K::Choice(UnitCategory::VOCAB)),
        F::new("industry", "行业", K::Dict("行业")),
        F::new("area", "所属乡镇街道", K::Text),
        F::new("address", "地址", K::Text),
        F::new("employees", "从业人员数", K::Int),
        F::new("above_scale", "是否规模以上", K::Bool),
        F::new("legal_rep", "法定代表人", K::Text),
        F::new("legal_rep_is_member", "法定代表人是否党员", K::Bool),
        F::new("has_union", "是否建立工会", K::Bool),
        F::new("has_youth_league", "是否建立共青团", K::Bool),
        F::new("has_womens_federation", "是否建立妇联", K::Bool),
        F::new("status", "经营状态", K::Choice(UnitStatus::VOCAB)),
        F::new("no_org_reason", "未建党组织原因", K::Text).long(),
        F::new("instructor_id", "党建指导员", K::Ref("instructor")),
        F::new("phone", "联系电话", K::Text),
        F::new("note", "备注", K::Text).long(),
    ];
    fn blank() -> Self {
        Unit::new("", UnitCategory::Other)
    }
}

impl Fields for Org {
    const FIELDS: &'static [F] = &[
        F::req("name", "党组织全称", K::Text),
        F::new("short_name", "简称", K::Text),
        F::req("org_type", "党组织类型", K::Choice(OrgType::VOCAB)),
        F::req("formation", "组建方式", K::Dict("组建方式")),
        F::new("parent_id", "上级党组织", K::Ref("org")),
        F::new("area", "所属乡镇街道", K::Text),
        F::new("founded_on", "成立日期", K::Date),
        F::new("elected_on", "本届选举日期", K::Date),
        F::new("term_years", "任期（年）", K::Int),
        F::new("phone", "联系电话", K::Text),
        F::new("status", "状态", K::Choice(OrgStatus::VOCAB)),
        F::new("committee", "班子成员", K::Seats),
        F::new("unit_ids", "覆盖单位", K::Refs("unit")),
    ];
    fn blank() -> Self {
        Org::new("", OrgType::Branch, "")
    }
}

impl Fields for Member {
    const FIELDS: &'static [F] = &[
        F::req("name", "姓名", K::Text),
        F::req("id_number", "公民身份号码", K::Text),
        F::new("gender", "性别", K::Choice(Gender::VOCAB)),
        F::new("ethnicity", "民族", K::Dict("民族")),
        F::new("birth_date", "出生日期", K::Date),
        F::new("education", "学历", K::Dict("学历")),
        F::new("category", "人员类别", K::Choice(MemberCategory::VOCAB)),
        F::new("status", "党员状态", K::Choice(MemberStatus::VOCAB)),
        F::req("joined_on", "入党日期", K::Date),
        F::new("confirmed_on", "转正日期", K::Date),
        F::req("org_id", "所在党组织", K::Ref("org")),
        F::new("work_unit_id", "工作单位（台账内）", K::Ref("unit")),
        F::new("work_unit_name", "工作单位", K::Text),
        F::new("job", "工作岗位", K::Text),
        F::new("phone", "手机号码", K::Text),
        F::new("is_mobile", "是否流动党员", K::Bool),
        F::new("mobile_to", "流向", K::Text),
        F::new("is_lost_contact", "是否失联党员", K::Bool),
        F::new("dues_base", "党费基数", K::Money),
        F::new("payer_kind", "交纳类别", K::Choice(PayerKind::VOCAB)),
        F::new("note", "备注", K::Text).long(),
    ];
    fn blank() -> Self {
        let mut m = Member::new("", "", NaiveDate::MIN);
        // gender and birth date follow from the 公民身份号码 unless given
        m.birth_date = None;
        m
    }
    fn derive(&mut self, given: &[&str], inputs: &[(String, String)]) {
        derive_identity(
            &self.id_number,
            &mut self.gender,
            &mut self.birth_date,
            given,
            inputs,
        );
    }
    /// Every field, each with the conversion `parse_value` uses for its kind (an enum's
    /// `parse` is what its vocabulary's `parse` and its serde both use).
    fn set_text(&mut self, spec: &F, raw: &str) -> Option<Result<bool, String>> {
        use super::fields::{
            money_through_json, parse_bool, parse_date, set_option as opt, set_value as one,
        };
        fn text(t: &str) -> Result<String, String> {
            Ok(t.to_owned())
        }
        fn id(t: &str) -> Result<Id, String> {
            t.parse()
        }
        fn money(t: &str) -> Result<Money, String> {
            money_through_json(t.parse()?)
        }
        let k = spec.kind;
        Some(match spec.name {
            "name" => one(&mut self.name, k, raw, text),
            "id_number" => one(&mut self.id_number, k, raw, text),
            "gender" => one(&mut self.gender, k, raw, Gender::parse),
            "ethnicity" => opt(&mut self.ethnicity, k, raw, text),
            "birth_date" => opt(&mut self.birth_date, k, raw, parse_date),
            "education" => opt(&mut self.education, k, raw, text),
            "category" => one(&mut self.category, k, raw, MemberCategory::parse),
            "status" => one(&mut self.status, k, raw, MemberStatus::parse),
            "joined_on" => one(&mut self.joined_on, k, raw, parse_date),
            "confirmed_on" => opt(&mut self.confirmed_on, k, raw, parse_date),
            "org_id" => opt(&mut self.org_id, k, raw, id),
            "work_unit_id" => opt(&mut self.work_unit_id, k, raw, id),
            "work_unit_name" => opt(&mut self.work_unit_name, k, raw, text),
            "job" => opt(&mut self.job, k, raw, text),
            "phone" => opt(&mut self.phone, k, raw, text),
            "is_mobile" => one(&mut self.is_mobile, k, raw, parse_bool),
            "mobile_to" => opt(&mut self.mobile_to, k, raw, text),
            "is_lost_contact" => one(&mut self.is_lost_contact, k, raw, parse_bool),
            "dues_base" => opt(&mut self.dues_base, k, raw, money),
            "payer_kind" => one(&mut self.payer_kind, k, raw, PayerKind::parse),
            "note" => opt(&mut self.note, k, raw, text),
            _ => return None,
        })
    }
}

impl Fields for Activity {
    const FIELDS: &'static [F] = &[
        F::req("org_id", "党组织", K::Ref("org")),
        F::req("types", "类型", K::Choices(ActivityType::VOCAB)),
        F::req("held_on", "日期", K::Date),
        F::new("location", "地点", K::Text),
        F::new("host", "主持人", K::Text),
        F::new("recorder", "记录人", K::Text),
        F::req("topic", "主题", K::Text),
        F::new("summary", "内容摘要", K::Text).long(),
        F::new("expected", "应到人数", K::Int),
        F::new("present", "实到人数", K::Int),
        F::new("absence_note", "缺席名单及原因", K::Text).long(),
        F::new("attachments", "附件", K::TextList),
        F::new("attendance", "出席情况", K::Attendance),
    ];
    fn blank() -> Self {
        Activity::new(Id::default(), Vec::new(), NaiveDate::MIN, "")
    }
}

impl Fields for Inspection {
    const FIELDS: &'static [F] = &[
        F::req("org_id", "党组织", K::Ref("org")),
        F::new("checklist_id", "检查表", K::Ref("checklist")),
        F::req("inspected_on", "检查日期", K::Date),
        F::new(
            "inspector_kind",
            "检查方式",
            K::Choice(InspectorKind::VOCAB),
        ),
        F::req("inspector_name", "检查人", K::Text),
        F::new("instructor_id", "党建指导员", K::Ref("instructor")),
        F::new("note", "备注", K::Text).long(),
        F::req("items", "检查结果", K::Checks),
    ];
    fn blank() -> Self {
        Inspection {
            meta: Meta::default(),
            org_id: Id::default(),
            checklist_id: inspection::DEFAULT_CHECKLIST_ID,
            inspected_on: NaiveDate::MIN,
            inspector_kind: InspectorKind::SelfCheck,
            inspector_name: String::new(),
            instructor_id: None,
            note: None,
            items: JsonList::default(),
        }
    }
}

impl Fields for Instructor {
    const FIELDS: &'static [F] = &[
        F::req("name", "姓名", K::Text),
        F::new("employer", "工作单位", K::Text),
        F::new("phone", "联系电话", K::Text),
        F::new("active", "是否在岗", K::Bool),
    ];
    fn blank() -> Self {
        Instructor {
            meta: Meta::default(),
            name: String::new(),
            employer: None,
            phone: None,
            active: true,
        }
    }
}

impl Fields for Visit {
    const FIELDS: &'static [F] = &[
        F::req("instructor_id", "党建指导员", K::Ref("instructor")),
        F::req("unit_id", "走访单位", K::Ref("unit")),
        F::req("visited_on", "走访日期", K::Date),
        F::new("met_with", "接待人", K::Text),
        F::req("findings", "走访情况", K::Text).long(),
        F::new("followups", "整改事项", K::FollowUps),
        F::new("photos", "照片", K::TextList),
    ];
    fn blank() -> Self {
        Visit {
            meta: Meta::default(),
            instructor_id: Id::default(),
            unit_id: Id::default(),
            visited_on: NaiveDate::MIN,
            met_with: None,
            findings: String::new(),
            followups: JsonList::default(),
            photos: JsonList::default(),
        }
    }
}

impl Fields for Alliance {
    const FIELDS: &'static [F] = &[
        F::req("name", "名称", K::Text),
        F::req("kind", "类型", K::Choice(AllianceKind::VOCAB)),
        F::req("lead_org_id", "牵头党组织", K::Ref("org")),
        F::new("founded_on", "成立日期", K::Date),
        F::new("org_ids", "成员党组织", K::Refs("org")),
        F::new("unit_ids", "成员单位", K::Refs("unit")),
        F::new("note", "备注", K::Text).long(),
    ];
    fn blank() -> Self {
        Alliance {
            meta: Meta::default(),
            name: String::new(),
            kind: AllianceKind::Regional,
            lead_org_id: Id::default(),
            founded_on: None,
            org_ids: JsonList::default(),
            unit_ids: JsonList::default(),
            note: None,
        }
    }
}

impl Fields for Dues {
    const FIELDS: &'static [F] = &[
        F::req("member_id", "党员", K::Ref("member")),
        F::req("month", "月份", K::Month),
        F::req("base", "基数", K::Money),
        F::new("payer_kind", "交纳类别", K::Choice(PayerKind::VOCAB)),
        F::new("paid", "实交", K::Money),
        F::new("paid_on", "交纳日期", K::Date),
    ];
    fn blank() -> Self {
        Dues {
            meta: Meta::default(),
            member_id: Id::default(),
            month: String::new(),
            base: Money(0),
            payer_kind: PayerKind::Employed,
            due: Money(0),
            paid: None,
            paid_on: None,
        }
    }
}

impl Fields for Applicant {
    const FIELDS: &'static [F] = &[
        F::req("name", "姓名", K::Text),
        F::req("id_number", "公民身份号码", K::Text),
        F::new("gender", "性别", K::Choice(Gender::VOCAB)),
        F::new("ethnicity", "民族", K::Dict("民族")),
        F::new("birth_date", "出生日期", K::Date),
        F::new("education", "学历", K::Dict("学历")),
        F::req("org_id", "培养党组织", K::Ref("org")),
        F::new("work_unit_id", "工作单位（台账内）", K::Ref("unit")),
        F::new("work_unit_name", "工作单位", K::Text),
        F::new("job", "工作岗位", K::Text),
        F::new("phone", "手机号码", K::Text),
        F::new("stage", "发展阶段", K::Choice(ApplicantStage::VOCAB)),
        F::req("applied_on", "递交入党申请书日期", K::Date),
        F::new("talked_on", "谈话日期", K::Date),
        F::new("activist_on", "确定为入党积极分子日期", K::Date),
        F::new("contact_ids", "培养联系人", K::Refs("member")),
        F::new("assessments", "培养考察", K::Assessments),
        F::new("candidate_on", "确定为发展对象日期", K::Date),
        F::new("review_on", "政治审查日期", K::Date),
        F::new("review_result", "政审结论", K::Text),
        F::new("training_from", "集中培训开始日期", K::Date),
        F::new("training_to", "集中培训结束日期", K::Date),
        F::new("training_hours", "集中培训学时", K::Int),
        F::new("pre_review_on", "预审日期", K::Date),
        F::new("publicity_from", "公示开始日期", K::Date),
        F::new("publicity_to", "公示结束日期", K::Date),
        F::new("sponsor_ids", "入党介绍人", K::Refs("member")),
        F::new("sponsors_on", "确定入党介绍人日期", K::Date),
        F::new("admitted_on", "支部大会接收日期", K::Date),
        F::new("approved_on", "上级党委审批日期", K::Date),
        F::new("left_on", "不再列为培养对象日期", K::Date),
        F::new("left_reason", "不再列为培养对象原因", K::Text),
        F::new("note", "备注", K::Text).long(),
    ];
    fn blank() -> Self {
        let mut a = Applicant::new("", "", Id::default(), NaiveDate::MIN);
        a.birth_date = None;
        a
    }
    fn derive(&mut self, given: &[&str], inputs: &[(String, String)]) {
        derive_identity(
            &self.id_number,
            &mut self.gender,
            &mut self.birth_date,
            given,
            inputs,
        );
    }
}
