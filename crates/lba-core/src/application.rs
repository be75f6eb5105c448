//! What a candidate sends when applying: names, an optional message and a
//! CV file, each parsed once. Contact details come from [`crate::contact`].
//!
//! Errors are in French (they are shown next to the form field) and never
//! repeat the input: it is personal data.

mod state;

pub use state::{Answer, ApplicationStatus};

use std::fmt;

/// Longest first or last name, in characters.
pub const MAX_NAME_CHARS: usize = 50;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 3_000;
/// Largest CV, in bytes: 3 Mo, in the SI sense French users read it
/// (3,000,000 bytes, not 3 MiB).
pub const MAX_CV_BYTES: usize = 3_000_000;
/// Most parts (ZIP entries) a DOCX may hold; a CV has about ten.
pub const MAX_DOCX_ENTRIES: usize = 1_000;
/// Largest total size of a DOCX's parts once decompressed, as its central
/// directory declares them (50 Mo).
pub const MAX_DOCX_EXPANDED_BYTES: u64 = 50_000_000;
/// Most a large part of a DOCX may be compressed (declared size over
/// compressed size); XML compresses 5 to 30 times.
pub const MAX_DOCX_RATIO: u64 = 100;
/// Parts declaring fewer bytes than this are not held to
/// [`MAX_DOCX_RATIO`]: small XML parts may compress a lot, and harmlessly
/// (the total is bounded by [`MAX_DOCX_EXPANDED_BYTES`] anyway).
const DOCX_RATIO_FROM_BYTES: u64 = 1_000_000;
/// How far from its start a PDF is searched for HTML, and how close to its
/// end its `%%EOF` must be.
const PDF_WINDOW: usize = 1_024;
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
    /// A DOCX of more than [`MAX_DOCX_ENTRIES`] parts.
    #[error(
        "ce document Word contient plus de 1 000 éléments : enregistrez-le à nouveau depuis \
         votre traitement de texte, ou envoyez-le en PDF"
    )]
    CvDocxEntries,
    /// A DOCX whose parts would take more than [`MAX_DOCX_EXPANDED_BYTES`]
    /// once decompressed (a "zip bomb").
    #[error(
        "ce document Word dépasserait 50 Mo une fois décompressé : enregistrez-le à nouveau \
         depuis votre traitement de texte, ou envoyez-le en PDF"
    )]
    CvDocxExpanded,
    /// A large part of a DOCX compressed more than [`MAX_DOCX_RATIO`] times.
    #[error(
        "ce document Word contient un élément compressé de façon anormale (plus de 100 fois) : \
         enregistrez-le à nouveau depuis votre traitement de texte, ou envoyez-le en PDF"
    )]
    CvDocxRatio,
    /// A DOCX without `[Content_Types].xml`.
    #[error(
        "ce document Word est incomplet (partie [Content_Types].xml absente) : enregistrez-le \
         à nouveau depuis votre traitement de texte, ou envoyez-le en PDF"
    )]
    CvDocxIncomplete,
    /// A PDF whose first line is not `%PDF-1.x` (or `%PDF-2.x`).
    #[error(
        "ce PDF est mal formé (il doit commencer par %PDF-1.x) : enregistrez-le à nouveau \
         depuis votre logiciel (« Enregistrer en PDF »)"
    )]
    CvPdfHeader,
    /// A PDF without `%%EOF` in its last kilobyte.
    #[error(
        "ce PDF est incomplet (sa fin, %%EOF, manque) : enregistrez-le à nouveau depuis votre \
         logiciel (« Enregistrer en PDF »)"
    )]
    CvPdfTruncated,
    /// A PDF that is also something else: a web page in its first
    /// kilobyte, a ZIP archive, or other data after its end.
    #[error(
        "ce PDF contient aussi autre chose qu'un document (page web, archive ou données après \
         sa fin) : enregistrez-le à nouveau depuis votre logiciel (« Enregistrer en PDF »)"
    )]
    CvPdfForeign,
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

/// A CV whose bytes were checked, at most 3 Mo, with a safe file name: a
/// PDF whose structure holds no other file (see [`CvFile::parse`]), or a
/// DOCX whose central directory declares nothing dangerous.
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
    ///
    /// The bytes must be at most [`MAX_CV_BYTES`] and be:
    /// - a PDF: `%PDF-1.x` (or `2.x`) first, no web page (`<html`,
    ///   `<script`…) in the first kilobyte, `%%EOF` in the last kilobyte
    ///   followed by whitespace only, and no ZIP archive inside (a file
    ///   that a ZIP reader opens too is a polyglot, not a CV);
    /// - or a DOCX, judged by its ZIP central directory without inflating
    ///   anything: `[Content_Types].xml` and `word/document.xml` present,
    ///   at most [`MAX_DOCX_ENTRIES`] parts declaring at most
    ///   [`MAX_DOCX_EXPANDED_BYTES`] in total, and no part over 1 Mo
    ///   compressed more than [`MAX_DOCX_RATIO`] times.
    pub fn parse(file_name: &str, bytes: Vec<u8>) -> Result<Self, ApplicationError> {
        if bytes.is_empty() {
            return Err(ApplicationError::CvMissing);
        }
        if bytes.len() > MAX_CV_BYTES {
            return Err(ApplicationError::CvTooLarge);
        }
        let kind = sniff(&bytes).ok_or(ApplicationError::CvType)?;
        match kind {
            CvKind::Pdf => check_pdf(&bytes)?,
            CvKind::Docx => check_docx(&bytes)?,
        }
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

/// The DOCX rules of [`CvFile::parse`], on the sizes the central directory
/// declares: nothing is inflated, so a bomb costs nothing to refuse.
fn check_docx(bytes: &[u8]) -> Result<(), ApplicationError> {
    let archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| ApplicationError::CvType)?;
    if archive.len() > MAX_DOCX_ENTRIES {
        return Err(ApplicationError::CvDocxEntries);
    }
    let mut content_types = false;
    let mut expanded = 0u64;
    let mut over_ratio = false;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_data(index)
            .map_err(|_| ApplicationError::CvType)?;
        if entry.name().is_ok_and(|n| n == "[Content_Types].xml") {
            content_types = true;
        }
        let size = entry.size();
        expanded = expanded.saturating_add(size);
        over_ratio |=
            size > DOCX_RATIO_FROM_BYTES && size / entry.compressed_size().max(1) > MAX_DOCX_RATIO;
    }
    // The total first: the clearer reason when both apply.
    if expanded > MAX_DOCX_EXPANDED_BYTES {
        return Err(ApplicationError::CvDocxExpanded);
    }
    if over_ratio {
        return Err(ApplicationError::CvDocxRatio);
    }
    if !content_types {
        return Err(ApplicationError::CvDocxIncomplete);
    }
    Ok(())
}

/// The PDF rules of [`CvFile::parse`]: enough structure to refuse files
/// that are a PDF for one program and a web page or an archive for another.
fn check_pdf(bytes: &[u8]) -> Result<(), ApplicationError> {
    let header = bytes.get(..8).unwrap_or_default();
    let version_ok = header.starts_with(b"%PDF-")
        && matches!(header[5], b'1' | b'2')
        && header[6] == b'.'
        && header[7].is_ascii_digit();
    if !version_ok {
        return Err(ApplicationError::CvPdfHeader);
    }
    // The header line, then the first kilobyte after it: what a browser
    // sniffing the file would read.
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(bytes.len());
    let head = &bytes[..bytes.len().min(line_end + PDF_WINDOW)];
    const MARKUP: [&[u8]; 6] = [
        b"<html",
        b"<script",
        b"<!doctype",
        b"<body",
        b"<iframe",
        b"<svg",
    ];
    if MARKUP.iter().any(|m| contains_ignore_case(head, m)) {
        return Err(ApplicationError::CvPdfForeign);
    }
    let eof = rfind(bytes, b"%%EOF").ok_or(ApplicationError::CvPdfTruncated)?;
    let after = &bytes[eof + b"%%EOF".len()..];
    if !after
        .iter()
        .all(|b| b.is_ascii_whitespace() || matches!(b, b'\0' | b'\x0c'))
    {
        return Err(ApplicationError::CvPdfForeign);
    }
    if after.len() > PDF_WINDOW {
        return Err(ApplicationError::CvPdfTruncated);
    }
    // An archive hidden anywhere a ZIP reader looks (its end record, up
    // to 64 KiB from the end, with %%EOF in its comment for instance).
    if zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|a| !a.is_empty()) {
        return Err(ApplicationError::CvPdfForeign);
    }
    Ok(())
}

/// Whether `haystack` contains `needle` (ASCII, case-insensitive).
fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The start of the last `needle` in `haystack`.
fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
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
