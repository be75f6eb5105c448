//! What a candidate sends when applying: names, an optional message and a
//! CV file, each parsed once. Contact details come from [`crate::contact`].
//!
//! Errors are in French (they are shown next to the form field) and never
//! repeat the input: it is personal data.

use std::fmt;

/// Longest first or last name, in characters.
pub const MAX_NAME_CHARS: usize = 50;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 3_000;
/// Largest CV, in bytes (3 MB).
pub const MAX_CV_BYTES: usize = 3 * 1024 * 1024;
/// Longest stored CV file name, in characters.
const MAX_FILE_NAME_CHARS: usize = 100;

/// Why an application field is not valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationError {
    /// Empty name.
    #[error("ce champ est obligatoire")]
    NameMissing,
    /// Longer than [`MAX_NAME_CHARS`].
    #[error("50 caractères au plus")]
    NameTooLong,
    /// A character that is not a letter, space, hyphen or apostrophe.
    #[error("seuls les lettres, espaces, traits d'union et apostrophes sont acceptés")]
    NameCharacters,
    /// Looks like a web address.
    #[error("les adresses web ne sont pas acceptées")]
    NameUrl,
    /// Longer than [`MAX_MESSAGE_CHARS`].
    #[error("3 000 caractères au plus")]
    MessageTooLong,
    /// A message holding a link to a site (spam).
    #[error("les liens ne sont pas acceptés dans le message")]
    MessageUrl,
    /// No file.
    #[error("joignez votre CV (PDF ou DOCX)")]
    CvMissing,
    /// Larger than [`MAX_CV_BYTES`].
    #[error("le fichier dépasse 3 Mo")]
    CvTooLarge,
    /// Neither a PDF nor a Word (DOCX) file, judged by its bytes.
    #[error("le fichier doit être un PDF ou un document Word (.docx)")]
    CvType,
    /// The file name does not end with .pdf or .docx.
    #[error("le nom du fichier doit se terminer par .pdf ou .docx")]
    CvName,
}

/// A first or last name: 1–50 characters, letters (accents included),
/// spaces, hyphens and apostrophes; no web address.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name (trimmed, inner runs of spaces collapsed).
    pub fn parse(input: &str) -> Result<Self, ApplicationError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(ApplicationError::NameMissing);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(ApplicationError::NameTooLong);
        }
        if looks_like_url(&name) {
            return Err(ApplicationError::NameUrl);
        }
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’');
        if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
            return Err(ApplicationError::NameCharacters);
        }
        Ok(Self(name))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Only the length: a name is personal data.
impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({} chars)", self.0.chars().count())
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// "www.", "http://", "https://" or a bare domain-like token.
fn looks_like_url(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http://")
        || lower.contains("https://")
        || lower.contains("www.")
        || lower.split_whitespace().any(|word| {
            word.split_once('.').is_some_and(|(host, tld)| {
                !host.is_empty()
                    && (2..=6).contains(&tld.len())
                    && tld.chars().all(|c| c.is_ascii_alphabetic())
            })
        })
}

/// The candidate's optional message to the recruiter (≤ 3,000 characters,
/// no link: legitimate cover letters do not need one, spam does).
pub fn parse_message(input: &str) -> Result<Option<String>, ApplicationError> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApplicationError::MessageTooLong);
    }
    let lower = text.to_lowercase();
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return Err(ApplicationError::MessageUrl);
    }
    Ok(Some(text.replace("\r\n", "\n")))
}

/// The kind of a CV, decided by its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CvKind {
    /// application/pdf.
    Pdf,
    /// A Word document (Office Open XML).
    Docx,
}

impl CvKind {
    /// The MIME type sent with the attachment.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    /// The file extension, without dot.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
        }
    }

    /// Parses a stored MIME type.
    #[must_use]
    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Pdf, Self::Docx]
            .into_iter()
            .find(|k| k.mime() == mime)
    }
}

/// A CV whose bytes were checked: a PDF, or a ZIP holding
/// `word/document.xml` (DOCX), at most 3 MB, with a safe file name.
#[derive(Clone, PartialEq, Eq)]
pub struct CvFile {
    name: String,
    kind: CvKind,
    bytes: Vec<u8>,
}

impl CvFile {
    /// Checks `bytes` and sanitises `file_name` (path removed, only
    /// letters, digits, `-`, `_`, `.` and spaces kept, the extension made
    /// to match the detected kind).
    pub fn parse(file_name: &str, bytes: Vec<u8>) -> Result<Self, ApplicationError> {
        if bytes.is_empty() {
            return Err(ApplicationError::CvMissing);
        }
        if bytes.len() > MAX_CV_BYTES {
            return Err(ApplicationError::CvTooLarge);
        }
        let kind = sniff(&bytes).ok_or(ApplicationError::CvType)?;
        let name = sanitize_file_name(file_name, kind)?;
        Ok(Self { name, kind, bytes })
    }

    /// A CV read back from the store (already checked when received).
    #[must_use]
    pub fn trusted(name: String, kind: CvKind, bytes: Vec<u8>) -> Self {
        Self { name, kind, bytes }
    }

    /// The sanitised file name (`cv_jeanne.pdf`).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// PDF or DOCX.
    #[must_use]
    pub fn kind(&self) -> CvKind {
        self.kind
    }

    /// The content.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The content, owned.
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// Name, kind and size only: the content is personal data.
impl fmt::Debug for CvFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CvFile({:?}, {} bytes)", self.kind, self.bytes.len())
    }
}

/// PDF by its magic number; DOCX when `infer` sees an Office document or a
/// ZIP (it reports DOCX only when `word/` comes first in the archive) and
/// the archive really lists `word/document.xml`.
fn sniff(bytes: &[u8]) -> Option<CvKind> {
    let detected = infer::get(bytes)?;
    match detected.mime_type() {
        "application/pdf" => Some(CvKind::Pdf),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/zip" => has_word_document(bytes).then_some(CvKind::Docx),
        _ => None,
    }
}

/// Whether the ZIP central directory lists `word/document.xml` (nothing is
/// decompressed).
fn has_word_document(bytes: &[u8]) -> bool {
    match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(archive) => archive
            .file_names()
            .any(|n| n.is_ok_and(|n| n == "word/document.xml")),
        Err(_) => false,
    }
}

fn sanitize_file_name(input: &str, kind: CvKind) -> Result<String, ApplicationError> {
    let base = input.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let (stem, extension) = base.rsplit_once('.').ok_or(ApplicationError::CvName)?;
    let extension = extension.to_ascii_lowercase();
    if extension != "pdf" && extension != "docx" {
        return Err(ApplicationError::CvName);
    }
    let folded = deunicode::deunicode(stem);
    let mut clean: String = folded
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    clean = clean.trim_matches(['_', '.']).to_owned();
    if clean.is_empty() {
        clean = "cv".to_owned();
    }
    let max_stem = MAX_FILE_NAME_CHARS - kind.extension().len() - 1;
    clean.truncate(max_stem);
    Ok(format!("{clean}.{}", kind.extension()))
}

/// What an application is sent to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    /// A job offer (`company_type: matcha` in the v1 API).
    Offer,
    /// A company, spontaneously (`company_type: lba`).
    Company,
}

impl TargetKind {
    /// Stable name stored in the database.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offer => "offer",
            Self::Company => "company",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "offer" => Some(Self::Offer),
            "company" => Some(Self::Company),
            _ => None,
        }
    }
}

/// The reasons a recruiter may give for a refusal (the fixed list of the
/// v1 API's `company_feedback_reasons`).
pub const REFUSAL_REASONS: [&str; 5] = [
    "Compétences insuffisantes ou non adaptées",
    "Manque de personnalisation de la candidature",
    "Avis négatif sur l’école/la formation",
    "Type de contrat inadapté",
    "Notre entreprise ne recrute pas sur le métier recherché",
];
