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

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::error::{Error, Result, XmlReason};
use crate::params::{is_field_name, Params};

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
    if text.trim().is_empty() {
        return Err(malformed("the body is empty"));
    }

    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.allow_dangling_amp = false;
    config.expand_empty_elements = false;
    config.trim_text(false);

    #[derive(PartialEq)]
    enum State {
        Prolog,
        InRoot,
        InField,
        Done,
    }
    let mut state = State::Prolog;
    let mut seen_decl = false;
    let mut fields = Params::new();
    let mut current_name = String::new();
    let mut current_value = String::new();

    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                // A DOCTYPE is reported by kind even when quick-xml finds it
                // broken, so that every DOCTYPE attack has one answer.
                if text.contains("<!DOCTYPE") || text.contains("<!doctype") {
                    return Err(doctype_error());
                }
                return Err(malformed(format!(
                    "not well-formed at byte {}: {e}",
                    reader.error_position()
                )));
            }
        };
        match event {
            Event::DocType(_) => return Err(doctype_error()),
            Event::Decl(decl) => {
                if state != State::Prolog
                    || seen_decl
                    || reader.buffer_position() as usize != decl_end(text)
                {
                    return Err(malformed("the XML declaration may only open the document"));
                }
                seen_decl = true;
                if let Some(enc) = decl.encoding() {
                    let enc = enc.map_err(|_| malformed("unreadable encoding declaration"))?;
                    if !enc.eq_ignore_ascii_case("utf-8") {
                        return Err(Error::xml(
                            XmlReason::Encoding,
                            format!(
                                "declared encoding {:?}; only UTF-8 is accepted",
                                crate::message::truncate_for_message(&enc)
                            ),
                        ));
                    }
                }
            }
            Event::PI(_) => return Err(malformed("processing instructions are not allowed")),
            Event::Comment(_) => return Err(malformed("comments are not allowed")),
            Event::Start(start) | Event::Empty(start) if state == State::InField => {
                let _ = start;
                return Err(Error::xml(
                    XmlReason::TooDeep,
                    format!("field {current_name} contains an element; fields hold text only"),
                ));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                if !start.attributes_raw().trim().is_empty() {
                    return Err(malformed("attributes are not allowed"));
                }
                let name: String = start.name().as_ref().to_owned();
                let empty = matches!(event, Event::Empty(_));
                match state {
                    State::Prolog if name != root => {
                        return Err(malformed(format!("the root element must be <{root}>")))
                    }
                    // `<xml/>` is a document with no fields.
                    State::Prolog => state = if empty { State::Done } else { State::InRoot },
                    State::InRoot => {
                        begin_field(&fields, &name, limits)?;
                        if empty {
                            fields.insert(name, String::new());
                        } else {
                            current_name = name;
                            current_value.clear();
                            state = State::InField;
                        }
                    }
                    State::Done => return Err(malformed("content after the root element")),
                    State::InField => unreachable!("handled above"),
                }
            }
            Event::End(_) => match state {
                State::InField => {
                    check_value(&current_name, &current_value)?;
                    fields.insert(
                        std::mem::take(&mut current_name),
                        std::mem::take(&mut current_value),
                    );
                    state = State::InRoot;
                }
                State::InRoot => state = State::Done,
                _ => return Err(malformed("unexpected closing tag")),
            },
            Event::Text(t) => {
                if state == State::InField {
                    push_limited(&mut current_value, &t, &current_name, limits)?;
                } else if !t
                    .trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
                    .is_empty()
                {
                    return Err(malformed("text outside a field"));
                }
            }
            Event::CData(t) => {
                if state != State::InField {
                    return Err(malformed("CDATA outside a field"));
                }
                push_limited(&mut current_value, &t, &current_name, limits)?;
            }
            Event::GeneralRef(r) => {
                if state != State::InField {
                    return Err(malformed("entity reference outside a field"));
                }
                let resolved = resolve_reference(&r)?;
                push_limited(&mut current_value, &resolved, &current_name, limits)?;
            }
            Event::Eof => {
                if state == State::Done {
                    return Ok(fields);
                }
                return Err(malformed(
                    "the document ends before its root element is closed",
                ));
            }
        }
    }
}

/// Where a leading XML declaration ends, so a declaration anywhere else is
/// caught even if quick-xml accepts it.
fn decl_end(text: &str) -> usize {
    text.find("?>").map(|i| i + 2).unwrap_or(usize::MAX)
}

fn doctype_error() -> Error {
    Error::xml(
        XmlReason::Doctype,
        "DOCTYPE declarations are refused (WeChat never sends one; they enable XXE)",
    )
}

fn begin_field(fields: &Params, name: &str, limits: &XmlLimits) -> Result<()> {
    if !is_field_name(name) {
        return Err(malformed(format!(
            "field name {:?} is not [A-Za-z0-9_]{{1,64}}",
            crate::message::truncate_for_message(name)
        )));
    }
    if fields.contains_key(name) {
        return Err(Error::xml(
            XmlReason::Duplicate,
            format!("field {name} appears more than once"),
        ));
    }
    if fields.len() >= limits.max_fields {
        return Err(Error::xml(
            XmlReason::TooManyFields,
            format!("more than {} fields", limits.max_fields),
        ));
    }
    Ok(())
}

fn push_limited(value: &mut String, piece: &str, field: &str, limits: &XmlLimits) -> Result<()> {
    if value.len() + piece.len() > limits.max_value {
        return Err(Error::xml(
            XmlReason::TooLarge,
            format!("field {field} is longer than {} bytes", limits.max_value),
        ));
    }
    value.push_str(piece);
    Ok(())
}

fn check_value(field: &str, value: &str) -> Result<()> {
    if let Some(c) = value.chars().find(|&c| !is_xml_char(c)) {
        return Err(malformed(format!(
            "field {field} contains the character U+{:04X}, which XML does not allow",
            c as u32
        )));
    }
    Ok(())
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

fn resolve_reference(r: &quick_xml::events::BytesRef<'_>) -> Result<String> {
    if let Some(c) = r
        .resolve_char_ref()
        .map_err(|_| malformed("invalid character reference"))?
    {
        return Ok(c.to_string());
    }
    let name: &str = r;
    match name {
        "lt" => Ok("<".into()),
        "gt" => Ok(">".into()),
        "amp" => Ok("&".into()),
        "apos" => Ok("'".into()),
        "quot" => Ok("\"".into()),
        _ => Err(malformed(format!(
            "undeclared entity &{};",
            crate::message::truncate_for_message(name)
        ))),
    }
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
    if params.contains_key("sign") {
        return Err(Error::invalid(
            "sign",
            "is computed here and may not be passed",
        ));
    }
    let mut signed = params.clone();
    signed.insert("sign".into(), crate::sign::sign(params, key, sign_type)?);
    write_flat(&signed, "xml")
}

pub(crate) fn write_flat(params: &Params, root: &str) -> Result<String> {
    let mut out = String::with_capacity(
        64 + params
            .iter()
            .map(|(k, v)| 2 * k.len() + v.len() + 5)
            .sum::<usize>(),
    );
    out.push('<');
    out.push_str(root);
    out.push('>');
    for (name, value) in params {
        crate::params::check_field_name(name)?;
        if let Some(c) = value.chars().find(|&c| !is_xml_char(c)) {
            return Err(Error::invalid(
                name.as_str(),
                format!("contains U+{:04X}, which XML cannot carry", c as u32),
            ));
        }
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
    }
    out.push_str("</");
    out.push_str(root);
    out.push('>');
    Ok(out)
}
