//! Errors as they cross to the window: `{code, message, fields}` with the core's Chinese
//! message. `fields` lists every invalid field so the form can show each at its field.

use serde::Serialize;
use taizhang::model::FieldError;

#[derive(Debug, Clone, Serialize)]
pub struct IpcError {
    /// Stable machine code (`validation`, `not_found`, `rule`, `database`, …).
    pub code: String,
    /// Chinese message fit to show a user.
    pub message: String,
    /// Per-field problems (only for `validation`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        IpcError {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// A problem with what the window sent (not a record field).
    pub fn input(message: impl Into<String>) -> Self {
        Self::new("input", message)
    }

    /// Something went wrong inside the shell itself.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("internal", message)
    }
}

impl From<taizhang::Error> for IpcError {
    fn from(e: taizhang::Error) -> Self {
        let fields = match &e {
            taizhang::Error::Validation(errs) => errs.0.clone(),
            _ => Vec::new(),
        };
        IpcError {
            code: e.code().into(),
            message: e.to_string(),
            fields,
        }
    }
}

impl From<taizhang::model::FieldErrors> for IpcError {
    fn from(e: taizhang::model::FieldErrors) -> Self {
        taizhang::Error::Validation(e).into()
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;
    use taizhang::model::FieldErrors;

    #[test]
    fn validation_errors_keep_their_fields() {
        let mut errs = FieldErrors::default();
        errs.push("id_number", "公民身份号码", "校验位不正确");
        let e: IpcError = errs.into();
        assert_eq!(e.code, "validation");
        assert!(e.message.contains("公民身份号码"));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["fields"][0]["field"], "id_number");
        let nf: IpcError = taizhang::Error::not_found("党员", "x").into();
        assert_eq!(nf.code, "not_found");
        assert!(serde_json::to_value(&nf).unwrap().get("fields").is_none());
    }
}
