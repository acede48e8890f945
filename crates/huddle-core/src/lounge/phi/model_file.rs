//! What the guard's learned models, the tagger and the judge, share: how a feature is
//! hashed to a row of weights; the file format (an 8-byte magic, an `f32` scale, weight
//! units per unit of score, then `i16` weights, all little-endian: quantized so that the
//! models ship small and load fast); and the seeded generator their trainers shuffle with,
//! so that the same inputs give the same file.

const FNV: u64 = 0xcbf2_9ce4_8422_2325;

#[inline]
fn mix(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash of a feature: a template id and up to three byte strings.
#[inline]
pub fn feature_hash(id: u8, a: &[u8], b: &[u8], c: &[u8]) -> u64 {
    let mut h = mix(FNV, &[id]);
    h = mix(h, a);
    h = mix(h ^ 0xff, b);
    mix(h ^ 0xfe, c)
}

/// The row of a hashed feature in a table of `2^bits` rows (collisions are allowed).
#[inline]
pub fn row(h: u64, bits: u32) -> usize {
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

/// Reads a model file of `magic` holding `len` weights: its scale and weights, or `None`
/// for an empty file, one of another model or of another size.
pub fn read(bytes: &[u8], magic: &[u8; 8], len: usize) -> Option<(f32, Vec<i16>)> {
    let rest = bytes.strip_prefix(magic.as_slice())?;
    let (scale, body) = rest.split_at_checked(4)?;
    let scale = f32::from_le_bytes(scale.try_into().ok()?);
    if body.len() != len * 2 || !(scale.is_finite() && scale > 0.0) {
        return None;
    }
    let weights = body
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    Some((scale, weights))
}

/// Writes `weights` as a model file of `magic`, scaled so that the largest one fills an
/// `i16`.
pub fn write(magic: &[u8; 8], weights: &[f32]) -> Vec<u8> {
    let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { 32000.0 / max } else { 1.0 };
    let mut out = Vec::with_capacity(12 + weights.len() * 2);
    out.extend_from_slice(magic);
    out.extend_from_slice(&scale.to_le_bytes());
    for &x in weights {
        let q = (x * scale).round().clamp(-32767.0, 32767.0) as i16;
        out.extend_from_slice(&q.to_le_bytes());
    }
    out
}

/// A small seeded generator (splitmix64) for the trainers' shuffling and dropout.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
