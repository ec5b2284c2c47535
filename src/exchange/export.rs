//! Writing a package: the change-log entries the destination has not had from this PC (or
//! all of them), in the order this PC applied them, with the photos they reference.

use super::package::{self, Manifest};
use crate::error::{Error, Result};
use crate::model::Id;
use crate::store::SCHEMA_VERSION;
use crate::Store;
use rusqlite::params;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// Which records a package carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// An org, the orgs under it, and what belongs to them.
    Org(Id),
    /// One 乡镇街道.
    Area(String),
}

impl Scope {
    pub fn parse(raw: &str) -> Result<Scope> {
        match raw.split_once(':') {
            None if raw == "all" => Ok(Scope::All),
            Some(("org", id)) => Ok(Scope::Org(id.parse().map_err(Error::Rule)?)),
            Some(("area", a)) if !a.trim().is_empty() => Ok(Scope::Area(a.trim().to_string())),
            _ => Err(Error::Rule(format!(
                "“{raw}”不是有效的范围：应为 all、org:党组织编号 或 area:乡镇街道"
            ))),
        }
    }

    fn key(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Org(id) => format!("org:{id}"),
            Scope::Area(a) => format!("area:{a}"),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Destination device id; None with `all` = a package for anyone.
    pub to: Option<String>,
    /// Everything, not just what changed since the last package to `to`.
    pub all: bool,
    pub scope: Option<Scope>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(rename = "PackageOut")]
pub struct ExportSummary {
    pub package_id: String,
    pub path: String,
    pub destination: String,
    pub changes: usize,
    pub records: usize,
    pub photos: usize,
}

/// A change-log row as a package carries it, its JSON columns kept as the text the log holds.
struct LogRow {
    id: String,
    device_id: String,
    device_seq: i64,
    actor: String,
    at: String,
    entity: String,
    record_id: String,
    parent_id: Option<String>,
    op: crate::store::Op,
    changes: String,
    bases: String,
}

/// The columns [`LogRow`] reads, in its order (read by position: looking columns up by name
/// was a tenth of an export).
const LOG_COLUMNS: &str =
    "id, device_id, device_seq, actor, at, entity, record_id, parent_id, op, changes, bases";

impl LogRow {
    fn read(r: &rusqlite::Row) -> rusqlite::Result<LogRow> {
        Ok(LogRow {
            id: r.get(0)?,
            device_id: r.get(1)?,
            device_seq: r.get(2)?,
            actor: r.get(3)?,
            at: r.get(4)?,
            entity: r.get(5)?,
            record_id: r.get(6)?,
            parent_id: r.get(7)?,
            op: r.get(8)?,
            changes: r.get(9)?,
            bases: r.get(10)?,
        })
    }

    /// The entry as a line of the package: what serialising it as an [`Entry`] writes, but
    /// with the JSON columns copied as they are rather than parsed and written again (that
    /// round trip was 40 % of an export). Readers parse them into the same maps either way.
    fn write_line(&self, out: &mut Vec<u8>) -> Result<()> {
        let start = out.len();
        let field = |out: &mut Vec<u8>, name: &str| {
            out.push(if out.len() == start { b'{' } else { b',' });
            out.push(b'"');
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":");
        };
        field(out, "id");
        serde_json::to_writer(&mut *out, &self.id)?;
        field(out, "device_id");
        serde_json::to_writer(&mut *out, &self.device_id)?;
        field(out, "device_seq");
        serde_json::to_writer(&mut *out, &self.device_seq)?;
        field(out, "actor");
        serde_json::to_writer(&mut *out, &self.actor)?;
        field(out, "at");
        serde_json::to_writer(&mut *out, &self.at)?;
        field(out, "entity");
        serde_json::to_writer(&mut *out, &self.entity)?;
        field(out, "record_id");
        serde_json::to_writer(&mut *out, &self.record_id)?;
        field(out, "parent_id");
        serde_json::to_writer(&mut *out, &self.parent_id)?;
        field(out, "op");
        serde_json::to_writer(&mut *out, &self.op)?;
        field(out, "changes");
        json_object(&self.changes, out)?;
        field(out, "bases");
        json_object(&self.bases, out)?;
        out.push(b'}');
        Ok(())
    }

    /// The changes as a map, for the few entries that can name photos.
    fn changes_if_media(&self) -> Option<Map<String, Value>> {
        ["\"photos\"", "\"attachments\"", "\"items\""]
            .iter()
            .any(|k| self.changes.contains(k))
            .then(|| serde_json::from_str(&self.changes).unwrap_or_default())
    }
}

/// Copy a JSON object column into a package line. The log's columns are written by
/// serde_json, compact (one line); anything else — which would break the line framing or the
/// receiver's parse — is parsed and rewritten, an unreadable value as `{}` as before.
fn json_object(text: &str, out: &mut Vec<u8>) -> Result<()> {
    let t = text.trim();
    if t.starts_with('{') && t.ends_with('}') && !t.contains('\n') {
        out.extend_from_slice(t.as_bytes());
    } else {
        let v: Map<String, Value> = serde_json::from_str(t).unwrap_or_default();
        serde_json::to_writer(&mut *out, &v)?;
    }
    Ok(())
}

/// Ids of the records inside a scope: the orgs, their units, members, meetings, inspections,
/// visits, dues, and the instructors and events that go with them.
fn records_in_scope(store: &Store, scope: &Scope) -> Result<HashSet<String>> {
    let conn = store.conn();
    let ids = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Vec<String>> {
        let mut st = conn.prepare(sql)?;
        let rows = st.query_map(p, |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let mut orgs: BTreeSet<String> = match scope {
        Scope::All => return Ok(HashSet::new()),
        Scope::Org(id) => BTreeSet::from([id.to_string()]),
        Scope::Area(a) => ids("SELECT id FROM org WHERE area = ?1", &[a])?
            .into_iter()
            .collect(),
    };
    loop {
        let before = orgs.len();
        for (child, parent) in ids(
            "SELECT id || '|' || parent_id FROM org WHERE parent_id IS NOT NULL",
            &[],
        )?
        .iter()
        .filter_map(|s| s.split_once('|'))
        {
            if orgs.contains(parent) {
                orgs.insert(child.to_string());
            }
        }
        if orgs.len() == before {
            break;
        }
    }
    let mut out: HashSet<String> = orgs.iter().cloned().collect();
    let list = |set: &BTreeSet<String>| {
        set.iter()
            .map(|s| format!("'{}'", s.replace('\'', "")))
            .collect::<Vec<_>>()
            .join(",")
    };
    let o = list(&orgs);
    let mut units: BTreeSet<String> = ids(
        &format!("SELECT unit_id FROM org_unit WHERE org_id IN ({o})"),
        &[],
    )?
    .into_iter()
    .collect();
    if let Scope::Area(a) = scope {
        units.extend(ids("SELECT id FROM unit WHERE area = ?1", &[a])?);
    }
    let u = list(&units);
    out.extend(units.iter().cloned());
    let members: BTreeSet<String> = ids(
        &format!("SELECT id FROM member WHERE org_id IN ({o}) OR work_unit_id IN ({u})"),
        &[],
    )?
    .into_iter()
    .collect();
    let m = list(&members);
    out.extend(members.iter().cloned());
    for sql in [
        format!("SELECT id FROM member_event WHERE member_id IN ({m})"),
        format!("SELECT id FROM activity WHERE org_id IN ({o})"),
        format!("SELECT id FROM inspection WHERE org_id IN ({o})"),
        format!("SELECT id FROM visit WHERE unit_id IN ({u})"),
        format!("SELECT id FROM dues WHERE member_id IN ({m})"),
        format!("SELECT instructor_id FROM unit WHERE id IN ({u}) AND instructor_id IS NOT NULL"),
        format!("SELECT instructor_id FROM visit WHERE unit_id IN ({u})"),
        format!("SELECT id FROM alliance WHERE lead_org_id IN ({o})"),
        "SELECT id FROM checklist".to_string(),
    ] {
        out.extend(ids(&sql, &[])?);
    }
    Ok(out)
}

/// The distinct records a package carries, counted for its manifest: a UUID as its 128 bits
/// (a city's 700,000 records in ~20 MB rather than ~70 MB of strings); an id that is not a
/// UUID (none is, but the log is not ours to assume about) as its text.
#[derive(Default)]
struct RecordSet {
    uuids: HashSet<u128, foldhash::fast::RandomState>,
    other: HashSet<String>,
}

impl RecordSet {
    fn insert(&mut self, id: &str) {
        // Only the canonical spelling, so that two spellings of one UUID still count twice,
        // as two distinct ids.
        let canonical = id.len() == 36 && !id.bytes().any(|b| b.is_ascii_uppercase());
        match uuid::Uuid::try_parse(id).ok().filter(|_| canonical) {
            Some(u) => {
                self.uuids.insert(u.as_u128());
            }
            None => {
                if !self.other.contains(id) {
                    self.other.insert(id.to_string());
                }
            }
        }
    }

    fn len(&self) -> usize {
        self.uuids.len() + self.other.len()
    }
}

/// Photo and attachment paths a change refers to.
fn media_paths(changes: &Map<String, Value>, out: &mut BTreeSet<String>) {
    for (field, change) in changes {
        let new = change.get(1).unwrap_or(&Value::Null);
        match (field.as_str(), new) {
            ("photos" | "attachments", Value::Array(list)) => {
                out.extend(list.iter().filter_map(|v| v.as_str().map(String::from)))
            }
            ("items", Value::Array(items)) => out.extend(
                items
                    .iter()
                    .filter_map(|i| i["photo"].as_str().map(String::from)),
            ),
            _ => {}
        }
    }
}

pub fn export_package(
    store: &mut Store,
    out: &Path,
    opts: &ExportOptions,
) -> Result<ExportSummary> {
    let destination = match (&opts.to, opts.all) {
        (Some(d), _) => d.clone(),
        (None, true) => "all".to_string(),
        (None, false) => {
            return Err(Error::Rule(
                "请用 --to 指定接收方的设备编号，或用 --all 导出全部数据".into(),
            ))
        }
    };
    let scope = opts.scope.clone().unwrap_or(Scope::All);
    // What was sent to this destination (for this scope) before.
    let sent_key = if scope == Scope::All {
        destination.clone()
    } else {
        format!("{destination}|{}", scope.key())
    };
    let mut sent: BTreeMap<String, i64> = BTreeMap::new();
    if !opts.all {
        let mut st = store
            .conn()
            .prepare("SELECT device_id, max_seq FROM exchange_sent WHERE destination = ?1")?;
        for r in st.query_map([&sent_key], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })? {
            let (d, s) = r?;
            sent.insert(d, s);
        }
    }
    let in_scope = records_in_scope(store, &scope)?;
    let me = store.session().device_id.clone();
    let source_name: String = store
        .conn()
        .query_row("SELECT name FROM device WHERE id = ?1", [&me], |r| r.get(0))
        .unwrap_or_else(|_| "本机".into());
    // Entries go into the package as the change log is read, one at a time; what the
    // manifest needs from them is gathered on the way (a few numbers per origin device, a
    // 16-byte key per record, the photo paths).
    let mut writer = package::PackageWriter::create(out)?;
    let mut range: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut records = RecordSet::default();
    let mut paths = BTreeSet::new();
    {
        // One statement: SQLite steps through the log row by row, and the statement is one
        // read transaction, so the package is a consistent snapshot even if the app writes
        // meanwhile.
        let mut st = store.conn().prepare(&format!(
            "SELECT {LOG_COLUMNS} FROM change_log WHERE entity <> 'settings' ORDER BY seq"
        ))?;
        let mut rows = st.query([])?;
        let mut line = Vec::new();
        while let Some(row) = rows.next()? {
            let e = LogRow::read(row)?;
            // The destination has what it sent and what it made itself.
            if sent.get(&e.device_id).is_some_and(|s| e.device_seq <= *s)
                || e.device_id == destination
            {
                continue;
            }
            if scope != Scope::All && !in_scope.contains(&e.record_id) {
                continue;
            }
            match range.get_mut(&e.device_id) {
                Some(r) => {
                    r.0 = r.0.min(e.device_seq);
                    r.1 = r.1.max(e.device_seq);
                }
                None => {
                    range.insert(e.device_id.clone(), (e.device_seq, e.device_seq));
                }
            }
            records.insert(&e.record_id);
            if let Some(changes) = e.changes_if_media() {
                media_paths(&changes, &mut paths);
            }
            line.clear();
            e.write_line(&mut line)?;
            writer.entry_line(&line)?;
        }
    }
    let mut photos = 0;
    if let Some(dir) = store.media_dir() {
        // A path typed into a record could point anywhere; only the photo folder travels.
        for p in paths
            .into_iter()
            .filter(|p| crate::store::safe_photo_name(p))
        {
            if let Ok(mut file) = std::fs::File::open(dir.join(&p)) {
                if file.metadata().is_ok_and(|m| m.is_file()) {
                    writer.photo(&p, &mut file)?;
                    photos += 1;
                }
            }
        }
    }
    let changes = writer.entries();
    let package_id = Id::new().to_string();
    let manifest = Manifest {
        format: package::FORMAT.into(),
        format_version: package::FORMAT_VERSION,
        package_id: package_id.clone(),
        schema_version: SCHEMA_VERSION,
        source_device: me,
        source_name,
        destination: destination.clone(),
        scope: scope.key(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        requires: sent,
        range: range.clone(),
        changes,
        records: records.len(),
        photos,
        sha256: BTreeMap::new(),
    };
    writer.finish(manifest)?;
    let summary = ExportSummary {
        package_id: package_id.clone(),
        path: out.display().to_string(),
        destination: destination.clone(),
        changes,
        records: records.len(),
        photos,
    };
    // Only once the file is safely written does this PC count it as sent.
    store.write(|tx| {
        if destination != "all" {
            for (device, (_, max)) in &range {
                tx.conn().execute(
                    "INSERT INTO exchange_sent(destination, device_id, max_seq) VALUES (?1, ?2, ?3)
                     ON CONFLICT(destination, device_id) DO UPDATE SET max_seq = max(max_seq, excluded.max_seq)",
                    params![sent_key, device, max],
                )?;
            }
        }
        tx.conn().execute(
            "INSERT INTO exchange_log(id, direction, peer_device, at, summary) VALUES (?1, 'export', ?2, ?3, ?4)",
            params![package_id, destination, tx.now(), serde_json::to_string(&summary)?],
        )?;
        Ok(())
    })?;
    Ok(summary)
}
