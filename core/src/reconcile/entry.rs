//! One payment or refund, from either side, in the form both sides are
//! sorted and compared in.

use std::io::{self, BufRead, Write};

/// A payment is matched by `out_trade_no`, a refund by `out_refund_no`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum EntryKind {
    Payment,
    Refund,
}

impl EntryKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EntryKind::Payment => "payment",
            EntryKind::Refund => "refund",
        }
    }
}

/// What one side says about one payment or refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub kind: EntryKind,
    /// `out_trade_no` of a payment, `out_refund_no` of a refund.
    pub key: String,
    /// The order: the key again for a payment.
    pub out_trade_no: String,
    /// The order's total (payment) or the refund asked (refund), in fen.
    pub fen: u64,
    /// WeChat's number (`transaction_id`, `refund_id`); empty on the
    /// shop's side unless the shop gave it.
    pub wechat_id: String,
}

impl Entry {
    /// The order both sides are sorted in, so one pass pairs them up.
    pub fn sort_key(&self) -> (EntryKind, &str) {
        (self.kind, &self.key)
    }

    /// Bytes held in memory, for the spill threshold: the entry, and each
    /// string's heap block as the allocator hands it out (rounded up to 16
    /// bytes, plus its 16-byte header), so the budget is what the process
    /// really holds rather than half of it.
    pub fn weight(&self) -> usize {
        let heap = |s: &String| match s.capacity() {
            0 => 0,
            n => n.div_ceil(16) * 16 + 16,
        };
        std::mem::size_of::<Entry>()
            + heap(&self.key)
            + heap(&self.out_trade_no)
            + heap(&self.wechat_id)
    }

    /// Writes the entry to a spill file: a kind byte, the amount and three
    /// length-prefixed strings (any byte may appear in a key).
    pub fn write_to(&self, w: &mut impl Write) -> io::Result<()> {
        w.write_all(&[match self.kind {
            EntryKind::Payment => 0,
            EntryKind::Refund => 1,
        }])?;
        w.write_all(&self.fen.to_le_bytes())?;
        for s in [&self.key, &self.out_trade_no, &self.wechat_id] {
            let len = u32::try_from(s.len())
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "value too long"))?;
            w.write_all(&len.to_le_bytes())?;
            w.write_all(s.as_bytes())?;
        }
        Ok(())
    }

    /// Reads what [`Entry::write_to`] wrote; `None` at the end of the file.
    pub fn read_from(r: &mut impl BufRead) -> io::Result<Option<Entry>> {
        if r.fill_buf()?.is_empty() {
            return Ok(None);
        }
        let mut kind = [0u8; 1];
        r.read_exact(&mut kind)?;
        let kind = match kind[0] {
            0 => EntryKind::Payment,
            1 => EntryKind::Refund,
            _ => return Err(io::Error::new(io::ErrorKind::InvalidData, "bad entry kind")),
        };
        let mut fen = [0u8; 8];
        r.read_exact(&mut fen)?;
        let mut text = || -> io::Result<String> {
            let mut len = [0u8; 4];
            r.read_exact(&mut len)?;
            let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
            r.read_exact(&mut bytes)?;
            String::from_utf8(bytes)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "spilled text not UTF-8"))
        };
        let key = text()?;
        let out_trade_no = text()?;
        let wechat_id = text()?;
        Ok(Some(Entry {
            kind,
            key,
            out_trade_no,
            fen: u64::from_le_bytes(fen),
            wechat_id,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_survives_a_spill_file() {
        let entries = [
            Entry {
                kind: EntryKind::Refund,
                key: "r-1\n,`\u{0}".into(),
                out_trade_no: "order-1".into(),
                fen: u64::MAX,
                wechat_id: String::new(),
            },
            Entry {
                kind: EntryKind::Payment,
                key: "订单".into(),
                out_trade_no: "订单".into(),
                fen: 0,
                wechat_id: "4200".into(),
            },
        ];
        let mut bytes = Vec::new();
        for e in &entries {
            e.write_to(&mut bytes).unwrap();
        }
        let mut r = &bytes[..];
        for e in &entries {
            assert_eq!(Entry::read_from(&mut r).unwrap().as_ref(), Some(e));
        }
        assert_eq!(Entry::read_from(&mut r).unwrap(), None);
        // A cut file is an error, not a shorter day.
        let mut cut = &bytes[..bytes.len() - 1];
        Entry::read_from(&mut cut).unwrap();
        assert!(Entry::read_from(&mut cut).is_err());
    }
}
