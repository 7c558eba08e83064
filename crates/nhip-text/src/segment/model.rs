//! The segmenter's weights and their file format.
//!
//! Features hash into `2^TABLE_BITS` slots. Training works on a dense table of `f32`; a trained
//! model holds the weights quantised to `i16` in a dense table of the same size (512 KiB), and
//! its file keeps only the non-zero ones.
//!
//! File: `NHIPSEG2`, then little-endian `u32` log2 table size, `u32` count, and `count` pairs of
//! (`u32` slot, `f32` weight), slots ascending.

use super::SegmentError;

/// Version 2: the features of `features.rs` since 2026-12-03 (version 1 hashed them otherwise,
/// so its weights mean nothing to this build).
const MAGIC: &[u8; 8] = b"NHIPSEG2";
const OLDER_MAGIC: &[u8; 7] = b"NHIPSEG";
pub(crate) const TABLE_BITS: u32 = 18;
const SLOT_MASK: u64 = (1 << TABLE_BITS) - 1;

/// Weights by slot, quantised to `i16` (only the sign of a sum is used, and 512 KiB stays in
/// cache where a table of `f32` would not), kept with their scale to restore the file values.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    weights: Box<[i16; 1 << TABLE_BITS]>,
    /// File weight = quantised weight × `scale`.
    scale: f32,
    /// Sums of the weights of the features with few possible values, by those values (see
    /// [`super::features::gap_scores`]): read from a few small tables instead of hashed.
    pub(crate) tables: ScoreTables,
}

/// Precomputed weight sums, indexed by the small values their features hash (exact: the
/// model's score is a sum of integers, in any order).
#[derive(Debug, Clone, Default)]
pub(crate) struct ScoreTables {
    /// The bias and the shape features, by `prev << 12 | shape(i-1) << 9 | shape(i) << 6 |
    /// shape(i+1) << 3 | shape(i+2)`.
    pub shapes: Vec<i32>,
    /// The dictionary-mask features, by `prev << 6 | mask` (a 6-bit mask).
    pub mask: Vec<i32>,
}

impl Model {
    pub(crate) fn zero() -> Model {
        let mut model = Model {
            // Through a vector: `Box::new([0; N])` may build the 512 KiB on the stack first.
            weights: vec![0; 1 << TABLE_BITS]
                .into_boxed_slice()
                .try_into()
                .expect("a vector of the table's length"),
            scale: 1.0,
            tables: ScoreTables::default(),
        };
        model.tables = super::features::score_tables(&model);
        model
    }

    pub(crate) fn from_dense(weights: &[f32]) -> Model {
        Model::from_pairs(
            weights
                .iter()
                .enumerate()
                .filter(|(_, &w)| w != 0.0)
                .map(|(slot, &w)| (slot as u32, w))
                .collect(),
        )
    }

    fn from_pairs(pairs: Vec<(u32, f32)>) -> Model {
        let largest = pairs.iter().map(|p| p.1.abs()).fold(0.0f32, f32::max);
        // Leave headroom: a sum of FEATURES_PER_GAP weights is accumulated in i32 anyway.
        let scale = if largest > 0.0 {
            largest / f32::from(i16::MAX)
        } else {
            1.0
        };
        let mut model = Model::zero();
        model.scale = scale;
        for (slot, weight) in pairs {
            model.weights[slot as usize] = (weight / scale).round() as i16;
        }
        model.tables = super::features::score_tables(&model);
        model
    }

    /// The weight at a slot.
    #[inline]
    pub(crate) fn slot_weight(&self, slot: u32) -> i32 {
        // Masked so the compiler knows the index is in range (slots are, by construction).
        i32::from(self.weights[(u64::from(slot) & SLOT_MASK) as usize])
    }

    /// The score of one gap's feature slots (tests; decoding uses
    /// [`super::features::gap_scores`]).
    #[cfg(test)]
    pub(crate) fn score(&self, slots: &[u32; super::features::FEATURES_PER_GAP]) -> i32 {
        slots.iter().map(|&slot| self.slot_weight(slot)).sum()
    }

    fn pairs(&self) -> Vec<(u32, f32)> {
        self.weights
            .iter()
            .enumerate()
            .filter(|(_, &w)| w != 0)
            .map(|(slot, &w)| (slot as u32, f32::from(w) * self.scale))
            .collect()
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let pairs = self.pairs();
        let mut out = Vec::with_capacity(16 + pairs.len() * 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&TABLE_BITS.to_le_bytes());
        out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
        for (slot, weight) in pairs {
            out.extend_from_slice(&slot.to_le_bytes());
            out.extend_from_slice(&weight.to_le_bytes());
        }
        out
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Model, SegmentError> {
        let bad = |why: &str| SegmentError::Model(why.to_string());
        let rest = match bytes.strip_prefix(MAGIC) {
            Some(rest) => rest,
            None if bytes.starts_with(OLDER_MAGIC) => {
                return Err(bad(
                    "made by an older nhip whose features differ: retrain it with `nhip segmenter train`",
                ))
            }
            None => return Err(bad("not an nhip segmenter model")),
        };
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
        let mut pairs = Vec::with_capacity(count);
        for pair in rest[8..].chunks_exact(8) {
            let slot = u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]);
            if u64::from(slot) > SLOT_MASK {
                return Err(bad("slot out of range"));
            }
            pairs.push((
                slot,
                f32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]),
            ));
        }
        Ok(Model::from_pairs(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_of_older_features_is_refused_with_a_way_out() {
        let mut older = Model::zero().to_bytes();
        older[..8].copy_from_slice(b"NHIPSEG1");
        let message = Model::from_bytes(&older).err().map(|e| e.to_string());
        assert!(
            message.as_deref().is_some_and(|m| m.contains("retrain")),
            "{message:?}"
        );
        assert!(Model::from_bytes(b"not a model").is_err());
        let round_trip = Model::from_bytes(&Model::zero().to_bytes());
        assert!(round_trip.is_ok());
    }
}
