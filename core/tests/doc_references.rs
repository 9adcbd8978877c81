//! Every `docs/…md §N` the code cites names a file and a section that
//! exist, and every source path the docs name exists: the notes the code
//! relies on stay in the repository and stay in step with it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !["target", "node_modules", ".venv", "__pycache__"].contains(&name.as_str())
                && !name.starts_with('.')
            {
                sources(&path, out);
            }
        } else if ["rs", "py", "js", "php", "c", "h", "ts"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
        {
            out.push(path);
        }
    }
}

/// The documentation file and the section after ` §`, if any, at each citation.
fn citations(text: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("docs/") {
        let tail = &rest[at + 5..];
        let name: String = tail
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .collect();
        rest = &tail[name.len()..];
        let Some(name) = name.strip_suffix(".md").map(str::to_owned) else {
            continue;
        };
        let section = rest.strip_prefix(" §").map(|s| {
            s.chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>()
                .trim_end_matches('.')
                .to_owned()
        });
        found.push((name.clone(), section));
        // Further sections in the same citation: "§3.3, §4, §5".
        let mut more = rest.strip_prefix(" §").map_or(rest, |s| {
            let n = s
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .count();
            &s[n..]
        });
        while let Some(s) = more
            .strip_prefix(", §")
            .or_else(|| more.strip_prefix(" and §"))
        {
            let num: String = s
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if num.is_empty() {
                break;
            }
            found.push((name.clone(), Some(num.trim_end_matches('.').to_owned())));
            more = &s[num.len()..];
        }
    }
    found
}

fn has_section(doc: &str, section: &str) -> bool {
    doc.lines().filter(|l| l.starts_with('#')).any(|l| {
        let heading = l.trim_start_matches('#').trim_start();
        heading.starts_with(&format!("{section}. ")) || heading.starts_with(&format!("{section} "))
    })
}

#[test]
fn code_cites_only_docs_that_exist() {
    let mut files = Vec::new();
    for dir in ["core", "sim", "cli", "bindings", "tests", "examples"] {
        sources(&root().join(dir), &mut files);
    }
    let mut checked = 0;
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for (name, section) in citations(&text) {
            let doc_path = root().join("docs").join(format!("{name}.md"));
            let doc = fs::read_to_string(&doc_path).unwrap_or_else(|_| {
                panic!(
                    "{} cites docs/{name}.md, which does not exist",
                    file.display()
                )
            });
            if let Some(section) = section.filter(|s| !s.is_empty()) {
                assert!(
                    has_section(&doc, &section),
                    "{} cites docs/{name}.md §{section}, which has no such section",
                    file.display()
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 15,
        "only {checked} citations found: is the scan broken?"
    );
}

#[test]
fn docs_name_only_source_files_that_exist() {
    for doc in ["protocol", "security"] {
        let text = fs::read_to_string(root().join("docs").join(format!("{doc}.md"))).unwrap();
        for piece in text.split('`') {
            let looks_like_path =
                (piece.starts_with("core/") || piece.starts_with("tests/")) && !piece.contains(' ');
            if looks_like_path {
                assert!(
                    root().join(piece).exists(),
                    "docs/{doc}.md names {piece}, which does not exist"
                );
            }
        }
    }
}

/// The README's error table, row by row: kind, code, Python class, Node
/// code, C status, PHP class.
fn readme_error_rows() -> Vec<Vec<String>> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("| kind | code | Python |")
        .expect("the README has an error table");
    readme[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect()
}

fn first_word(cell: &str) -> String {
    cell.trim_start_matches('`')
        .split(['`', ' '])
        .next()
        .unwrap_or("")
        .to_owned()
}

#[test]
fn the_readme_error_table_matches_every_language() {
    let rows = readme_error_rows();
    let kinds: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let expected: Vec<&str> = wxpay::ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(kinds, expected, "one row per error kind, in order");
    let python = fs::read_to_string(root().join("bindings/python/python/wxpay/errors.py")).unwrap();
    // ErrorCode is generated into results.d.ts; types.d.ts re-exports it.
    let node = ["types.d.ts", "results.d.ts"]
        .iter()
        .map(|f| fs::read_to_string(root().join("bindings/node").join(f)).unwrap())
        .collect::<String>();
    let header = fs::read_to_string(root().join("include/wxpay.h")).unwrap();
    for (row, kind) in rows.iter().zip(wxpay::ErrorKind::ALL) {
        let code = first_word(&row[1]);
        assert_eq!(code, kind.code(), "{kind}: the code column");
        assert_eq!(
            first_word(&row[3]),
            kind.code(),
            "{kind}: Node's code is the same string"
        );
        let class = first_word(&row[2]);
        assert_eq!(
            class,
            format!("{}Error", kind.as_str()),
            "{kind}: Python class"
        );
        assert!(
            python.contains(&format!("class {class}(")),
            "{class} is not in wxpay.errors"
        );
        assert!(
            node.contains(&format!("'{code}'")),
            "{code} is not in Node's ErrorCode"
        );
        let status = first_word(&row[4]);
        assert!(
            header.contains(&format!("{status} = ")),
            "{status} is not in include/wxpay.h"
        );
        let php = first_word(&row[5]);
        assert!(
            root().join(format!("bindings/php/src/{php}.php")).exists(),
            "{php} has no class file"
        );
    }
}

/// The README's Rust examples marked `rust,no_run` are compiled as the doc
/// example of the item named in the comment above them: each must appear,
/// line for line, in a doc comment of the core.
#[test]
fn the_readme_rust_examples_are_compiled_doc_examples() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let mut docs = Vec::new();
    sources(&root().join("core").join("src"), &mut docs);
    let doc_text: String = docs
        .iter()
        .map(|p| {
            fs::read_to_string(p)
                .unwrap()
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("///"))
                .map(|l| l.strip_prefix(' ').unwrap_or(l).to_owned() + "\n")
                .collect::<String>()
        })
        .collect();
    let mut found = 0;
    for block in readme.split("```rust,no_run\n").skip(1) {
        let code = block.split("```").next().unwrap();
        assert!(
            doc_text.contains(code),
            "a README example is not a doc example of the core (so it is not compiled):\n{code}"
        );
        found += 1;
    }
    assert!(found >= 1);
}
