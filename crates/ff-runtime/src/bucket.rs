//! Stable bucketing: turns a string id (a user, a tenant, a session) into the non-negative
//! integer that `MODULO_RANGE` needs.
//!
//! `MODULO_RANGE` does no hashing of its own: it reads a number from the context and
//! matches when `START <= number % BASE <= END` (see [`crate::Action::ModuloRange`]). To roll
//! a feature out to a percentage of users whose ids are strings, put [`bucket_key`]`(id)`
//! in the context under the rule's key:
//!
//! ```
//! use ff_runtime::{bucket_key, Document, SystemClock};
//! use serde_json::json;
//!
//! let document = Document::parse(r#"{
//!   "new_search": {"default": false, "rules": {"20% of users": {"when_match": true,
//!     "conditions": [{"action": "MODULO_RANGE", "key": "user_bucket",
//!                     "value": {"BASE": 100, "START": 0, "END": 19}}]}}}
//! }"#).unwrap();
//!
//! // alice@example.com is in bucket 31 of 100 (outside 0..=19), tenant-42 in bucket 0.
//! assert_eq!(bucket_key("alice@example.com") % 100, 31);
//! let ctx = json!({"user_bucket": bucket_key("alice@example.com")});
//! assert_eq!(document.evaluate("new_search", &ctx, &SystemClock), Some(&false.into()));
//! let ctx = json!({"user_bucket": bucket_key("tenant-42")});
//! assert_eq!(document.evaluate("new_search", &ctx, &SystemClock), Some(&true.into()));
//! ```
//!
//! # The algorithm (fixed)
//!
//! The key of an id is computed exactly like this, and will never change: a user stays in
//! the same bucket across processes, machines, platforms, Rust versions and ff versions,
//! and services written in other languages can compute the same key.
//!
//! 1. Take the id's UTF-8 bytes as they are: no trimming, no case folding, no Unicode
//!    normalization (`"Alice"` and `"alice"` are different ids; so are the composed and
//!    decomposed spellings of `"é"`).
//! 2. Hash them with SHA-256 (FIPS 180-4).
//! 3. Read the first 8 bytes of the digest as a big-endian unsigned 64-bit integer.
//! 4. Shift it right by one bit. The key is in `0..=i64::MAX` (`0..2^63`): non-negative,
//!    and it fits the `i64` field that `ff-build` generates for a `MODULO_RANGE` key.
//!
//! SHA-256 is used for its distribution (every bit of the key depends on every byte of the
//! id, so `user-1`, `user-2`, … land in unrelated buckets, whatever the `BASE`) and because
//! every platform has it, in Python's standard library included. It is not used for
//! secrecy: anyone who knows an id can compute its bucket.
//!
//! The same key in other languages:
//!
//! ```text
//! # Python 3 (standard library only)
//! int.from_bytes(hashlib.sha256(user_id.encode("utf-8")).digest()[:8], "big") >> 1
//!
//! // Node.js (a BigInt)
//! BigInt("0x" + crypto.createHash("sha256").update(userId, "utf8").digest("hex").slice(0, 16)) >> 1n
//! ```
//!
//! | id | key | key % 100 |
//! | --- | --- | --- |
//! | `""` | 8203414616412130826 | 26 |
//! | `user-1` | 7161080689999086297 | 97 |
//! | `tenant-42` | 8903224628501952100 | 0 |
//! | `alice@example.com` | 9207270844379105631 | 31 |
//! | `Alice@example.com` | 7412425675691147601 | 1 |
//! | `ünïcödé` | 6362858333366376864 | 64 |
//!
//! # Choosing the buckets
//!
//! Independent rollouts should not select the same users: a user in the first 10% of one
//! feature would otherwise also be in the first 10% of every other. Hash a per-feature
//! salt with the id (`bucket_key(format!("new_search:{user_id}"))`), or use a different
//! window of the same key (`START: 0, END: 9` for one feature, `START: 50, END: 59` for the
//! next). Growing a rollout from `END: 9` to `END: 19` keeps every user who was already in.

/// The bucketing key of `id`: the first 8 bytes of the SHA-256 digest of its bytes, read
/// big-endian and shifted right by one bit, so always in `0..=i64::MAX`. See the
/// [module documentation](self) for the algorithm, which is fixed, and its Python
/// equivalent.
///
/// A `&str` or `String` id is hashed as its UTF-8 bytes, unchanged.
///
/// ```
/// use ff_runtime::bucket_key;
/// assert_eq!(bucket_key("user-1"), 7161080689999086297);
/// assert_eq!(bucket_key("user-1") % 100, 97);
/// assert_eq!(bucket_key(String::from("user-1")), bucket_key(b"user-1"));
/// ```
pub fn bucket_key(id: impl AsRef<[u8]>) -> i64 {
    let digest = sha256(id.as_ref());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    // The shift clears the top bit, so the value fits an i64 and is non-negative.
    (u64::from_be_bytes(first) >> 1) as i64
}

/// The bucket of `id` among `base` buckets: `bucket_key(id) % base`, the number that a
/// `MODULO_RANGE` condition with this `BASE` compares with its `START` and `END` when the
/// context holds `bucket_key(id)`.
///
/// ```
/// use ff_runtime::bucket::bucket;
/// assert_eq!(bucket("alice@example.com", 100), 31);
/// assert_eq!(bucket("alice@example.com", 1000), 631);
/// ```
///
/// # Panics
/// When `base` is zero (`MODULO_RANGE` requires `BASE >= 1` too).
pub fn bucket(id: impl AsRef<[u8]>, base: u64) -> u64 {
    assert!(base > 0, "bucket: the number of buckets (BASE) must be at least 1");
    bucket_key(id) as u64 % base
}

/// SHA-256 (FIPS 180-4) of `data`, by the RustCrypto `sha2` crate. Private: only its first
/// 8 bytes are part of ff's API, through [`bucket_key`].
fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha256_matches_the_fips_180_4_vectors() {
        assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            hex(&sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 1_000_000])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn sha256_pads_every_length_around_the_block_boundaries() {
        // Bytes 0, 1, 2, … n-1; digests from Python's hashlib.
        let cases = [
            (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
            (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
            (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
            (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
            (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
            (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
            (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
        ];
        for (n, expected) in cases {
            let data: Vec<u8> = (0..n).map(|i| i as u8).collect();
            assert_eq!(hex(&sha256(&data)), expected, "{n} bytes");
        }
    }

    /// The pinned keys. These values are part of ff's compatibility promise: they must
    /// never change (Python: `int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], "big") >> 1`).
    #[test]
    fn bucket_keys_are_pinned() {
        let vectors: [(&str, i64); 12] = [
            ("", 8203414616412130826),
            ("user-1", 7161080689999086297),
            ("user-2", 7824358835549009493),
            ("customer-1042", 8097228480206669570),
            ("tenant-42", 8903224628501952100),
            ("alice@example.com", 9207270844379105631),
            ("Alice@example.com", 7412425675691147601),
            ("ünïcödé", 6362858333366376864),
            ("日本", 7463976987337528165),
            (&"a".repeat(55), 5738087836918617836),
            (&"a".repeat(56), 6461008305131586724),
            (&"a".repeat(64), 9218915163207394742),
        ];
        for (id, key) in vectors {
            assert_eq!(bucket_key(id), key, "{id:?}");
            assert_eq!(bucket_key(id.as_bytes()), key);
            assert_eq!(bucket_key(String::from(id)), key);
        }
        assert_eq!(bucket("user-1", 100), 97);
        assert_eq!(bucket("tenant-42", 100), 0);
        assert_eq!(bucket("alice@example.com", 1000), 631);
        assert_eq!(bucket("anything", 1), 0);
    }

    #[test]
    fn keys_are_non_negative_and_spread_evenly() {
        // 100,000 sequential ids in 100 buckets: every bucket holds 929..=1069 of them
        // (counted with Python's hashlib), and 1,966 of user-0..user-9999 fall in 0..=19.
        let mut counts = [0u32; 100];
        for i in 0..100_000 {
            let key = bucket_key(format!("user-{i}"));
            assert!(key >= 0);
            counts[(key % 100) as usize] += 1;
        }
        assert_eq!(counts.iter().min(), Some(&929));
        assert_eq!(counts.iter().max(), Some(&1069));
        let in_first_fifth = (0..10_000).filter(|i| bucket(format!("user-{i}"), 100) <= 19).count();
        assert_eq!(in_first_fifth, 1966);
    }

    #[test]
    #[should_panic(expected = "must be at least 1")]
    fn zero_buckets_panic() {
        bucket("user-1", 0);
    }
}
