//! The XML reader: any bytes either read as fields or are refused with an
//! Xml error; fields that were read write back and read again the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay::{from_xml, to_xml, ErrorKind};

fuzz_target!(|data: &[u8]| {
    match from_xml(data) {
        Ok(fields) => {
            // Every accepted map has a text form that reads back unchanged
            // (values with characters XML cannot carry are refused on writing).
            if let Ok(text) = to_xml(&fields) {
                let again = from_xml(text.as_bytes()).expect("wxpay's own XML reads back");
                assert_eq!(again, fields);
            }
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::Xml, "{e}"),
    }
});
