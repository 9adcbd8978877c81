//! The offline counterpart of WeChat's signature checking tool: sign,
//! verify, jssdk-sign and xml.

use std::io::Read;

use wxpay::{ApiKey, Params, SignType};

use crate::args::Args;

/// A command's failure: the line to print and the exit code.
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 1,
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::usage(message)
    }
}

impl From<wxpay::Error> for Failure {
    fn from(e: wxpay::Error) -> Self {
        Failure {
            message: e.to_string(),
            code: 1,
        }
    }
}

fn read_stdin() -> Result<Vec<u8>, Failure> {
    let mut data = Vec::new();
    std::io::stdin()
        .take(16 * 1024 * 1024)
        .read_to_end(&mut data)
        .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
    Ok(data)
}

/// A message on stdin: XML, or a JSON object of strings.
fn read_message() -> Result<Params, Failure> {
    let data = read_stdin()?;
    let start = data.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match start {
        None => Err(Failure::usage(
            "standard input is empty: pass name=value pairs or pipe XML / JSON in",
        )),
        Some(b'{') => json_to_params(&data),
        Some(_) => Ok(wxpay::from_xml(&data)?),
    }
}

fn json_to_params(data: &[u8]) -> Result<Params, Failure> {
    let text =
        std::str::from_utf8(data).map_err(|_| Failure::usage("standard input is not UTF-8"))?;
    Ok(wxpay::params_from_json(text)?)
}

fn sign_type_option(args: &Args) -> Result<Option<SignType>, Failure> {
    args.get("sign-type")
        .map(SignType::parse)
        .transpose()
        .map_err(Failure::from)
}

pub fn sign(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(raw, &["key", "sign-type"], &[])?;
    let key = ApiKey::new(args.require("key")?)?;
    let params: Params = if args.positional.is_empty() {
        read_message()?
    } else {
        args.positional
            .iter()
            .map(|pair| {
                pair.split_once('=')
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .ok_or_else(|| Failure::usage(format!("{pair:?} is not name=value")))
            })
            .collect::<Result<_, _>>()?
    };
    let sign_type = match sign_type_option(&args)? {
        Some(t) => t,
        None => match params.get("sign_type").filter(|s| !s.is_empty()) {
            Some(t) => SignType::parse(t)?,
            None => SignType::Md5,
        },
    };
    println!("{}", wxpay::sign(&params, &key, sign_type)?);
    Ok(())
}

pub fn verify(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(raw, &["key", "sign-type"], &[])?;
    let key = ApiKey::new(args.require("key")?)?;
    let params = read_message()?;
    let given = params.get("sign").cloned().unwrap_or_default();
    let (sign_type, how) = match sign_type_option(&args)? {
        Some(t) => (t, "given by --sign-type"),
        None => match params.get("sign_type").filter(|s| !s.is_empty()) {
            Some(t) => (SignType::parse(t)?, "from the message's sign_type"),
            None if given.trim().len() == 64 => {
                (SignType::HmacSha256, "from the signature's length")
            }
            None => (SignType::Md5, "the default"),
        },
    };
    match wxpay::verify(&params, &key, sign_type) {
        Ok(()) => {
            println!("valid ({sign_type}, {how})");
            Ok(())
        }
        Err(e) => {
            // The person running this holds the key, so showing what the
            // signature should be is safe and is what makes the tool useful.
            let expected = wxpay::sign(&params, &key, sign_type)?;
            let string = wxpay::sign_string(&params)?;
            Err(Failure::invalid(format!(
                "invalid: {e}\n  algorithm: {sign_type} ({how})\n  signed string: {string}&key=<your key>\n  expected sign: {expected}\n  given sign:    {given}"
            )))
        }
    }
}

pub fn jssdk_sign(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(raw, &["ticket", "noncestr", "timestamp", "url"], &[])?;
    let timestamp: u64 = args
        .require("timestamp")?
        .parse()
        .map_err(|_| Failure::usage("--timestamp must be Unix seconds"))?;
    let url = args.require("url")?;
    let signature = wxpay::jssdk_signature(
        args.require("ticket")?,
        args.require("noncestr")?,
        timestamp,
        url,
    )?;
    if wxpay::jssdk_url(url) != url {
        eprintln!(
            "note: signed {} (the #fragment is not part of the signature)",
            wxpay::jssdk_url(url)
        );
    }
    println!("{signature}");
    Ok(())
}

pub fn xml(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(raw, &[], &["to-xml"])?;
    if !args.positional.is_empty() {
        return Err(Failure::usage(
            "xml takes no arguments; it reads standard input",
        ));
    }
    let data = read_stdin()?;
    if args.has("to-xml") {
        println!("{}", wxpay::to_xml(&json_to_params(&data)?)?);
    } else {
        let params = wxpay::from_xml(&data)?;
        let json =
            serde_json::to_string_pretty(&params).map_err(|e| Failure::invalid(e.to_string()))?;
        println!("{json}");
    }
    Ok(())
}
