//! The segmenter's weights and their file format.
//!
//! File: `NHIPSEG1`, then little-endian `u32` log2 table size, `u32` count, and `count` pairs of
//! (`u32` slot, `f32` weight), slots ascending.

use super::features::FEATURES_PER_GAP;
use super::SegmentError;

const MAGIC: &[u8; 8] = b"NHIPSEG1";
pub(crate) const TABLE_BITS: u32 = 22;

/// Weights addressed by feature hash.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    weights: Vec<f32>,
    mask: usize,
}

impl Model {
    pub(crate) fn zero() -> Model {
        Model {
            weights: vec![0.0; 1 << TABLE_BITS],
            mask: (1 << TABLE_BITS) - 1,
        }
    }

    #[inline]
    pub(crate) fn slot(&self, feature: u64) -> usize {
        (feature as usize ^ (feature >> 32) as usize) & self.mask
    }

    #[inline]
    pub(crate) fn score(&self, features: &[u64; FEATURES_PER_GAP]) -> f32 {
        features.iter().map(|&f| self.weights[self.slot(f)]).sum()
    }

    pub(crate) fn weights_mut(&mut self) -> &mut [f32] {
        &mut self.weights
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let nonzero: Vec<(u32, f32)> = self
            .weights
            .iter()
            .enumerate()
            .filter(|(_, &w)| w != 0.0)
            .map(|(i, &w)| (i as u32, w))
            .collect();
        let mut out = Vec::with_capacity(16 + nonzero.len() * 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&TABLE_BITS.to_le_bytes());
        out.extend_from_slice(&(nonzero.len() as u32).to_le_bytes());
        for (slot, weight) in nonzero {
            out.extend_from_slice(&slot.to_le_bytes());
            out.extend_from_slice(&weight.to_le_bytes());
        }
        out
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Model, SegmentError> {
        let bad = |why: &str| SegmentError::Model(why.to_string());
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| bad("not an nhip segmenter model"))?;
        let u32_at = |at: usize| -> Result<u32, SegmentError> {
            rest.get(at..at + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or_else(|| bad("truncated model"))
        };
        if u32_at(0)? != TABLE_BITS {
            return Err(bad("model table size differs from this build"));
        }
        let count = u32_at(4)? as usize;
        if rest.len() != 8 + count * 8 {
            return Err(bad("model length does not match its header"));
        }
        let mut model = Model::zero();
        for pair in rest[8..].chunks_exact(8) {
            let slot = u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]) as usize;
            let weight = f32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]);
            *model
                .weights
                .get_mut(slot)
                .ok_or_else(|| bad("slot out of range"))? = weight;
        }
        Ok(model)
    }
}
