//! 发展党员 between PCs: applicants and their steps travel in packages and merge field by
//! field like every record; the same person entered on two PCs, and a person who became a
//! member elsewhere, are offered as merges by 身份证号.

mod common;
use common::pc::Pc;
use common::*;
use taizhang::exchange::duplicates;
use taizhang::model::*;

trait Applicants {
    fn applicants(&self) -> Vec<Applicant>;
}

impl Applicants for Pc {
    fn applicants(&self) -> Vec<Applicant> {
        self.store.list("1", &[], "id").unwrap()
    }
}

fn step(pc: &mut Pc, id: Id, st: StepInput) -> Applicant {
    pc.store.write(|tx| tx.record_step(&id, &st)).unwrap().0
}

#[test]
fn applicants_travel_and_steps_merge_field_by_field() {
    let mut a = Pc::new("县委社会工作部");
    let mut b = Pc::new("支部书记");
    let (_, org) = unit_and_org(&mut a.store, "清河县恒达机械有限公司");
    let contacts: Vec<Id> = (1..=2)
        .map(|i| full_member(&mut a.store, &org, None, i).meta.id)
        .collect();
    let mut ap = Applicant::new(
        "林晓",
        id_number("19980315", 42),
        org.meta.id,
        d(2025, 3, 1),
    );
    ap.talked_on = Some(d(2025, 3, 10));
    let ap = a.store.insert(ap).unwrap();
    let p = a.send(&b);
    b.receive(&p);
    assert_eq!(b.applicants().len(), 1);

    // The branch records the step, the county corrects the phone: both arrive on both PCs.
    let mut st = StepInput::new(ApplicantStep::Activist, d(2025, 4, 1));
    st.people = contacts.clone();
    step(&mut b, ap.meta.id, st);
    let mut edit: Applicant = a.store.get(&ap.meta.id).unwrap();
    edit.phone = Some("13912345678".into());
    a.store.update(edit).unwrap();
    let (pa, pb) = (a.send(&b), b.send(&a));
    a.receive(&pb);
    b.receive(&pa);
    for pc in [&a, &b] {
        let got = &pc.applicants()[0];
        assert_eq!(got.stage, ApplicantStage::Activist);
        assert_eq!(got.activist_on, Some(d(2025, 4, 1)));
        assert_eq!(got.contact_ids.0, contacts);
        assert_eq!(got.phone.as_deref(), Some("13912345678"));
    }
}

#[test]
fn the_same_person_on_two_pcs_and_one_who_became_a_member_are_offered_as_merges() {
    let mut a = Pc::new("甲");
    let mut b = Pc::new("乙");
    let (_, org) = unit_and_org(&mut a.store, "清河县恒达机械有限公司");
    let p = a.send(&b);
    b.receive(&p);
    // The same applicant entered on both PCs: A knows the 谈话, B the 积极分子 date.
    let id_no = id_number("19980315", 42);
    let mut on_a = Applicant::new("林晓", &id_no, org.meta.id, d(2025, 3, 1));
    on_a.talked_on = Some(d(2025, 3, 10));
    let on_a = a.store.insert(on_a).unwrap();
    let mut on_b = Applicant::new("林晓", &id_no, org.meta.id, d(2025, 3, 1));
    on_b.activist_on = Some(d(2025, 5, 1));
    let on_b = b.store.insert(on_b).unwrap();
    // And someone who applied on A but joined the party elsewhere, entered on B as a member.
    let other_no = id_number("19880512", 13); // as `member` below makes it
    let joined = a
        .store
        .insert(Applicant::new(
            "周宁",
            &other_no,
            org.meta.id,
            d(2024, 1, 1),
        ))
        .unwrap();
    let m = member(&org, "周宁", 13);
    let m = b.store.write(|tx| tx.add_member(m)).unwrap();
    let (pa, pb) = (a.send(&b), b.send(&a));
    a.receive(&pb);
    b.receive(&pa);

    let cands = duplicates::list_candidates(&a.store).unwrap();
    let keys: Vec<(&str, &str)> = cands
        .iter()
        .map(|c| (c.key.as_str(), c.names[0].as_str()))
        .collect();
    assert_eq!(
        keys,
        [(id_no.as_str(), "林晓"), (other_no.as_str(), "周宁")],
        "{cands:?}"
    );
    assert!(cands.iter().all(|c| c.entity == Entity::Applicant));
    // The member is listed first: merging keeps the member.
    assert_eq!(
        cands[1].ids,
        [m.meta.id.to_string(), joined.meta.id.to_string()]
    );

    duplicates::merge(&mut a.store, on_a.meta.id, on_b.meta.id).unwrap();
    let kept: Applicant = a.store.get(&on_a.meta.id).unwrap();
    assert_eq!(
        (kept.talked_on, kept.activist_on, kept.stage),
        (
            Some(d(2025, 3, 10)),
            Some(d(2025, 5, 1)),
            ApplicantStage::Activist
        )
    );
    let gone: Applicant = a.store.get(&on_b.meta.id).unwrap();
    assert_eq!(gone.merged_into, Some(on_a.meta.id));

    duplicates::merge(&mut a.store, m.meta.id, joined.meta.id).unwrap();
    let linked: Applicant = a.store.get(&joined.meta.id).unwrap();
    assert_eq!(
        (linked.member_id, linked.admitted_on, linked.stage),
        (Some(m.meta.id), Some(m.joined_on), ApplicantStage::Admitted)
    );
    assert!(duplicates::list_candidates(&a.store).unwrap().is_empty());
    // The merges reach the other PC.
    let p = a.send(&b);
    b.receive(&p);
    assert!(duplicates::list_candidates(&b.store).unwrap().is_empty());
    assert_eq!(a.applicants(), b.applicants());
}
