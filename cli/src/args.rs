//! A small argument reader: `--flag value`, `--flag=value`, `--switch` and
//! positional words, with one clear error for anything unexpected.

use std::collections::BTreeMap;

pub struct Args {
    options: BTreeMap<String, String>,
    switches: Vec<String>,
    pub positional: Vec<String>,
}

impl Args {
    /// `takes_value` lists the options that take a value, `switches` those that do not.
    pub fn parse(raw: &[String], takes_value: &[&str], switches: &[&str]) -> Result<Args, String> {
        let mut args = Args {
            options: BTreeMap::new(),
            switches: Vec::new(),
            positional: Vec::new(),
        };
        let mut it = raw.iter();
        while let Some(word) = it.next() {
            if let Some(flag) = word.strip_prefix("--") {
                let (name, inline) = match flag.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_owned())),
                    None => (flag, None),
                };
                if takes_value.contains(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => it
                            .next()
                            .cloned()
                            .ok_or_else(|| format!("--{name} needs a value"))?,
                    };
                    if args.options.insert(name.to_owned(), value).is_some() {
                        return Err(format!("--{name} is given twice"));
                    }
                } else if switches.contains(&name) && inline.is_none() {
                    args.switches.push(name.to_owned());
                } else {
                    return Err(format!("unknown option --{name}"));
                }
            } else {
                args.positional.push(word.clone());
            }
        }
        Ok(args)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    pub fn require(&self, name: &str) -> Result<&str, String> {
        self.get(name)
            .ok_or_else(|| format!("--{name} is required"))
    }

    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
}
