//! Database ids → column indexes, for loading street records into columns.

use crate::records::NONE;

/// Database ids (row ids or identity columns: small and dense, since the writers never burn
/// ids on rows that exist) → indexes 0.. in order of first use: a vector lookup per row
/// where a hash map would cost several times as much over a million rows.
#[derive(Default)]
pub(crate) struct DenseIds {
    index: Vec<u32>,
    pub(crate) order: Vec<i64>,
}

impl DenseIds {
    pub(crate) fn dense(&mut self, id: Option<i64>) -> u32 {
        let Some(id) = id else { return NONE };
        let slot = id as usize;
        if slot >= self.index.len() {
            self.index.resize(slot + 1, NONE);
        }
        if self.index[slot] == NONE {
            self.index[slot] = self.order.len() as u32;
            self.order.push(id);
        }
        self.index[slot]
    }

    pub(crate) fn index(&self, id: i64) -> u32 {
        self.index.get(id as usize).copied().unwrap_or(NONE)
    }

    pub(crate) fn contains(&self, id: i64) -> bool {
        self.index(id) != NONE
    }
}
