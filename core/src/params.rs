//! The field map every message is made of.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// A flat message: field name → raw value.
///
/// A `BTreeMap<String, String>` orders names by their bytes, which is exactly
/// the order the signature needs (`Zeta` < `_x` < `appId` < `appid`).
pub type Params = BTreeMap<String, String>;

/// Field names are `[A-Za-z0-9_]+`, as WeChat's are. Anything else could
/// make two different maps sign the same string (`a=1&b` vs `a` = `1&b`).
pub(crate) fn check_field_name(name: &str) -> Result<()> {
    if is_field_name(name) {
        Ok(())
    } else {
        Err(Error::invalid(
            "params",
            format!(
                "field name {:?} must be 1-64 characters of A-Z, a-z, 0-9 and _",
                crate::message::truncate_for_message(name)
            ),
        ))
    }
}

pub(crate) fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(is_name_byte)
}

/// One byte of a field name, `[A-Za-z0-9_]`.
pub(crate) fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[b as usize]
}

/// The name bytes as a table: every signature and every message read
/// checks each byte of each name.
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};
