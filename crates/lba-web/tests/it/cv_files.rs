//! CV files built in code for the form and API tests: a small valid DOCX,
//! a DOCX zip bomb (its central directory declares what inflating would
//! give; nothing here inflates it), PDF polyglots, and PDFs of an exact
//! size.

/// A small but complete PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// A ZIP of (name, stored bytes, method, declared uncompressed size):
/// local headers with their data, central directory, end record. Stored
/// parts (method 0) get their true CRC.
fn zip(parts: &[(&str, Vec<u8>, u16, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, method, size) in parts {
        let offset = u32::try_from(out.len()).unwrap();
        let crc = if *method == 0 {
            crc32fast::hash(data)
        } else {
            0
        };
        let compressed = u32::try_from(data.len()).unwrap();
        let name_len = u16::try_from(name.len()).unwrap();
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes());
            v.extend(0u16.to_le_bytes());
            v.extend(method.to_le_bytes());
            v.extend([0u8; 4]);
            v.extend(crc.to_le_bytes());
            v.extend(compressed.to_le_bytes());
            v.extend(size.to_le_bytes());
            v.extend(name_len.to_le_bytes());
        };
        out.extend(b"PK\x03\x04");
        common(&mut out);
        out.extend(0u16.to_le_bytes());
        out.extend(name.as_bytes());
        out.extend(data);
        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes());
        common(&mut central);
        central.extend([0u8; 12]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let start = u32::try_from(out.len()).unwrap();
    let count = u16::try_from(parts.len()).unwrap();
    let size = u32::try_from(central.len()).unwrap();
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn stored<'a>(name: &'a str, data: &[u8]) -> (&'a str, Vec<u8>, u16, u32) {
    (name, data.to_vec(), 0, u32::try_from(data.len()).unwrap())
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCUMENT: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Jeanne Martin</w:t></w:r></w:p></w:body></w:document>"#;

/// A small valid Word document.
pub fn docx() -> Vec<u8> {
    zip(&[
        stored("[Content_Types].xml", CONTENT_TYPES),
        stored("_rels/.rels", RELS),
        stored("word/document.xml", DOCUMENT),
    ])
}

/// A 1.1 MB DOCX whose `word/document.xml` declares 1.17 GB once inflated.
pub fn docx_bomb() -> Vec<u8> {
    zip(&[
        stored("[Content_Types].xml", CONTENT_TYPES),
        stored("_rels/.rels", RELS),
        ("word/document.xml", vec![0u8; 1_100_000], 8, 1_170_000_000),
    ])
}

/// A PDF header followed by a web page.
pub fn pdf_with_html() -> Vec<u8> {
    b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n".to_vec()
}

/// A PDF with a ZIP archive appended.
pub fn pdf_with_zip() -> Vec<u8> {
    let mut bytes = PDF.to_vec();
    bytes.extend(docx());
    bytes
}

/// A PDF of exactly `n` bytes (a comment line pads it).
pub fn pdf_of_len(n: usize) -> Vec<u8> {
    let end = b"trailer<<>>\n%%EOF\n";
    let mut pdf = b"%PDF-1.4\n%".to_vec();
    pdf.resize(n - end.len() - 1, b'a');
    pdf.push(b'\n');
    pdf.extend(end);
    assert_eq!(pdf.len(), n);
    pdf
}
