//! [`EncryptedFile`]: Matrix's encrypted-attachment metadata, as MSC4039 carries it in
//! `upload_file`'s response and `download_file`'s request (`encryption`).
//!
//! The standard fields of the Client-Server API's `EncryptedFile` (v1.11, "Sending
//! encrypted attachments") are typed, so a host that decrypts reads them directly; every
//! other field is kept, in `extra`, for the round-trip. Two differences from the spec's
//! object, both from MSC4039's text:
//!
//! - `url` is optional. MSC4039's example omits it, because `content_uri` next to it
//!   already names the file.
//! - The values the spec pins (`v` is `"v2"`, `key.alg` is `"A256CTR"`, `key.kty` is
//!   `"oct"`, `key.ext` is `true`) are not checked here: a host that decrypts checks them
//!   and refuses what it cannot decrypt, and a later version of the scheme still decodes.
//!
//! Why typed rather than a raw object: the only consumer of `encryption` is a host that
//! decrypts, and it cannot use one that lacks `key`, `iv` or `hashes`; a host that cannot
//! decrypt must refuse every `download_file` carrying `encryption` anyway (wire decision
//! 19). Refusing a malformed one when decoding therefore refuses nothing a correct host
//! would serve, and names the missing field.
//!
//! ```
//! use matrix_widget_api::encrypted_file::EncryptedFile;
//!
//! let file: EncryptedFile = serde_json::from_str(r#"{
//!     "v": "v2",
//!     "key": {"alg": "A256CTR", "ext": true, "k": "aWF6-32KGYaC3A_FEUCk1Bt0JA37zP0wrStgmdCaW-0",
//!             "key_ops": ["encrypt", "decrypt"], "kty": "oct"},
//!     "iv": "w+sE15fzSc0AAAAAAAAAAA",
//!     "hashes": {"sha256": "fdSLu/YkRx3Wyh3KQabP3rd6+SFiKg5lsJZQHtkSAYA"}
//! }"#)?;
//! assert_eq!(file.key.alg, "A256CTR");
//! assert_eq!(file.hashes.sha256.as_deref(), Some("fdSLu/YkRx3Wyh3KQabP3rd6+SFiKg5lsJZQHtkSAYA"));
//! assert!(file.url.is_none());
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::payload::{Extra, Payload};

/// Encrypted-attachment metadata (the Client-Server API's EncryptedFile): what a client
/// needs to decrypt a file from the content repository.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct EncryptedFile {
    /// The file's mxc:// URI. Optional here: MSC4039 names the file in content_uri and its examples omit url.
    pub url: Option<String>,
    /// The key, as a JSON Web Key.
    pub key: EncryptedFileKey,
    /// The 128-bit initialisation vector of AES-CTR, unpadded base64.
    pub iv: String,
    /// Hashes of the ciphertext, by algorithm, unpadded base64.
    pub hashes: EncryptedFileHashes,
    /// The version of the encrypted-attachment scheme ("v2" today).
    pub v: String,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl EncryptedFile {
    /// Metadata with the given fields, in the current scheme (`v2`) and without `url`.
    pub fn new(key: EncryptedFileKey, iv: impl Into<String>, sha256: impl Into<String>) -> Self {
        EncryptedFile {
            url: None,
            key,
            iv: iv.into(),
            hashes: EncryptedFileHashes { sha256: Some(sha256.into()), extra: Extra::new() },
            v: "v2".to_owned(),
            extra: Extra::new(),
        }
    }

    /// The same metadata, naming the file's mxc:// URI.
    pub fn with_url(self, url: impl Into<String>) -> Self {
        EncryptedFile { url: Some(url.into()), ..self }
    }
}

/// The key of an encrypted attachment, as a JSON Web Key.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct EncryptedFileKey {
    /// The key type ("oct").
    pub kty: String,
    /// The operations the key may be used for (at least "encrypt" and "decrypt").
    pub key_ops: Vec<String>,
    /// The algorithm ("A256CTR").
    pub alg: String,
    /// The key, unpadded URL-safe base64.
    pub k: String,
    /// Whether the key is extractable (true).
    pub ext: bool,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl EncryptedFileKey {
    /// An AES-CTR 256 key (`kty` "oct", `alg` "A256CTR", `key_ops` encrypt and decrypt,
    /// `ext` true) whose value is `k`, unpadded URL-safe base64.
    pub fn a256ctr(k: impl Into<String>) -> Self {
        EncryptedFileKey {
            kty: "oct".to_owned(),
            key_ops: vec!["encrypt".to_owned(), "decrypt".to_owned()],
            alg: "A256CTR".to_owned(),
            k: k.into(),
            ext: true,
            extra: Extra::new(),
        }
    }
}

/// Hashes of an encrypted attachment's ciphertext, by algorithm name.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct EncryptedFileHashes {
    /// The SHA-256 hash, unpadded base64 (the one clients are expected to support).
    pub sha256: Option<String>,
    /// Hashes of other algorithms, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}
