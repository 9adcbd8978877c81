//! The hardened, flat XML WeChat Pay v2 speaks: one root element holding
//! fields that hold text.
//!
//! Reading refuses, with the `Xml` error kind:
//! * any DOCTYPE — before anything in it could be expanded (the 2018 XXE);
//! * bodies, values or field counts over [`XmlLimits`];
//! * comments, processing instructions (the leading `<?xml …?>` declaration
//!   excepted), attributes, elements nested in a field, text between fields,
//!   a second root, trailing content, undeclared entities;
//! * duplicate field names (never first-wins or last-wins);
//! * anything that is not UTF-8 (a leading UTF-8 BOM is accepted).
//!
//! Text and CDATA inside one field are concatenated; character and
//! predefined entity references are decoded. Values are kept exactly as
//! received (no trimming, no line-end normalisation), because signatures
//! are computed over them.

use crate::error::{Error, Result, XmlReason};
use crate::params::{is_name_byte, Params};

/// Size limits applied while reading.
///
/// ```
/// let limits = wxpay::XmlLimits { max_fields: 2, ..Default::default() };
/// let err = wxpay::from_xml_with(b"<xml><a>1</a><b>2</b><c>3</c></xml>", &limits).unwrap_err();
/// assert_eq!(err.reason(), Some("TooManyFields"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlLimits {
    /// Largest accepted body in bytes (default 64 KiB).
    pub max_body: usize,
    /// Most fields (default 256).
    pub max_fields: usize,
    /// Largest value in bytes (default 16 KiB).
    pub max_value: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        XmlLimits {
            max_body: 64 * 1024,
            max_fields: 256,
            max_value: 16 * 1024,
        }
    }
}

impl XmlLimits {
    /// Limits for API replies, which may be larger than notifications
    /// (1 MiB body).
    pub fn reply() -> Self {
        XmlLimits {
            max_body: 1024 * 1024,
            ..XmlLimits::default()
        }
    }
}

/// Reads a `<xml>` message into a field map with the default limits.
///
/// ```
/// let m = wxpay::from_xml(b"<xml><a><![CDATA[x&y]]></a><b>1 &lt; 2</b></xml>").unwrap();
/// assert_eq!(m["a"], "x&y");
/// assert_eq!(m["b"], "1 < 2");
/// ```
pub fn from_xml(data: &[u8]) -> Result<Params> {
    from_xml_with(data, &XmlLimits::default())
}

/// Reads a `<xml>` message with explicit limits.
pub fn from_xml_with(data: &[u8], limits: &XmlLimits) -> Result<Params> {
    read_flat(data, "xml", limits)
}

fn malformed(message: impl Into<String>) -> Error {
    Error::xml(XmlReason::Malformed, message)
}

/// Reads a flat document whose root element is `root`.
///
/// A purpose-built scanner rather than a general XML parser: the grammar
/// WeChat speaks is a handful of productions, and reading only those means
/// everything else (DOCTYPE, comments, attributes, nesting) is refused by
/// construction instead of by filtering a richer event stream. It is also
/// what makes notification verification cheap (docs/protocol.md §0, §6;
/// the hardening rules are docs/security.md §1).
pub(crate) fn read_flat(data: &[u8], root: &str, limits: &XmlLimits) -> Result<Params> {
    if data.len() > limits.max_body {
        return Err(Error::xml(
            XmlReason::TooLarge,
            format!(
                "the body is {} bytes; the limit is {}",
                data.len(),
                limits.max_body
            ),
        ));
    }
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let text = std::str::from_utf8(data)
        .map_err(|e| Error::xml(XmlReason::Encoding, format!("the body is not UTF-8 ({e})")))?;
    if text.bytes().all(is_space) {
        return Err(malformed("the body is empty"));
    }
    let mut scanner = Scanner {
        text,
        pos: 0,
        limits,
    };
    scanner.document(root).map_err(|e| {
        // A DOCTYPE is reported by kind even where the document breaks
        // before the scanner reaches it, so every DOCTYPE attack has one
        // answer.
        if e.reason() == Some("Malformed") && contains_doctype(text) {
            doctype_error()
        } else {
            e
        }
    })
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn contains_doctype(text: &str) -> bool {
    text.as_bytes()
        .windows(9)
        .any(|w| w.eq_ignore_ascii_case(b"<!DOCTYPE"))
}

/// A tag's name, and whether it is a valid field name
/// (`[A-Za-z0-9_]{1,64}`, docs/protocol.md §1).
struct Name<'a> {
    text: &'a str,
    is_field: bool,
}

/// One piece of markup, read from a `<`.
enum Markup<'a> {
    Start(Name<'a>),
    Empty(Name<'a>),
    End(&'a str),
    CData(&'a str),
    /// A start tag with attributes; never read further.
    Attributed,
}

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    limits: &'a XmlLimits,
}

impl<'a> Scanner<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.text.as_bytes()[self.pos..]
    }

    fn skip_space(&mut self) {
        while self.rest().first().copied().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn truncated() -> Error {
        malformed("the document ends before its root element is closed")
    }

    fn document(&mut self, root: &str) -> Result<Params> {
        // Whitespace before the declaration is tolerated, as it always was.
        self.skip_space();
        if self.rest().starts_with(b"<?xml")
            && self
                .rest()
                .get(5)
                .is_some_and(|&b| is_space(b) || b == b'?')
        {
            self.declaration()?;
        }
        self.skip_space();
        if self.rest().first() != Some(&b'<') {
            return Err(malformed(format!("the root element must be <{root}>")));
        }
        // WeChat's messages hold up to a few dozen fields.
        let mut fields = Vec::with_capacity(24);
        match self.markup()? {
            Markup::Start(name) if name.text == root => self.root_content(root, &mut fields)?,
            // `<xml/>` is a document with no fields.
            Markup::Empty(name) if name.text == root => {}
            Markup::Attributed => return Err(attributes_error()),
            _ => return Err(malformed(format!("the root element must be <{root}>"))),
        }
        self.skip_space();
        if !self.rest().is_empty() {
            return Err(malformed("content after the root element"));
        }
        into_params(fields)
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, only as
    /// the first bytes of the document; any encoding but UTF-8 is refused.
    fn declaration(&mut self) -> Result<()> {
        let unreadable = || malformed("unreadable XML declaration");
        let body_start = self.pos + 5;
        let end = self.text[body_start..].find("?>").ok_or_else(unreadable)? + body_start;
        let mut rest = self.text[body_start..end].trim_matches(|c| is_space(c as u8));
        while !rest.is_empty() {
            let eq = rest.find('=').ok_or_else(unreadable)?;
            let name = rest[..eq].trim_end_matches(|c| is_space(c as u8));
            let after = rest[eq + 1..].trim_start_matches(|c| is_space(c as u8));
            let quote = after.chars().next().filter(|&q| q == '"' || q == '\'');
            let quote = quote.ok_or_else(unreadable)?;
            let close = after[1..].find(quote).ok_or_else(unreadable)? + 1;
            let value = &after[1..close];
            match name {
                "version" | "standalone" => {}
                "encoding" if value.eq_ignore_ascii_case("utf-8") => {}
                "encoding" => {
                    return Err(Error::xml(
                        XmlReason::Encoding,
                        format!(
                            "declared encoding {:?}; only UTF-8 is accepted",
                            crate::message::truncate_for_message(value)
                        ),
                    ))
                }
                _ => return Err(unreadable()),
            }
            let next = &after[close + 1..];
            if !next.is_empty() && !next.starts_with(|c| is_space(c as u8)) {
                return Err(unreadable());
            }
            rest = next.trim_start_matches(|c| is_space(c as u8));
        }
        self.pos = end + 2;
        Ok(())
    }

    /// Reads the markup at `self.pos`, which is a `<`. Refuses the kinds
    /// WeChat never sends.
    fn markup(&mut self) -> Result<Markup<'a>> {
        if matches!(self.rest().get(1), Some(b'!' | b'?')) {
            return self.declaration_markup();
        }
        let closing = self.rest().get(1) == Some(&b'/');
        let bytes = self.text.as_bytes();
        let name_start = self.pos + if closing { 2 } else { 1 };
        // Field names are the common case and need no second look: scan
        // their bytes, then fall back to finding the end of anything else.
        let mut end = name_start;
        while end < bytes.len() && is_name_byte(bytes[end]) {
            end += 1;
        }
        let mut is_field = end > name_start && end - name_start <= 64;
        if !bytes
            .get(end)
            .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            is_field = false;
            end += bytes[end..]
                .iter()
                .position(|&b| is_space(b) || matches!(b, b'/' | b'>' | b'<' | b'='))
                .ok_or_else(Self::truncated)?;
        }
        if end == name_start {
            return Err(malformed(format!(
                "a tag without a name at byte {}",
                self.pos
            )));
        }
        let name = Name {
            text: &self.text[name_start..end],
            is_field,
        };
        self.pos = end;
        self.skip_space();
        let rest = self.rest();
        match rest.first() {
            None => Err(Self::truncated()),
            Some(b'>') => {
                self.pos += 1;
                Ok(if closing {
                    Markup::End(name.text)
                } else {
                    Markup::Start(name)
                })
            }
            Some(b'/') if !closing && rest.get(1) == Some(&b'>') => {
                self.pos += 2;
                Ok(Markup::Empty(name))
            }
            Some(_) if !closing && rest.len() > 1 => Ok(Markup::Attributed),
            Some(_) if !closing => Err(Self::truncated()),
            Some(_) => Err(malformed(format!(
                "unreadable closing tag at byte {}",
                self.pos
            ))),
        }
    }

    /// Markup that starts `<!` or `<?`: CDATA is read, the rest refused.
    fn declaration_markup(&mut self) -> Result<Markup<'a>> {
        let rest = self.rest();
        if rest.starts_with(b"<![CDATA[") {
            let start = self.pos + 9;
            let len = self.text[start..].find("]]>").ok_or_else(Self::truncated)?;
            self.pos = start + len + 3;
            return Ok(Markup::CData(&self.text[start..start + len]));
        }
        if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            return Err(doctype_error());
        }
        if rest.starts_with(b"<!--") {
            return Err(malformed("comments are not allowed"));
        }
        if rest.starts_with(b"<?xml") {
            return Err(malformed("the XML declaration may only open the document"));
        }
        if rest.starts_with(b"<?") {
            return Err(malformed("processing instructions are not allowed"));
        }
        Err(malformed("declarations are not allowed"))
    }

    /// The root's content up to and including its closing tag: fields and
    /// the whitespace between them.
    fn root_content(&mut self, root: &str, fields: &mut Vec<(&'a str, String)>) -> Result<()> {
        loop {
            self.skip_space();
            match self.rest().first() {
                None => return Err(Self::truncated()),
                Some(b'<') => {}
                Some(b'&') => return Err(malformed("entity reference outside a field")),
                Some(_) => return Err(malformed("text outside a field")),
            }
            match self.markup()? {
                Markup::Start(name) => {
                    begin_field(fields.len(), &name, self.limits)?;
                    let value = self.field_content(name.text)?;
                    fields.push((name.text, value));
                }
                Markup::Empty(name) => {
                    begin_field(fields.len(), &name, self.limits)?;
                    fields.push((name.text, String::new()));
                }
                Markup::End(name) if name == root => return Ok(()),
                Markup::End(_) => return Err(malformed("unexpected closing tag")),
                Markup::CData(_) => return Err(malformed("CDATA outside a field")),
                Markup::Attributed => return Err(attributes_error()),
            }
        }
    }

    /// A field's text up to and including `</name>`: character data,
    /// CDATA sections and references, concatenated.
    fn field_content(&mut self, name: &str) -> Result<String> {
        let mut value = String::new();
        // Plain text is checked for characters XML forbids as it is
        // scanned; CDATA and references are checked once at the end.
        let mut check_at_end = false;
        loop {
            let stop = self.text_run(name)?;
            push_limited(&mut value, &self.text[self.pos..stop], name, self.limits)?;
            self.pos = stop;
            let rest = self.rest();
            if rest[0] == b'&' {
                let c = self.reference()?;
                push_limited(&mut value, c.encode_utf8(&mut [0; 4]), name, self.limits)?;
                check_at_end = true;
                continue;
            }
            // The usual end, `</name>`, is recognised without a second scan.
            let closes = rest.get(1) == Some(&b'/')
                && rest[2..].starts_with(name.as_bytes())
                && rest.get(2 + name.len()) == Some(&b'>');
            let closed = if closes {
                self.pos += 3 + name.len();
                true
            } else {
                match self.markup()? {
                    Markup::CData(text) => {
                        push_limited(&mut value, text, name, self.limits)?;
                        check_at_end = true;
                        false
                    }
                    Markup::End(end) if end == name => true,
                    Markup::End(_) => {
                        return Err(malformed(format!("field {name} is closed by another tag")))
                    }
                    Markup::Start(_) | Markup::Empty(_) | Markup::Attributed => {
                        return Err(Error::xml(
                            XmlReason::TooDeep,
                            format!("field {name} contains an element; fields hold text only"),
                        ))
                    }
                }
            };
            if closed {
                if check_at_end {
                    check_value(name, &value)?;
                }
                return Ok(value);
            }
        }
    }

    /// Where the character data at `self.pos` ends (a `<` or `&`),
    /// refusing on the way any character XML does not allow.
    fn text_run(&self, name: &str) -> Result<usize> {
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        loop {
            while i < bytes.len() && !TEXT_STOP[bytes[i] as usize] {
                i += 1;
            }
            match bytes.get(i) {
                None => return Err(Self::truncated()),
                Some(b'<' | b'&') => return Ok(i),
                // A lead byte of U+E000..U+FFFF: only U+FFFE and U+FFFF are out.
                Some(0xEF) if !matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                    i += 1
                }
                Some(_) => {
                    let c = self.text[i..].chars().next().unwrap_or('\0');
                    return Err(forbidden_character(name, c));
                }
            }
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&apos;` `&quot;` `&#N;` `&#xH;` at `self.pos`.
    fn reference(&mut self) -> Result<char> {
        let rest = &self.text[self.pos + 1..];
        let end = rest
            .bytes()
            .take(32)
            .position(|b| b == b';')
            .ok_or_else(|| malformed("an & that starts no reference"))?;
        let name = &rest[..end];
        self.pos += end + 2;
        let resolved = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let number = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16)
                        .ok()
                        .filter(|_| !hex.starts_with('+'))
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok().filter(|_| !dec.starts_with('+'))
                } else {
                    return Err(malformed(format!(
                        "undeclared entity &{};",
                        crate::message::truncate_for_message(name)
                    )));
                };
                number
                    .and_then(char::from_u32)
                    .ok_or_else(|| malformed("invalid character reference"))?
            }
        };
        Ok(resolved)
    }
}

fn attributes_error() -> Error {
    malformed("attributes are not allowed")
}

fn doctype_error() -> Error {
    Error::xml(
        XmlReason::Doctype,
        "DOCTYPE declarations are refused (WeChat never sends one; they enable XXE)",
    )
}

fn begin_field(count: usize, name: &Name<'_>, limits: &XmlLimits) -> Result<()> {
    if !name.is_field {
        return Err(malformed(format!(
            "field name {:?} is not [A-Za-z0-9_]{{1,64}}",
            crate::message::truncate_for_message(name.text)
        )));
    }
    if count >= limits.max_fields {
        return Err(Error::xml(
            XmlReason::TooManyFields,
            format!("more than {} fields", limits.max_fields),
        ));
    }
    Ok(())
}

/// The fields as a map, refusing a name given twice (never first-wins or
/// last-wins). The map is built in bulk from the list, which is what keeps
/// reading linear in the number of fields; a duplicate shows as a map
/// shorter than the list, and is named from a second look.
fn into_params(fields: Vec<(&str, String)>) -> Result<Params> {
    let count = fields.len();
    let mut names: Vec<&str> = Vec::new();
    if count > 1 {
        names = fields.iter().map(|(name, _)| *name).collect();
    }
    let params: Params = fields
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    if params.len() == count {
        return Ok(params);
    }
    names.sort_unstable();
    let twice = names
        .windows(2)
        .find(|pair| pair[0] == pair[1])
        .map_or("", |pair| pair[0]);
    Err(Error::xml(
        XmlReason::Duplicate,
        format!("field {twice} appears more than once"),
    ))
}

fn push_limited(value: &mut String, piece: &str, field: &str, limits: &XmlLimits) -> Result<()> {
    if value.len() + piece.len() > limits.max_value {
        return Err(Error::xml(
            XmlReason::TooLarge,
            format!("field {field} is longer than {} bytes", limits.max_value),
        ));
    }
    if value.is_empty() {
        // Most values are one piece: copied once at their exact size.
        *value = piece.to_owned();
    } else {
        value.push_str(piece);
    }
    Ok(())
}

fn check_value(field: &str, value: &str) -> Result<()> {
    // Only ASCII controls and U+FFFE/U+FFFF (EF BF BE/BF) can be outside
    // XML's character range in valid UTF-8, so bytes are enough to clear a
    // value; the character is decoded only to name it in the error.
    let suspect = |(i, &b): (usize, &u8)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF
                && matches!(
                    value.as_bytes().get(i + 1..i + 3),
                    Some([0xBF, 0xBE | 0xBF])
                ))
    };
    if !value.as_bytes().iter().enumerate().any(suspect) {
        return Ok(());
    }
    match value.chars().find(|&c| !is_xml_char(c)) {
        Some(c) => Err(forbidden_character(field, c)),
        None => Ok(()),
    }
}

fn forbidden_character(field: &str, c: char) -> Error {
    malformed(format!(
        "field {field} contains the character U+{:04X}, which XML does not allow",
        c as u32
    ))
}

/// The bytes that end a run of character data or need a second look:
/// markup, references, ASCII controls other than tab, CR and LF, and 0xEF
/// (which leads U+FFFE and U+FFFF).
const TEXT_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b, 0x09 | 0x0A | 0x0D);
        b += 1;
    }
    table[b'<' as usize] = true;
    table[b'&' as usize] = true;
    table[0xEF] = true;
    table
};

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Writes a field map as `<xml>…</xml>`.
///
/// Values are entity-escaped (`&` `<` `>`, and carriage returns as `&#13;`)
/// so that any value — `]]>`, markup, Chinese text — reads back exactly.
/// Names must be `[A-Za-z0-9_]+` and values must be characters XML can carry.
///
/// ```
/// use wxpay::{from_xml, to_xml, Params};
/// let m = Params::from([("attach".into(), "a]]><total_fee>1</total_fee>".into())]);
/// let xml = to_xml(&m).unwrap();
/// assert_eq!(from_xml(xml.as_bytes()).unwrap(), m);
/// ```
pub fn to_xml(params: &Params) -> Result<String> {
    write_flat(params, "xml")
}

/// Signs `params` and writes them, `sign` included, as `<xml>…</xml>` — the
/// body of a request, in one step.
///
/// ```
/// use wxpay::{from_xml, to_signed_xml, verify, ApiKey, Params, SignType};
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// let p = Params::from([("appid".into(), "wxd930ea5d5a258f4f".into())]);
/// let xml = to_signed_xml(&p, &key, SignType::Md5).unwrap();
/// assert!(verify(&from_xml(xml.as_bytes()).unwrap(), &key, SignType::Md5).is_ok());
/// ```
pub fn to_signed_xml(
    params: &Params,
    key: &crate::ApiKey,
    sign_type: crate::SignType,
) -> Result<String> {
    let pairs = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    signed_xml_sorted(pairs, key, sign_type)
}

/// [`to_signed_xml`] over borrowed pairs in any order, for callers whose
/// fields are not in a [`Params`] (a binding reading a dictionary in
/// place). A name given twice is refused.
///
/// ```
/// use wxpay::{from_xml, to_signed_xml_pairs, verify, ApiKey, SignType};
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// let xml = to_signed_xml_pairs(vec![("mch_id", "10000100"), ("appid", "wxd930ea5d5a258f4f")],
///     &key, SignType::Md5).unwrap();
/// assert!(verify(&from_xml(xml.as_bytes()).unwrap(), &key, SignType::Md5).is_ok());
/// ```
pub fn to_signed_xml_pairs(
    mut fields: Vec<(&str, &str)>,
    key: &crate::ApiKey,
    sign_type: crate::SignType,
) -> Result<String> {
    crate::sign::sort_unique(&mut fields)?;
    signed_xml_sorted(fields.into_iter(), key, sign_type)
}

/// Signs fields already in signature order and writes them with `sign` in
/// its place, without copying the map.
fn signed_xml_sorted<'a>(
    fields: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    key: &crate::ApiKey,
    sign_type: crate::SignType,
) -> Result<String> {
    if fields.clone().any(|(name, _)| name == "sign") {
        return Err(Error::invalid(
            "sign",
            "is computed here and may not be passed",
        ));
    }
    let signature = crate::sign::sign_sorted(fields.clone(), key, sign_type)?;
    let before_sign = |(name, _): &(&str, &str)| *name < "sign";
    let mut out = FlatWriter::new("xml", fields.clone());
    for (name, value) in fields.clone().take_while(before_sign) {
        out.field(name, value)?;
    }
    out.field("sign", &signature)?;
    for (name, value) in fields.skip_while(before_sign) {
        out.field(name, value)?;
    }
    Ok(out.finish())
}

pub(crate) fn write_flat(params: &Params, root: &str) -> Result<String> {
    let pairs = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let mut out = FlatWriter::new(root, pairs.clone());
    for (name, value) in pairs {
        out.field(name, value)?;
    }
    Ok(out.finish())
}

/// Builds `<root><name>value</name>…</root>` one field at a time.
struct FlatWriter<'r> {
    out: String,
    root: &'r str,
}

impl<'r> FlatWriter<'r> {
    /// Sized for `fields` (and a signature) so the text is written once.
    fn new<'a>(root: &'r str, fields: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let size: usize = fields.map(|(k, v)| 2 * k.len() + v.len() + 5).sum();
        let mut out = String::with_capacity(96 + size);
        out.push('<');
        out.push_str(root);
        out.push('>');
        FlatWriter { out, root }
    }

    fn field(&mut self, name: &str, value: &str) -> Result<()> {
        crate::params::check_field_name(name)?;
        if let Some(c) = value.chars().find(|&c| !is_xml_char(c)) {
            return Err(Error::invalid(
                name,
                format!("contains U+{:04X}, which XML cannot carry", c as u32),
            ));
        }
        let out = &mut self.out;
        out.push('<');
        out.push_str(name);
        out.push('>');
        for c in value.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\r' => out.push_str("&#13;"),
                c => out.push(c),
            }
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
        Ok(())
    }

    fn finish(mut self) -> String {
        self.out.push_str("</");
        self.out.push_str(self.root);
        self.out.push('>');
        self.out
    }
}
