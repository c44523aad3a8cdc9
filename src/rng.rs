//! Randomness for ids and retry jitter, seeded by the driver (the core reads no entropy source
//! itself, so tests are deterministic).

use serde::{Deserialize, Serialize};

/// SplitMix64: small, fast and good enough for ids and jitter (not for secrets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniformly distributed value in `0..=max` (for full-jitter backoff).
    pub fn below_or_eq(&mut self, max: u64) -> u64 {
        if max == u64::MAX {
            return self.next_u64();
        }
        self.next_u64() % (max + 1)
    }

    /// A random UUID version 4, lower-case hex with dashes.
    pub fn uuid_v4(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
        bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
        let mut out = String::with_capacity(36);
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            crate::json::push_hex(&mut out, *b, crate::json::LOWER_HEX);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn uuid_v4_has_the_version_and_variant_bits() {
        let mut rng = Rng::new(7);
        for _ in 0..100 {
            let id = rng.uuid_v4();
            assert_eq!(id.len(), 36);
            let b: Vec<char> = id.chars().collect();
            assert_eq!((b[8], b[13], b[14], b[18], b[23]), ('-', '-', '4', '-', '-'));
            assert!(matches!(b[19], '8' | '9' | 'a' | 'b'), "{id}");
        }
        assert_ne!(Rng::new(1).uuid_v4(), Rng::new(2).uuid_v4());
    }

    #[test]
    fn below_or_eq_stays_in_range() {
        let mut rng = Rng::new(3);
        assert!((0..1000).all(|_| rng.below_or_eq(9) <= 9));
        assert_eq!(rng.below_or_eq(0), 0);
    }
}
