//! CV files: PDF and DOCX judged by their structure (a DOCX's central
//! directory read without inflating anything, a PDF's header and end), the
//! 3 Mo limit in bytes (3,000,000), and the French errors.

use lba_core::application::{ApplicationError, CvFile, CvKind, MAX_CV_BYTES};

/// A small but complete PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// One part of a ZIP built by hand: its name, the bytes stored, and what
/// the central directory declares (method 0 = stored, 8 = deflated;
/// uncompressed size).
struct Part {
    name: String,
    data: Vec<u8>,
    method: u16,
    declared_size: u32,
}

impl Part {
    /// A part stored as is (sizes and CRC true).
    fn stored(name: &str, data: &[u8]) -> Self {
        Self {
            name: name.into(),
            data: data.to_vec(),
            method: 0,
            declared_size: u32::try_from(data.len()).unwrap(),
        }
    }

    /// A "deflated" part of `compressed` bytes declaring `size` bytes once
    /// inflated (nothing here inflates it: only the declaration matters).
    fn deflated(name: &str, compressed: usize, size: u32) -> Self {
        Self {
            name: name.into(),
            data: vec![0u8; compressed],
            method: 8,
            declared_size: size,
        }
    }
}

/// A ZIP archive: local headers with their data, the central directory and
/// its end record.
fn zip(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for part in parts {
        let offset = u32::try_from(out.len()).unwrap();
        let crc = if part.method == 0 {
            crc32fast::hash(&part.data)
        } else {
            0
        };
        let compressed = u32::try_from(part.data.len()).unwrap();
        let name = part.name.as_bytes();
        let name_len = u16::try_from(name.len()).unwrap();
        out.extend(b"PK\x03\x04");
        out.extend(20u16.to_le_bytes()); // version needed
        out.extend(0u16.to_le_bytes()); // flags
        out.extend(part.method.to_le_bytes());
        out.extend([0u8; 4]); // time, date
        out.extend(crc.to_le_bytes());
        out.extend(compressed.to_le_bytes());
        out.extend(part.declared_size.to_le_bytes());
        out.extend(name_len.to_le_bytes());
        out.extend(0u16.to_le_bytes()); // extra
        out.extend(name);
        out.extend(&part.data);

        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes()); // version made by
        central.extend(20u16.to_le_bytes()); // version needed
        central.extend(0u16.to_le_bytes());
        central.extend(part.method.to_le_bytes());
        central.extend([0u8; 4]);
        central.extend(crc.to_le_bytes());
        central.extend(compressed.to_le_bytes());
        central.extend(part.declared_size.to_le_bytes());
        central.extend(name_len.to_le_bytes());
        central.extend([0u8; 8]); // extra, comment, disk, internal attributes
        central.extend([0u8; 4]); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(name);
    }
    let start = u32::try_from(out.len()).unwrap();
    let count = u16::try_from(parts.len()).unwrap();
    let size = u32::try_from(central.len()).unwrap();
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]); // disk numbers
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes()); // comment
    out
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCUMENT: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Jeanne Martin, apprentie boulangere</w:t></w:r></w:p></w:body></w:document>"#;

/// The parts of a minimal valid Word document.
fn docx_parts() -> Vec<Part> {
    vec![
        Part::stored("[Content_Types].xml", CONTENT_TYPES),
        Part::stored("_rels/.rels", RELS),
        Part::stored("word/document.xml", DOCUMENT),
    ]
}

fn refused(name: &str, bytes: Vec<u8>) -> ApplicationError {
    match CvFile::parse(name, bytes) {
        Err(e) => e,
        Ok(cv) => panic!("{name} accepted: {cv:?}"),
    }
}

#[test]
fn a_small_valid_docx_and_pdf_are_accepted() {
    let cv = CvFile::parse("Mon CV.docx", zip(&docx_parts())).unwrap();
    assert_eq!(cv.kind(), CvKind::Docx);
    assert_eq!(cv.name(), "Mon_CV.docx");
    // A part compressed 50 times (ordinary for XML) is fine.
    let mut parts = docx_parts();
    parts.push(Part::deflated("word/styles.xml", 40_000, 2_000_000));
    assert_eq!(
        CvFile::parse("cv.docx", zip(&parts)).unwrap().kind(),
        CvKind::Docx
    );
    let cv = CvFile::parse("cv.pdf", PDF.to_vec()).unwrap();
    assert_eq!(cv.kind(), CvKind::Pdf);
    // Whitespace after %%EOF, a PDF 1.7 or 2.0 header, CR line ends.
    let mut padded = PDF.to_vec();
    padded.extend(b"\r\n  \n\0");
    assert!(CvFile::parse("cv.pdf", padded).is_ok());
    for header in [&b"%PDF-1.7"[..], b"%PDF-2.0"] {
        let mut pdf = PDF.to_vec();
        pdf[..8].copy_from_slice(header);
        assert!(CvFile::parse("cv.pdf", pdf).is_ok());
    }
    let cr = String::from_utf8(PDF.to_vec()).unwrap().replace('\n', "\r");
    assert!(CvFile::parse("cv.pdf", cr.into_bytes()).is_ok());
}

#[test]
fn a_docx_zip_bomb_is_refused_without_being_inflated() {
    // 1.1 MB whose word/document.xml declares 1.17 GB once inflated.
    let bomb = zip(&[
        Part::stored("[Content_Types].xml", CONTENT_TYPES),
        Part::stored("_rels/.rels", RELS),
        Part::deflated("word/document.xml", 1_100_000, 1_170_000_000),
    ]);
    assert!(bomb.len() < MAX_CV_BYTES);
    let started = std::time::Instant::now();
    let e = refused("cv.docx", bomb);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(e, ApplicationError::CvDocxExpanded);
    assert!(e.to_string().contains("50 Mo"), "{e}");

    // Under the total but one part compressed more than 100 times.
    let mut parts = docx_parts();
    parts.push(Part::deflated("word/media/image1.png", 10_000, 40_000_000));
    let e = refused("cv.docx", zip(&parts));
    assert_eq!(e, ApplicationError::CvDocxRatio);
    assert!(e.to_string().contains("compress"), "{e}");

    // Many parts, each one harmless: the total counts.
    let mut parts = docx_parts();
    for i in 0..60 {
        parts.push(Part::deflated(&format!("word/p{i}.xml"), 20_000, 1_000_000));
    }
    assert_eq!(
        refused("cv.docx", zip(&parts)),
        ApplicationError::CvDocxExpanded
    );

    // More than 1,000 parts.
    let mut parts = docx_parts();
    for i in 0..1_000 {
        parts.push(Part::stored(&format!("word/x{i}.xml"), b"<x/>"));
    }
    let e = refused("cv.docx", zip(&parts));
    assert_eq!(e, ApplicationError::CvDocxEntries);
    assert!(e.to_string().contains("1 000"), "{e}");
}

#[test]
fn a_docx_must_hold_its_required_parts() {
    // No [Content_Types].xml: not a document Word opens.
    let e = refused(
        "cv.docx",
        zip(&[
            Part::stored("_rels/.rels", RELS),
            Part::stored("word/document.xml", DOCUMENT),
        ]),
    );
    assert_eq!(e, ApplicationError::CvDocxIncomplete);
    assert!(e.to_string().contains("[Content_Types].xml"), "{e}");
    // A ZIP without word/document.xml is not a Word document at all.
    assert_eq!(
        refused(
            "cv.docx",
            zip(&[
                Part::stored("[Content_Types].xml", CONTENT_TYPES),
                Part::stored("notes.txt", b"hello"),
            ])
        ),
        ApplicationError::CvType
    );
}

#[test]
fn pdf_polyglots_and_truncated_pdfs_are_refused() {
    // HTML right after the header line.
    let html = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n".to_vec();
    let e = refused("cv.pdf", html);
    assert_eq!(e, ApplicationError::CvPdfForeign);
    assert!(e.to_string().contains("PDF"), "{e}");
    let upper = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n<!-- x --><SCRIPT src=x></SCRIPT>\n%%EOF\n".to_vec();
    assert_eq!(refused("cv.pdf", upper), ApplicationError::CvPdfForeign);

    // A ZIP appended after %%EOF.
    let mut with_zip = PDF.to_vec();
    with_zip.extend(zip(&docx_parts()));
    assert_eq!(refused("cv.pdf", with_zip), ApplicationError::CvPdfForeign);

    // A ZIP whose end record's comment ends with %%EOF: both a "PDF" ending
    // in %%EOF and a readable archive.
    let mut sneaky = PDF.to_vec();
    let mut archive = zip(&docx_parts());
    let comment = b"\n%%EOF\n";
    let len = archive.len();
    archive[len - 2..].copy_from_slice(&u16::try_from(comment.len()).unwrap().to_le_bytes());
    archive.extend(comment);
    sneaky.extend(archive);
    assert_eq!(refused("cv.pdf", sneaky), ApplicationError::CvPdfForeign);

    // Anything but whitespace after the last %%EOF.
    let mut trailing = PDF.to_vec();
    trailing.extend(b"<html>");
    assert_eq!(refused("cv.pdf", trailing), ApplicationError::CvPdfForeign);

    // No %%EOF in the last KB: truncated (or something hides after it).
    let mut truncated = PDF.to_vec();
    truncated.truncate(PDF.len() - 7);
    let e = refused("cv.pdf", truncated);
    assert_eq!(e, ApplicationError::CvPdfTruncated);
    assert!(e.to_string().contains("%%EOF"), "{e}");
    let mut far = PDF.to_vec();
    far.extend(vec![b' '; 2_000]);
    assert_eq!(refused("cv.pdf", far), ApplicationError::CvPdfTruncated);

    // Not a PDF version header.
    let bad = b"%PDF-x.y\n1 0 obj<<>>endobj\n%%EOF\n".to_vec();
    assert_eq!(refused("cv.pdf", bad), ApplicationError::CvPdfHeader);
}

#[test]
fn three_mo_means_three_million_bytes() {
    assert_eq!(MAX_CV_BYTES, 3_000_000);
    let exactly = |n: usize| {
        // A PDF of exactly n bytes: a comment line pads it before the end.
        let end = b"trailer<<>>\n%%EOF\n";
        let mut pdf = b"%PDF-1.4\n%".to_vec();
        pdf.resize(n - end.len() - 1, b'a');
        pdf.push(b'\n');
        pdf.extend(end);
        assert_eq!(pdf.len(), n);
        pdf
    };
    assert!(CvFile::parse("cv.pdf", exactly(3_000_000)).is_ok());
    let e = refused("cv.pdf", exactly(3_000_001));
    assert_eq!(e, ApplicationError::CvTooLarge);
    assert!(e.to_string().contains("3 Mo"), "{e}");
}
