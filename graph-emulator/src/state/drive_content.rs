//! File contents for the demo drives, generated (deterministically) instead
//! of shipped: PNG images, OOXML documents (`.docx`, `.xlsx`, `.pptx` as
//! stored ZIP containers), a PDF, plain text. Also the helpers every file
//! needs: OneDrive's `quickXorHash`, MIME types by extension and by content.
//!
//! The generated files are well-formed containers (valid PNG chunks and CRCs,
//! valid ZIP directories, a PDF with a correct cross-reference table) with
//! readable text inside; they are not guaranteed to open in Office.

use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::state::ids::splitmix;

// ------------------------------------------------------------------ checksums

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static CRC_TABLE: [u32; 256] = crc_table();

/// CRC-32 (ISO-HDLC), as PNG and ZIP use it.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for b in data {
        c = CRC_TABLE[((c ^ u32::from(*b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for x in chunk {
            a += u32::from(*x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// OneDrive's `quickXorHash` (base64 of 20 bytes): each byte is XORed into a
/// 160-bit circular register at bit `11 * i mod 160`, then the length
/// (64-bit little-endian) is XORed into the last 8 bytes.
/// <https://learn.microsoft.com/onedrive/developer/code-snippets/quickxorhash>
pub(crate) fn quick_xor_hash(data: &[u8]) -> String {
    let mut reg = [0u8; 20];
    // Bytes 160 positions apart land on the same bit: fold them first.
    let mut folded = [0u8; 160];
    for (i, b) in data.iter().enumerate() {
        folded[i % 160] ^= *b;
    }
    for (i, b) in folded.iter().enumerate().take(data.len().min(160)) {
        let bit = (i * 11) % 160;
        let (byte, shift) = (bit / 8, bit % 8);
        let v = u16::from(*b) << shift;
        reg[byte] ^= (v & 0xFF) as u8;
        reg[(byte + 1) % 20] ^= (v >> 8) as u8;
    }
    for (i, l) in (data.len() as u64).to_le_bytes().iter().enumerate() {
        reg[12 + i] ^= l;
    }
    STANDARD.encode(reg)
}

// ------------------------------------------------------------------ MIME types

/// The MIME type OneDrive gives a file name (by extension).
pub(crate) fn mime_for_name(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" => "text/plain",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "htm" | "html" => "text/html",
        "json" => "application/json",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "svg" => "image/svg+xml",
        "zip" => "application/zip",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "ppt" => "application/vnd.ms-powerpoint",
        _ => "application/octet-stream",
    }
}

/// A MIME type from the first bytes of a file, then from its name
/// (Outlook fills `contentType` this way when the client gives none).
pub(crate) fn sniff_mime(name: &str, data: &[u8]) -> &'static str {
    let by_name = mime_for_name(name);
    if by_name != "application/octet-stream" {
        return by_name;
    }
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if data.starts_with(b"GIF8") {
        "image/gif"
    } else if data.starts_with(b"%PDF-") {
        "application/pdf"
    } else if data.starts_with(b"PK\x03\x04") {
        "application/zip"
    } else {
        "application/octet-stream"
    }
}

/// Width and height of a PNG, from its IHDR chunk.
pub(crate) fn png_size(data: &[u8]) -> Option<(u32, u32)> {
    if data.len() < 24 || !data.starts_with(b"\x89PNG\r\n\x1a\n") || &data[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes([data[16], data[17], data[18], data[19]]);
    let h = u32::from_be_bytes([data[20], data[21], data[22], data[23]]);
    Some((w, h))
}

// ------------------------------------------------------------------ PNG

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A truecolour PNG of `w` x `h` (zlib with stored blocks, so no compressor
/// is needed); `pixel(x, y)` gives RGB.
pub(crate) fn png(w: u32, h: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(((w * 3 + 1) * h) as usize);
    for y in 0..h {
        raw.push(0); // filter: none
        for x in 0..w {
            raw.extend_from_slice(&pixel(x, y));
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    if blocks.is_empty() {
        z.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]);
    }
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &z);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A smooth two-colour gradient with a soft diagonal pattern, seeded.
pub(crate) fn gradient_png(w: u32, h: u32, seed: u64) -> Vec<u8> {
    let r = splitmix(seed);
    let c1 = [(r & 0xFF) as u8, (r >> 8 & 0xFF) as u8, (r >> 16 & 0xFF) as u8];
    let c2 = [(r >> 24 & 0xFF) as u8, (r >> 32 & 0xFF) as u8, (r >> 40 & 0xFF) as u8];
    let (wf, hf) = (w.max(1) as f32, h.max(1) as f32);
    png(w, h, |x, y| {
        let t = (x as f32 / wf + y as f32 / hf) / 2.0;
        let wave = (((x + y) / 16) % 2) as f32 * 12.0;
        let mix = |a: u8, b: u8| (a as f32 * (1.0 - t) + b as f32 * t + wave).min(255.0) as u8;
        [mix(c1[0], c2[0]), mix(c1[1], c2[1]), mix(c1[2], c2[2])]
    })
}

// ------------------------------------------------------------------ ZIP (OOXML)

/// A ZIP archive with stored (uncompressed) entries.
pub(crate) fn zip<N: AsRef<str>>(entries: &[(N, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    // 2024-01-01 00:00 in DOS time.
    let (time, date) = (0u16, ((2024 - 1980) << 9 | 1 << 5 | 1) as u16);
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name_bytes = name.as_ref().as_bytes();
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&time.to_le_bytes());
        out.extend_from_slice(&date.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name_bytes.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name_bytes);
        out.extend_from_slice(data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        central.extend_from_slice(&20u16.to_le_bytes()); // needed
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&time.to_le_bytes());
        central.extend_from_slice(&date.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(name_bytes.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attrs
        central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name_bytes);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_DOC_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";

fn rels(items: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut s = format!("{XML_HEAD}<Relationships xmlns=\"{REL_NS}\">");
    for (id, kind, target) in items {
        s.push_str(&format!("<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target}\"/>"));
    }
    s.push_str("</Relationships>");
    s.into_bytes()
}

fn content_types(overrides: &[(&str, &str)], png: bool) -> Vec<u8> {
    let mut s = format!(
        "{XML_HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    );
    if png {
        s.push_str("<Default Extension=\"png\" ContentType=\"image/png\"/>");
    }
    for (part, ct) in overrides {
        s.push_str(&format!("<Override PartName=\"{part}\" ContentType=\"{ct}\"/>"));
    }
    s.push_str("</Types>");
    s.into_bytes()
}

fn core_props(title: &str, author: &str) -> Vec<u8> {
    format!(
        "{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator></cp:coreProperties>",
        xml_escape(title),
        xml_escape(author)
    )
    .into_bytes()
}

const CORE_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
const CORE_CT: &str = "application/vnd.openxmlformats-package.core-properties+xml";

/// A Word document: a title and paragraphs.
pub(crate) fn docx(title: &str, author: &str, paragraphs: &[String]) -> Vec<u8> {
    let mut body = String::new();
    body.push_str(&format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>",
        xml_escape(title)
    ));
    for p in paragraphs {
        body.push_str(&format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", xml_escape(p)));
    }
    let document = format!(
        "{XML_HEAD}<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"12240\" w:h=\"15840\"/></w:sectPr></w:body></w:document>"
    );
    zip(&[
        (
            "[Content_Types].xml",
            content_types(
                &[
                    (
                        "/word/document.xml",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    ),
                    ("/docProps/core.xml", CORE_CT),
                ],
                false,
            ),
        ),
        (
            "_rels/.rels",
            rels(&[("rId1", OFFICE_DOC_REL, "word/document.xml"), ("rId2", CORE_REL, "docProps/core.xml")]),
        ),
        ("docProps/core.xml", core_props(title, author)),
        ("word/document.xml", document.into_bytes()),
    ])
}

fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// An Excel workbook with one sheet of rows (numbers stay numbers).
pub(crate) fn xlsx(title: &str, author: &str, sheet: &str, rows: &[Vec<String>]) -> Vec<u8> {
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            if cell.parse::<f64>().is_ok() {
                data.push_str(&format!("<c r=\"{at}\"><v>{cell}</v></c>"));
            } else {
                data.push_str(&format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{}</t></is></c>", xml_escape(cell)));
            }
        }
        data.push_str("</row>");
    }
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let sheet_xml = format!("{XML_HEAD}<worksheet xmlns=\"{ns}\"><sheetData>{data}</sheetData></worksheet>");
    let workbook = format!(
        "{XML_HEAD}<workbook xmlns=\"{ns}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        xml_escape(sheet)
    );
    zip(&[
        (
            "[Content_Types].xml",
            content_types(
                &[
                    ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
                    (
                        "/xl/worksheets/sheet1.xml",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
                    ),
                    ("/docProps/core.xml", CORE_CT),
                ],
                false,
            ),
        ),
        ("_rels/.rels", rels(&[("rId1", OFFICE_DOC_REL, "xl/workbook.xml"), ("rId2", CORE_REL, "docProps/core.xml")])),
        ("docProps/core.xml", core_props(title, author)),
        ("xl/workbook.xml", workbook.into_bytes()),
        (
            "xl/_rels/workbook.xml.rels",
            rels(&[(
                "rId1",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
                "worksheets/sheet1.xml",
            )]),
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml.into_bytes()),
    ])
}

/// A PowerPoint deck: one slide per (title, bullets), and an image part.
pub(crate) fn pptx(title: &str, author: &str, slides: &[(String, Vec<String>)], image: Vec<u8>) -> Vec<u8> {
    let p = "http://schemas.openxmlformats.org/presentationml/2006/main";
    let a = "http://schemas.openxmlformats.org/drawingml/2006/main";
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let slide_ct = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml";
    let mut overrides: Vec<(String, &str)> = vec![
        (
            "/ppt/presentation.xml".into(),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        ),
        ("/docProps/core.xml".into(), CORE_CT),
    ];
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut ids = String::new();
    let mut pres_rels = Vec::new();
    for (i, (heading, bullets)) in slides.iter().enumerate() {
        let n = i + 1;
        let mut text = format!("<a:p><a:r><a:t>{}</a:t></a:r></a:p>", xml_escape(heading));
        for b in bullets {
            text.push_str(&format!("<a:p><a:r><a:t>{}</a:t></a:r></a:p>", xml_escape(b)));
        }
        let slide = format!(
            "{XML_HEAD}<p:sld xmlns:p=\"{p}\" xmlns:a=\"{a}\" xmlns:r=\"{r}\"><p:cSld><p:spTree>\
             <p:sp><p:txBody><a:bodyPr/>{text}</p:txBody></p:sp>\
             <p:pic><p:blipFill><a:blip r:embed=\"rId1\"/></p:blipFill></p:pic>\
             </p:spTree></p:cSld></p:sld>"
        );
        entries.push((format!("ppt/slides/slide{n}.xml"), slide.into_bytes()));
        entries.push((
            format!("ppt/slides/_rels/slide{n}.xml.rels"),
            rels(&[(
                "rId1",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
                "../media/image1.png",
            )]),
        ));
        overrides.push((format!("/ppt/slides/slide{n}.xml"), slide_ct));
        ids.push_str(&format!("<p:sldId id=\"{}\" r:id=\"rId{n}\"/>", 255 + n));
        pres_rels.push((format!("rId{n}"), format!("slides/slide{n}.xml")));
    }
    let presentation = format!(
        "{XML_HEAD}<p:presentation xmlns:p=\"{p}\" xmlns:r=\"{r}\"><p:sldIdLst>{ids}</p:sldIdLst>\
         <p:sldSz cx=\"12192000\" cy=\"6858000\"/></p:presentation>"
    );
    let slide_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide";
    let pres_rel_refs: Vec<(&str, &str, &str)> =
        pres_rels.iter().map(|(id, target)| (id.as_str(), slide_rel, target.as_str())).collect();
    let override_refs: Vec<(&str, &str)> = overrides.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    let mut all: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types(&override_refs, true)),
        (
            "_rels/.rels".into(),
            rels(&[("rId1", OFFICE_DOC_REL, "ppt/presentation.xml"), ("rId2", CORE_REL, "docProps/core.xml")]),
        ),
        ("docProps/core.xml".into(), core_props(title, author)),
        ("ppt/presentation.xml".into(), presentation.into_bytes()),
        ("ppt/_rels/presentation.xml.rels".into(), rels(&pres_rel_refs)),
        ("ppt/media/image1.png".into(), image),
    ];
    all.extend(entries);
    zip(&all)
}

// ------------------------------------------------------------------ PDF

/// A PDF with one page per chunk of `lines` (Helvetica, 50 lines a page).
pub(crate) fn pdf(title: &str, lines: &[String]) -> Vec<u8> {
    let pages: Vec<&[String]> = lines.chunks(50).collect();
    let n = pages.len().max(1);
    // Objects: 1 catalog, 2 pages, 3 font, 4 info, then per page: page, content.
    let mut objects: Vec<String> = Vec::new();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    objects.push(format!("<< /Title ({}) /Producer (msgraph-emulator) >>", pdf_escape(title)));
    for i in 0..n {
        let page_lines = pages.get(i).copied().unwrap_or(&[]);
        let mut stream = String::from("BT /F1 11 Tf 14 TL 56 760 Td\n");
        for l in page_lines {
            stream.push_str(&format!("({}) Tj T*\n", pdf_escape(l)));
        }
        stream.push_str("ET\n");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            6 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()));
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

fn pdf_escape(s: &str) -> String {
    s.chars().filter(char::is_ascii).collect::<String>().replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)")
}

// ------------------------------------------------------------------ demo text

const WORDS: &[&str] = &[
    "contoso",
    "retail",
    "quarter",
    "revenue",
    "forecast",
    "customers",
    "stores",
    "growth",
    "margin",
    "inventory",
    "marketing",
    "campaign",
    "northwind",
    "fabrikam",
    "partners",
    "pricing",
    "analysis",
    "region",
    "team",
    "goals",
    "review",
    "plan",
    "delivery",
    "budget",
    "results",
    "strategy",
    "online",
    "channel",
    "summary",
    "targets",
];

/// Deterministic filler sentences built from business words.
pub(crate) fn sentences(seed: u64, count: usize) -> Vec<String> {
    let mut s = seed;
    (0..count)
        .map(|_| {
            s = splitmix(s);
            let len = 8 + (s % 9) as usize;
            let mut words: Vec<&str> = Vec::with_capacity(len);
            let mut t = s;
            for _ in 0..len {
                t = splitmix(t);
                words.push(WORDS[(t % WORDS.len() as u64) as usize]);
            }
            let mut sentence = words.join(" ");
            if let Some(first) = sentence.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            sentence.push('.');
            sentence
        })
        .collect()
}

// ------------------------------------------------------------------ demo files

/// One generated file: content, its hash and the text search sees.
#[derive(Debug, Clone)]
pub(crate) struct DemoFile {
    pub content: Bytes,
    pub hash: String,
    pub text: Arc<str>,
}

impl DemoFile {
    fn new(content: Vec<u8>, text: String) -> Self {
        DemoFile { hash: quick_xor_hash(&content), content: Bytes::from(content), text: Arc::from(text) }
    }
}

/// The demo tenant's files, built once per process.
#[derive(Debug)]
pub(crate) struct DemoFiles {
    pub report_pdf: DemoFile,
    pub project_plan_v1: DemoFile,
    pub project_plan: DemoFile,
    pub budget_xlsx: DemoFile,
    pub team_meeting_pptx: DemoFile,
    pub notes_txt: DemoFile,
    pub old_notes_md: DemoFile,
    pub logo_png: DemoFile,
    pub offsite_png: DemoFile,
    pub whiteboard_png: DemoFile,
    pub sales_pitch_pptx: DemoFile,
    pub price_list_xlsx: DemoFile,
    pub marketing_plan_docx: DemoFile,
    pub brand_guide_pdf: DemoFile,
    pub expenses_csv: DemoFile,
}

/// The demo files (generated on first use).
pub(crate) fn demo_files() -> &'static DemoFiles {
    static FILES: OnceLock<DemoFiles> = OnceLock::new();
    FILES.get_or_init(build_demo_files)
}

fn build_demo_files() -> DemoFiles {
    let report_lines: Vec<String> = {
        let mut l = vec![
            "Contoso Quarterly Report".to_owned(),
            "Prepared by Adele Vance, Retail Manager".to_owned(),
            String::new(),
            "Executive summary: revenue grew 12% over the previous quarter, led by online sales.".to_owned(),
        ];
        l.extend(sentences(0x5245_504f_5254, 1900));
        l
    };
    let report_text = report_lines.join("\n");
    let plan_v1 = vec![
        "Goals: open two pilot stores and launch the loyalty programme.".to_owned(),
        "Owner: Adele Vance. Draft for review.".to_owned(),
    ];
    let mut plan = plan_v1.clone();
    plan.push("Milestones: pilot stores in Seattle and Redmond; loyalty app beta with Fabrikam.".to_owned());
    plan.extend(sentences(0x504c_414e, 600));
    let budget_rows: Vec<Vec<String>> = {
        let mut rows = vec![vec!["Category".to_owned(), "Q1".into(), "Q2".into(), "Q3".into(), "Q4".into()]];
        let cats = ["Marketing", "Salaries", "Rent", "Travel", "Equipment", "Training", "Software", "Events"];
        let mut s = 0x4255_4447_4554u64;
        for c in cats {
            let mut row = vec![c.to_owned()];
            for _ in 0..4 {
                s = splitmix(s);
                row.push(format!("{}", 5_000 + s % 95_000));
            }
            rows.push(row);
        }
        rows
    };
    let budget_text = budget_rows.iter().map(|r| r.join(" ")).collect::<Vec<_>>().join("\n");
    let meeting_slides: Vec<(String, Vec<String>)> = vec![
        ("Team Meeting".into(), vec!["Retail team weekly sync".into()]),
        ("Agenda".into(), vec!["Store results".into(), "Holiday campaign".into(), "Hiring".into()]),
        ("Store results".into(), sentences(0x4d45_4554, 6)),
        ("Next steps".into(), vec!["Share the budget with Alex".into(), "Book the offsite".into()]),
    ];
    let meeting_text = slides_text(&meeting_slides);
    let pitch_slides: Vec<(String, Vec<String>)> = vec![
        ("Contoso Sales Pitch".into(), vec!["Alex Wilber, Marketing".into()]),
        ("Why Contoso".into(), sentences(0x5049_5443, 5)),
        ("Pricing".into(), vec!["See the price list".into()]),
    ];
    let pitch_text = slides_text(&pitch_slides);
    let notes = "Notes from the retail sync\n\n- Inventory count on Friday\n- Call Fabrikam about the loyalty app\n- Budget review with Alex next week\n- The Seattle store needs new signage\n".to_owned();
    let old_notes = "# Old notes\n\nArchived planning notes from last year.\n\n- Holiday campaign wrap-up\n- Vendor list for Northwind\n".to_owned();
    let price_rows: Vec<Vec<String>> = vec![
        vec!["Product".into(), "Price".into()],
        vec!["Contoso Basic".into(), "19".into()],
        vec!["Contoso Plus".into(), "49".into()],
        vec!["Contoso Enterprise".into(), "199".into()],
    ];
    let price_text = price_rows.iter().map(|r| r.join(" ")).collect::<Vec<_>>().join("\n");
    let mut marketing = vec!["Marketing Plan for the spring campaign, by Megan Bowen.".to_owned()];
    marketing.extend(sentences(0x4d4b_5447, 300));
    let mut brand = vec!["Contoso Brand Guide".to_owned(), "Logo, colours and tone of voice.".to_owned()];
    brand.extend(sentences(0x0042_5241_4e44, 400));
    let expenses = "Date,Description,Amount\n2024-02-01,Taxi to Fabrikam,38.50\n2024-02-03,Team lunch,124.00\n2024-02-10,Train tickets,89.90\n".to_owned();
    DemoFiles {
        report_pdf: DemoFile::new(pdf("Contoso Quarterly Report", &report_lines), report_text),
        project_plan_v1: DemoFile::new(docx("Project Plan", "Adele Vance", &plan_v1), plan_v1.join("\n")),
        project_plan: DemoFile::new(docx("Project Plan", "Adele Vance", &plan), plan.join("\n")),
        budget_xlsx: DemoFile::new(xlsx("Budget 2024", "Adele Vance", "Budget", &budget_rows), budget_text),
        team_meeting_pptx: DemoFile::new(
            pptx("Team Meeting", "Adele Vance", &meeting_slides, gradient_png(320, 180, 7)),
            meeting_text,
        ),
        notes_txt: DemoFile::new(notes.clone().into_bytes(), notes),
        old_notes_md: DemoFile::new(old_notes.clone().into_bytes(), old_notes),
        logo_png: DemoFile::new(gradient_png(128, 128, 1), "Contoso logo".into()),
        offsite_png: DemoFile::new(gradient_png(800, 600, 2), String::new()),
        whiteboard_png: DemoFile::new(gradient_png(400, 300, 3), String::new()),
        sales_pitch_pptx: DemoFile::new(
            pptx("Contoso Sales Pitch", "Alex Wilber", &pitch_slides, gradient_png(640, 360, 11)),
            pitch_text,
        ),
        price_list_xlsx: DemoFile::new(xlsx("Price List", "Alex Wilber", "Prices", &price_rows), price_text),
        marketing_plan_docx: DemoFile::new(docx("Marketing Plan", "Megan Bowen", &marketing), marketing.join("\n")),
        brand_guide_pdf: DemoFile::new(pdf("Contoso Brand Guide", &brand), brand.join("\n")),
        expenses_csv: DemoFile::new(expenses.clone().into_bytes(), expenses),
    }
}

fn slides_text(slides: &[(String, Vec<String>)]) -> String {
    slides.iter().map(|(h, b)| format!("{h}\n{}", b.join("\n"))).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_adler_match_known_values() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn quick_xor_hash_of_empty_and_short_inputs() {
        assert_eq!(quick_xor_hash(b""), "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        // Published vectors (input and hash in base64).
        for (input, hash) in [
            ("Sg==", "SgAAAAAAAAAAAAAAAQAAAAAAAAA="),
            ("tbQ=", "taAFAAAAAAAAAAAAAgAAAAAAAAA="),
            ("0pZP", "0rDEEwAAAAAAAAAAAwAAAAAAAAA="),
            ("jRRDVA==", "jaDAEKgAAAAAAAAABAAAAAAAAAA="),
        ] {
            assert_eq!(quick_xor_hash(&STANDARD.decode(input).unwrap()), hash, "{input}");
        }
        // One byte: the byte at bit 0, length 1 in byte 12.
        let h = STANDARD.decode(quick_xor_hash(b"\x01")).unwrap();
        assert_eq!(h[0], 1);
        assert_eq!(h[12], 1);
        // 161 bytes: byte 160 folds onto byte 0.
        let mut data = vec![0u8; 161];
        data[0] = 0x0F;
        data[160] = 0xF0;
        let h = STANDARD.decode(quick_xor_hash(&data)).unwrap();
        assert_eq!(h[0], 0xFF);
    }

    #[test]
    fn generated_files_are_well_formed() {
        let png = gradient_png(10, 5, 1);
        assert_eq!(png_size(&png), Some((10, 5)));
        let z = zip(&[("a.txt", b"hello".to_vec())]);
        assert!(z.starts_with(b"PK\x03\x04") && z.windows(5).any(|w| w == b"hello"));
        let d = pdf("T", &["line (1)".to_owned()]);
        assert!(d.starts_with(b"%PDF-1.4") && d.ends_with(b"%%EOF\n"));
        let files = demo_files();
        let total: usize = [
            &files.report_pdf,
            &files.project_plan,
            &files.budget_xlsx,
            &files.team_meeting_pptx,
            &files.offsite_png,
            &files.sales_pitch_pptx,
        ]
        .iter()
        .map(|f| f.content.len())
        .sum();
        assert!(total > 2_000_000, "a few MB of demo files, got {total}");
        assert_eq!(sniff_mime("flower", &files.logo_png.content), "image/png");
        assert_eq!(mime_for_name("Q.DOCX"), mime_for_name("q.docx"));
    }
}
