//! `upload_file` (fromWidget) — MSC4039: the host uploads a file to the content repository.
//!
//! `{file}` → `{content_uri, encryption?}`. Emitted as `org.matrix.msc4039.upload_file`
//! (matrix-widget-api 1.19 sends it only to a host advertising the `org.matrix.msc4039`
//! API version); the stable `upload_file` is accepted. The capability has the same
//! unstable string, `org.matrix.msc4039.upload_file` (stable `m.upload_file`).
//!
//! `file` is a structured-clone value (a `Blob`, `File`, `ArrayBuffer` or string), not
//! JSON: it is a [`Transferable`], kept byte-exact; see [`crate::transferable`] for what a
//! JSON-only peer can do with it. It must be present and not `null`.
//!
//! In an encrypted room MSC4039 has the host encrypt the file before uploading it and
//! return the key material as `encryption` ([`EncryptedFile`]), which the widget then puts
//! in its event; matrix-widget-api 1.19 never sends it, so it is optional (wire decision 19).
//!
//! ```
//! use matrix_widget_api::from_widget::upload_file::UploadFileResponseData;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! // A Blob, after JSON.stringify, is `{}`.
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc4039.upload_file","data":{"file":{}}}"#;
//! let HostMessage::Request(FromWidgetRequest::UploadFile(request)) = decode_host(text)? else { unreachable!() };
//! assert!(request.data().file.is_empty_object());
//! let reply = request.reply(&UploadFileResponseData::new("mxc://example.org/abc"));
//! assert!(reply.ends_with(r#""data":{"file":{}},"response":{"content_uri":"mxc://example.org/abc"}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::encrypted_file::EncryptedFile;
use crate::payload::{Extra, Payload};
use crate::transferable::Transferable;

/// The `upload_file` action from widget to host.
#[derive(Debug)]
pub enum UploadFile {}

impl Action for UploadFile {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::UploadFile;
    type RequestData = UploadFileRequestData;
    type ResponseData = UploadFileResponseData;
}

/// The request `data`: the file to upload.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct UploadFileRequestData {
    /// The file: in a browser a structured-clone value (Blob, File, ArrayBuffer or string); a JSON peer sees {} for a Blob, File or ArrayBuffer. Not null.
    pub file: Transferable,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl UploadFileRequestData {
    /// Uploads `file`.
    pub fn new(file: Transferable) -> Self {
        UploadFileRequestData { file, extra: Extra::new() }
    }
}

/// The success response: where the file is, and its key material if the host encrypted it.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct UploadFileResponseData {
    /// The uploaded file's mxc:// URI.
    pub content_uri: String,
    /// MSC4039: the key material, when the host encrypted the file (an encrypted room). The widget puts it in the event that references the file.
    pub encryption: Option<EncryptedFile>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl UploadFileResponseData {
    /// The file was uploaded as it was, to `content_uri`.
    pub fn new(content_uri: impl Into<String>) -> Self {
        UploadFileResponseData { content_uri: content_uri.into(), encryption: None, extra: Extra::new() }
    }

    /// The file was encrypted before the upload, with `encryption`.
    pub fn with_encryption(self, encryption: EncryptedFile) -> Self {
        UploadFileResponseData { encryption: Some(encryption), ..self }
    }
}
