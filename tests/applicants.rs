//! 发展党员: a person taken along the path step by step, each out-of-order step refused with
//! its rule, and the 支部大会接收 creating the 预备党员 member record.

mod common;
use common::*;
use taizhang::model::*;
use taizhang::Error;

struct Branch {
    org: Org,
    unit: Unit,
    contacts: Vec<Id>,
}

/// A branch with three 正式党员 (contacts and sponsors) and one 预备党员.
fn branch(s: &mut taizhang::Store) -> (Branch, Member) {
    let (unit, org) = unit_and_org(s, "明远科技");
    let contacts = (1..=3)
        .map(|i| full_member(s, &org, Some(&unit), i).meta.id)
        .collect();
    let probationary = probationary_member(s, &org, None, 9, d(2026, 3, 1));
    (
        Branch {
            org,
            unit,
            contacts,
        },
        probationary,
    )
}

fn applicant(b: &Branch, applied: chrono::NaiveDate) -> Applicant {
    let mut a = Applicant::new("林晓", id_number("19980315", 42), b.org.meta.id, applied);
    a.work_unit_id = Some(b.unit.meta.id);
    a.job = Some("研发工程师".into());
    a.phone = Some("13912345678".into());
    a
}

fn step(kind: ApplicantStep, on: chrono::NaiveDate) -> StepInput {
    StepInput::new(kind, on)
}

fn record(s: &mut taizhang::Store, id: Id, st: StepInput) -> taizhang::Result<Applicant> {
    s.write(|tx| tx.record_step(&id, &st)).map(|(a, _)| a)
}

fn refusal(r: taizhang::Result<Applicant>) -> String {
    match r {
        Err(Error::Rule(m)) => m,
        Err(Error::Validation(e)) => {
            e.0.iter()
                .map(|f| format!("{}：{}", f.label, f.message))
                .collect::<Vec<_>>()
                .join("；")
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(a) => panic!("step was not refused: {:?}", a.stage),
    }
}

#[test]
fn every_step_to_probationary_member_then_confirmed() {
    use ApplicantStep as S;
    let mut s = store();
    let (b, _) = branch(&mut s);
    let a = s.insert(applicant(&b, d(2023, 3, 1))).unwrap();
    assert_eq!(a.stage, ApplicantStage::Applicant);
    assert_eq!(a.birth_date, Some(d(1998, 3, 15)));
    let id = a.meta.id;

    record(&mut s, id, step(S::Talk, d(2023, 3, 20))).unwrap();
    let mut st = step(S::Activist, d(2023, 6, 1));
    st.people = b.contacts[..2].to_vec();
    let a = record(&mut s, id, st).unwrap();
    assert_eq!(a.stage, ApplicantStage::Activist);
    for on in [d(2023, 12, 1), d(2024, 6, 1)] {
        let mut st = step(S::Assessment, on);
        st.text = Some("表现良好".into());
        record(&mut s, id, st).unwrap();
    }
    let a = record(&mut s, id, step(S::Candidate, d(2024, 6, 15))).unwrap();
    assert_eq!(a.stage, ApplicantStage::Candidate);
    let mut st = step(S::Review, d(2024, 8, 1));
    st.text = Some("合格".into());
    record(&mut s, id, st).unwrap();
    let mut st = step(S::Training, d(2024, 9, 2));
    st.until = Some(d(2024, 9, 4));
    st.hours = Some(24);
    record(&mut s, id, st).unwrap();
    record(&mut s, id, step(S::PreReview, d(2024, 10, 8))).unwrap();
    let mut st = step(S::Publicity, d(2024, 10, 9));
    st.until = Some(d(2024, 10, 15));
    record(&mut s, id, st).unwrap();
    let mut st = step(S::Sponsors, d(2024, 10, 16));
    st.people = b.contacts[..2].to_vec();
    record(&mut s, id, st).unwrap();

    let (a, member) = s
        .write(|tx| tx.record_step(&id, &step(S::Admit, d(2024, 10, 20))))
        .unwrap();
    let member = member.expect("the 支部大会 creates the member record");
    assert_eq!(a.stage, ApplicantStage::Admitted);
    assert_eq!(a.member_id, Some(member.meta.id));
    assert_eq!(member.category, MemberCategory::Probationary);
    assert_eq!(member.joined_on, d(2024, 10, 20));
    assert_eq!(member.org_id, Some(b.org.meta.id));
    assert_eq!(member.work_unit_id, Some(b.unit.meta.id));
    assert_eq!(
        (member.id_number.as_str(), member.name.as_str()),
        (a.id_number.as_str(), "林晓")
    );
    let events = s.write(|tx| tx.member_events(&member.meta.id)).unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [MemberEventKind::Admitted]
    );
    let a = record(&mut s, id, step(S::Approve, d(2024, 12, 1))).unwrap();
    assert_eq!(a.approved_on, Some(d(2024, 12, 1)));
    assert_eq!(a.sponsors_on, Some(d(2024, 10, 16)), "the step's own date");
    assert_eq!(a.assessments.0.len(), 2);

    // From here the member record carries on: 转正 as for any 预备党员.
    let early = MemberEvent::new(member.meta.id, MemberEventKind::Confirmed, d(2025, 6, 1));
    assert!(s.write(|tx| tx.record_event(early)).is_err());
    let ev = MemberEvent::new(member.meta.id, MemberEventKind::Confirmed, d(2025, 10, 21));
    let (_, m) = s.write(|tx| tx.record_event(ev)).unwrap();
    assert_eq!(m.category, MemberCategory::Full);

    // No further step once admitted; the history is in the change log.
    let msg = refusal(record(&mut s, id, step(S::Talk, d(2025, 1, 1))));
    assert!(msg.contains("已经支部大会接收"), "{msg}");
    let history: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM change_log WHERE record_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(history, 13, "the insert and one entry per step (12)");
}

/// A person made a 发展对象 (talked, activist with contacts, candidate) ready for the later steps.
fn candidate(s: &mut taizhang::Store, b: &Branch) -> Id {
    use ApplicantStep as S;
    let mut a = applicant(b, d(2023, 3, 1));
    a.id_number = id_number("19970601", 46);
    a.birth_date = None;
    a.talked_on = Some(d(2023, 3, 10));
    a.activist_on = Some(d(2023, 6, 1));
    a.contact_ids = JsonList(b.contacts[..2].to_vec());
    let a = s.insert(a).unwrap();
    record(s, a.meta.id, step(S::Candidate, d(2024, 7, 1))).unwrap();
    a.meta.id
}

#[test]
fn out_of_order_steps_are_refused_with_their_rule() {
    use ApplicantStep as S;
    let mut s = store();
    let (b, probationary) = branch(&mut s);

    // Not yet 积极分子: no 考察, no 发展对象, no 政审, no 审批.
    let a = s.insert(applicant(&b, d(2025, 3, 1))).unwrap();
    let cases: Vec<(StepInput, &str)> = vec![
        (step(S::Assessment, d(2025, 6, 1)), "确定为入党积极分子之后"),
        (step(S::Candidate, d(2026, 6, 1)), "须先确定为入党积极分子"),
        (step(S::Review, d(2025, 6, 1)), "确定为发展对象之后"),
        (step(S::Admit, d(2025, 6, 1)), "确定为发展对象之后"),
        (step(S::Approve, d(2025, 6, 1)), "支部大会接收之后"),
        (step(S::Talk, d(2025, 2, 1)), "早于递交入党申请书日期"),
        (step(S::Talk, d(2027, 1, 1)), "日期"),
        (step(S::Leave, d(2025, 6, 1)), "须写明原因"),
    ];
    for (st, words) in cases {
        let what = st.step;
        let msg = refusal(record(&mut s, a.meta.id, st));
        assert!(msg.contains(words), "{what}: {msg}");
    }

    // 积极分子 for less than a year: refused, naming the 细则 and the earliest day.
    let mut st = step(S::Activist, d(2025, 5, 1));
    st.people = vec![b.contacts[0]];
    record(&mut s, a.meta.id, st).unwrap();
    let msg = refusal(record(
        &mut s,
        a.meta.id,
        step(S::Candidate, d(2026, 4, 30)),
    ));
    assert!(
        msg.contains("2026-05-01") && msg.contains("发展党员工作细则"),
        "{msg}"
    );
    // A 预备党员 cannot be a 培养联系人; three contacts are too many.
    let mut st = step(S::Activist, d(2025, 5, 1));
    st.people = vec![probationary.meta.id];
    let b2 = s.insert(applicant_named(&b, "周宁", 44)).unwrap();
    let msg = refusal(record(&mut s, b2.meta.id, st));
    assert!(msg.contains("正式党员"), "{msg}");
    let mut st = step(S::Activist, d(2025, 5, 1));
    st.people = b.contacts.clone();
    let msg = refusal(record(&mut s, b2.meta.id, st));
    assert!(msg.contains("最多 2 名"), "{msg}");

    // The 支部大会 before 政审, 培训, 预审 and two 介绍人: each missing one named.
    let c = candidate(&mut s, &b);
    let msg = refusal(record(&mut s, c, step(S::Admit, d(2024, 10, 1))));
    for words in ["政治审查", "集中培训", "预审", "入党介绍人"] {
        assert!(msg.contains(words), "{words}: {msg}");
    }
    assert_eq!(
        count(&s, "member"),
        4,
        "nothing written by a refused 支部大会"
    );
    // Training too short (two days, 16 学时); a 预备党员 as 介绍人.
    let mut st = step(S::Training, d(2024, 8, 1));
    st.until = Some(d(2024, 8, 2));
    st.hours = Some(16);
    record(&mut s, c, st).unwrap();
    let mut st = step(S::Review, d(2024, 8, 5));
    st.text = Some("合格".into());
    record(&mut s, c, st).unwrap();
    record(&mut s, c, step(S::PreReview, d(2024, 9, 1))).unwrap();
    let mut st = step(S::Sponsors, d(2024, 9, 2));
    st.people = vec![b.contacts[0], probationary.meta.id];
    let msg = refusal(record(&mut s, c, st));
    assert!(msg.contains("正式党员"), "{msg}");
    let mut st = step(S::Sponsors, d(2024, 9, 2));
    st.people = b.contacts[..2].to_vec();
    record(&mut s, c, st).unwrap();
    let msg = refusal(record(&mut s, c, step(S::Admit, d(2024, 10, 1))));
    assert!(msg.contains("不足 3 天或 24 个学时"), "{msg}");

    // Leaving the path ends it.
    let mut st = step(S::Leave, d(2025, 7, 1));
    st.text = Some("本人申请暂缓".into());
    let left = record(&mut s, a.meta.id, st).unwrap();
    assert_eq!(left.stage, ApplicantStage::Left);
    let msg = refusal(record(&mut s, a.meta.id, step(S::Talk, d(2025, 8, 1))));
    assert!(msg.contains("不再列为培养对象"), "{msg}");
}

fn applicant_named(b: &Branch, name: &str, seq: u32) -> Applicant {
    let mut a = applicant(b, d(2025, 3, 1));
    a.name = name.into();
    a.id_number = id_number("19990101", seq);
    a.birth_date = None;
    a.gender = Gender::Female;
    a
}

#[test]
fn records_that_break_the_rules_are_refused_however_they_come() {
    let mut s = store();
    let (b, probationary) = branch(&mut s);
    // Under 18 on the day of the application.
    let mut young = applicant(&b, d(2016, 3, 1));
    young.id_number = id_number("20000101", 41);
    young.birth_date = None;
    let msg = refusal(s.insert(young));
    assert!(msg.contains("未满 18 岁"), "{msg}");
    // The same number as a member of the ledger.
    let mut dup = applicant(&b, d(2025, 3, 1));
    dup.id_number = probationary.id_number.clone();
    dup.birth_date = None;
    let msg = refusal(s.insert(dup));
    assert!(msg.contains("已登记为党员"), "{msg}");
    // A 发展对象 a month after becoming 积极分子, written directly.
    let mut early = applicant(&b, d(2025, 3, 1));
    early.activist_on = Some(d(2025, 4, 1));
    early.candidate_on = Some(d(2025, 5, 1));
    let msg = refusal(s.insert(early));
    assert!(msg.contains("12 个月以上培养考察"), "{msg}");
    // The 支部大会 only through its step.
    let a = s.insert(applicant(&b, d(2025, 3, 1))).unwrap();
    let mut edit = a.clone();
    edit.admitted_on = Some(d(2025, 9, 1));
    let msg = refusal(s.update(edit).map(|x| x.record));
    assert!(msg.contains("支部大会接收"), "{msg}");
    // Twice the same person.
    let msg = refusal(s.insert(applicant(&b, d(2025, 4, 1))));
    assert!(msg.contains("另一名入党申请人"), "{msg}");
}

/// Steps past their limit are findings with their rule and the 细则's chapter; those near
/// their limit are 即将到期; a step taken in time leaves none.
#[test]
fn overdue_steps_are_findings_with_their_rule() {
    use taizhang::rules::Rule;
    use ApplicantStep as S;
    let mut s = store();
    let (b, _) = branch(&mut s);
    // Applied 2026-09-01, no 谈话 by 2026-11-21: due 2026-10-01.
    let late = s.insert(applicant_named(&b, "未谈话", 50)).unwrap();
    let mut late2 = late.clone();
    late2.applied_on = d(2026, 9, 1);
    s.update(late2).unwrap();
    // Applied 2026-11-01: 谈话 due 2026-12-01, ten days away.
    let mut soon = applicant_named(&b, "将到期", 52);
    soon.applied_on = d(2026, 11, 1);
    s.insert(soon).unwrap();
    // 积极分子 since 2025-10-01, last assessed 2026-03-01: due 2026-09-01.
    let mut act = applicant_named(&b, "待考察", 54);
    act.talked_on = Some(d(2025, 3, 10));
    act.activist_on = Some(d(2025, 10, 1));
    act.assessments = JsonList(vec![Assessment {
        on: d(2026, 3, 1),
        note: None,
    }]);
    s.insert(act).unwrap();
    // Accepted by the 支部大会 on 2026-07-01, not approved: due 2026-10-01.
    let c = candidate(&mut s, &b);
    let mut st = step(S::Training, d(2024, 8, 1));
    st.until = Some(d(2024, 8, 3));
    record(&mut s, c, st).unwrap();
    record(&mut s, c, step(S::Review, d(2024, 8, 5))).unwrap();
    record(&mut s, c, step(S::PreReview, d(2024, 9, 1))).unwrap();
    let mut st = step(S::Sponsors, d(2024, 9, 2));
    st.people = b.contacts[1..].to_vec();
    record(&mut s, c, st).unwrap();
    record(&mut s, c, step(S::Admit, d(2026, 7, 1))).unwrap();

    let found = |s: &taizhang::Store, rule| {
        findings(s, rule, today())
            .into_iter()
            .map(|f| (f.subject_name, f.due, f.message))
            .collect::<Vec<_>>()
    };
    let talk = found(&s, Rule::ApplicantTalkOverdue);
    assert_eq!(talk.len(), 1, "{talk:?}");
    assert_eq!(
        (talk[0].0.as_str(), talk[0].1),
        ("未谈话", Some(d(2026, 10, 1)))
    );
    assert!(
        talk[0].2.contains("已逾期 51 天") && talk[0].2.contains("第二章"),
        "{}",
        talk[0].2
    );
    let assess = found(&s, Rule::ActivistAssessmentOverdue);
    assert_eq!(assess.len(), 1, "{assess:?}");
    assert_eq!(assess[0].1, Some(d(2026, 9, 1)));
    assert!(
        assess[0].2.contains("上次考察在 2026-03-01"),
        "{}",
        assess[0].2
    );
    let approval = found(&s, Rule::AdmissionApprovalOverdue);
    assert_eq!(approval.len(), 1, "{approval:?}");
    assert!(approval[0].2.contains("3 个月内审批"), "{}", approval[0].2);
    let soon = found(&s, Rule::DevelopmentStepDueSoon);
    assert_eq!(soon.len(), 1, "{soon:?}");
    assert!(soon[0].2.contains("还有 10 天"), "{}", soon[0].2);

    // Taking the steps clears them.
    record(&mut s, late.meta.id, step(S::Talk, d(2026, 11, 20))).unwrap();
    record(&mut s, c, step(S::Approve, d(2026, 11, 20))).unwrap();
    assert!(found(&s, Rule::ApplicantTalkOverdue).is_empty());
    assert!(found(&s, Rule::AdmissionApprovalOverdue).is_empty());
    // As of a day before the 支部大会, the approval was not yet due.
    let before = findings(&s, Rule::AdmissionApprovalOverdue, d(2026, 6, 30));
    assert!(before.is_empty());
}
