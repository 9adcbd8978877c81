//! include/wxpay.h and include/wxpay_ffi.h must be what cbindgen makes of
//! the current source. `WXPAY_UPDATE_HEADERS=1 cargo test -p wxpay-c --test
//! headers` (or `make headers`) rewrites them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::path::PathBuf;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generate() -> String {
    let config =
        cbindgen::Config::from_file(crate_dir().join("cbindgen.toml")).expect("cbindgen.toml");
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir())
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut out);
    String::from_utf8(out).expect("UTF-8 header")
}

/// The same declarations without preprocessor lines, comments or the C++
/// guard, which is what PHP's FFI::cdef accepts.
fn ffi_header(header: &str) -> String {
    let mut without_comments = String::new();
    let mut rest = header;
    while let Some(start) = rest.find("/*") {
        without_comments.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    without_comments.push_str(rest);
    let mut out = String::from(
        "// wxpay: the declarations of wxpay.h for PHP FFI::cdef (generated; do not edit)\n",
    );
    let mut lines = without_comments
        .lines()
        .map(|l| l.split("//").next().unwrap_or("").trim_end())
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter(|l| !l.contains("extern \"C\"") && l.trim() != "}")
        .peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        if line.ends_with(';') && lines.peek().is_some_and(|n| !n.starts_with(' ')) {
            out.push('\n');
        }
    }
    out
}

#[test]
fn headers_are_current() {
    let header = generate();
    let ffi = ffi_header(&header);
    let include = crate_dir().join("../../include");
    let (h_path, ffi_path) = (include.join("wxpay.h"), include.join("wxpay_ffi.h"));
    if std::env::var_os("WXPAY_UPDATE_HEADERS").is_some() {
        std::fs::write(&h_path, &header).unwrap();
        std::fs::write(&ffi_path, &ffi).unwrap();
        return;
    }
    let stale = "is stale: run `make headers` and commit the result";
    assert_eq!(
        std::fs::read_to_string(&h_path).unwrap_or_default(),
        header,
        "include/wxpay.h {stale}"
    );
    assert_eq!(
        std::fs::read_to_string(&ffi_path).unwrap_or_default(),
        ffi,
        "include/wxpay_ffi.h {stale}"
    );
}

/// Every operation of tests/vectors/operations.json has its named C
/// function, spelled as the table says.
#[test]
fn every_operation_has_its_c_function() {
    let table: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate_dir().join("../../tests/vectors/operations.json")).unwrap(),
    )
    .unwrap();
    let header = std::fs::read_to_string(crate_dir().join("../../include/wxpay.h")).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 25);
    let missing: Vec<&str> = cases
        .iter()
        .map(|c| c["c"].as_str().unwrap())
        .filter(|name| !header.contains(&format!("int32_t {name}(")))
        .collect();
    assert!(missing.is_empty(), "include/wxpay.h lacks {missing:?}");
}
