//! `wxpay`: sign, verify and inspect WeChat Pay v2 messages offline, and
//! reconcile a day's bill.

mod args;
mod reconcile;
mod sign_tools;

use sign_tools::Failure;

/// A command: its arguments in, a failure out.
type Command = fn(&[String]) -> Result<(), Failure>;

const HELP: &str = "wxpay — WeChat Pay v2 tools that work offline

Usage: wxpay <command> [options]

Commands:
  sign        print the signature of a message
  verify      check the signature of a reply or notification
  jssdk-sign  print the JS-SDK wx.config signature
  xml         convert WeChat XML to JSON, or JSON to XML
  reconcile   compare a day's trade bill with the shop's records
  sim         run the offline WeChat simulator (same as wxpay-sim)
  schema      print the JSON Schema of every result the client returns

Run `wxpay <command> --help` for a command's options and an example.
";

const SIGN_HELP: &str =
    "wxpay sign — print the signature of a message (protocol rule: every non-empty
field except sign, sorted by name, joined as k=v&…&key=KEY, upper-case hex)

Usage: wxpay sign --key KEY [--sign-type MD5|HMAC-SHA256] [name=value ...]

With no name=value pairs the message is read from standard input as XML or
as a JSON object. The sign type is --sign-type, else the message's own
sign_type field, else MD5.

Example:
  wxpay sign --key 192006250b4c09247ec02edce69f6a2d appid=wxd930ea5d5a258f4f \\
      mch_id=10000100 device_info=1000 body=test nonce_str=ibuaiVcKdpRxkhJA
  9A0A8659F005D6984697E2CA0A9CF3B7
";

const VERIFY_HELP: &str = "wxpay verify — check the signature of a reply or notification

Usage: wxpay verify --key KEY [--sign-type MD5|HMAC-SHA256] < message.xml

Prints \"valid\" and exits 0, or prints why it is invalid (the algorithm, the
signed string without the key, expected and given signatures) and exits 1.
Without --sign-type the algorithm comes from the message's sign_type, else
from the signature's length (64 hex digits: HMAC-SHA256), else MD5.

Example:
  wxpay verify --key 192006250b4c09247ec02edce69f6a2d < notify.xml
";

const JSSDK_HELP: &str = "wxpay jssdk-sign — print the signature for wx.config

Usage: wxpay jssdk-sign --ticket T --noncestr N --timestamp TS --url URL

The URL is the page's full address; anything from # on is not signed.

Example:
  wxpay jssdk-sign --ticket sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg \\
      --noncestr Wm3WZYTPz0wzccnW --timestamp 1414587457 --url 'http://mp.weixin.qq.com?params=value'
  0f9de62fce790f9a083d5c99e95740ceb90c27ed
";

const SCHEMA_HELP: &str = "wxpay schema — print the JSON Schema of every result type

Usage: wxpay schema

The host layers of every binding (Python TypedDicts, TypeScript interfaces)
are generated from it: bindings/results.schema.json holds the committed copy,
and packaging/gen_hosts.py renders it.
";

const XML_HELP: &str = "wxpay xml — convert WeChat XML to JSON, or back

Usage: wxpay xml [--to-xml] < input

Reads standard input with the same hardened reader the library uses
(DOCTYPE, nesting, duplicates and non-UTF-8 are refused).

Examples:
  echo '<xml><a><![CDATA[1]]></a></xml>' | wxpay xml
  echo '{\"a\":\"1\"}' | wxpay xml --to-xml
";

/// Prints the result types' JSON Schema.
fn schema(_: &[String]) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(&wxpay::schema::results()).map_err(|e| Failure {
        message: e.to_string(),
        code: 1,
    })?;
    println!("{text}");
    Ok(())
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = argv.split_first() else {
        eprint!("{HELP}");
        std::process::exit(2);
    };
    let wants_help = rest.iter().any(|a| a == "--help" || a == "-h");
    let (help, run): (&str, Command) = match command.as_str() {
        "--help" | "-h" | "help" => {
            print!("{HELP}");
            return;
        }
        "--version" | "-V" => {
            println!("wxpay {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        "sim" => std::process::exit(wxpay_sim::cli::run(rest)),
        "sign" => (SIGN_HELP, sign_tools::sign),
        "verify" => (VERIFY_HELP, sign_tools::verify),
        "jssdk-sign" => (JSSDK_HELP, sign_tools::jssdk_sign),
        "xml" => (XML_HELP, sign_tools::xml),
        "schema" => (SCHEMA_HELP, schema),
        "reconcile" => (reconcile::HELP, reconcile::run),
        other => {
            eprintln!("wxpay: unknown command {other:?}; run `wxpay --help`");
            std::process::exit(2);
        }
    };
    if wants_help {
        print!("{help}");
        return;
    }
    if let Err(failure) = run(rest) {
        eprintln!("wxpay {command}: {}", failure.message);
        std::process::exit(failure.code);
    }
}
