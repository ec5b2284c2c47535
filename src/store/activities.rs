//! Recording a meeting: attendance pre-filled from the org's rolls, absences marked.

use super::query::{mark_absent, org_attendance};
use super::tx::Tx;
use crate::error::Result;
use crate::model::{Activity, Id};

impl Tx<'_> {
    /// Add an activity. Without a per-member list or head counts, the list is pre-filled with
    /// every member on the org's rolls as present; `absent` then marks who was missing and why.
    pub fn add_activity(
        &mut self,
        mut activity: Activity,
        absent: &[(Id, Option<String>)],
    ) -> Result<Activity> {
        if activity.attendance.is_empty() && activity.expected == 0 {
            activity.attendance = org_attendance(self.conn(), &activity.org_id)?;
        }
        mark_absent(&mut activity, absent)?;
        self.insert(activity)
    }
}
