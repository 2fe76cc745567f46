//! Values as a service holds them, for the fields of generated typed contexts: an
//! [`Integer`] of any primitive integer type, and borrowed lists of strings ([`StrSlice`]:
//! `&[&str]`, `&[String]`, `&[Box<str>]`, `&[Arc<str>]`, `&[Cow<str>]`) or integers
//! ([`IntSlice`]: a slice of any primitive integer type but `u128`). Each is served to the
//! rules as a [`ValueRef`] without copying or allocating.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use num_bigint::BigInt;

use super::{ListRef, ValueRef};

/// An integer of any primitive type (`i8`..`i128`, `u8`..`u128`, `isize`, `usize`), exact:
/// the reference compares integers of any size exactly, and so does ff.
///
/// Built with `From` (`Integer::from(id_u64)`), which allocates only for a `u128` above
/// `i128::MAX` (held as a [`BigInt`], as [`super::Number`] holds it). Serialized as the
/// JSON integer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Integer(Repr);

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    Small(i128),
    /// Only above `i128::MAX` (from a `u128`): always greater than every `Small`.
    Big(Box<BigInt>),
}

impl Integer {
    /// The integer as an `i128`; `None` for a `u128` above `i128::MAX`.
    #[inline]
    pub fn to_i128(&self) -> Option<i128> {
        match &self.0 {
            Repr::Small(i) => Some(*i),
            Repr::Big(_) => None,
        }
    }

    /// The integer compared with `other`, exactly.
    #[inline]
    pub fn cmp_i128(&self, other: i128) -> Ordering {
        match &self.0 {
            Repr::Small(i) => i.cmp(&other),
            Repr::Big(_) => Ordering::Greater,
        }
    }

    /// The integer's Euclidean remainder by `base` (> 0), as `MODULO_RANGE` buckets it;
    /// `None` for a `u128` above `i128::MAX`. Integers within `i64` take `i64` arithmetic
    /// (an `i128` division is a library call).
    #[inline]
    pub fn rem_euclid(&self, base: i64) -> Option<i64> {
        match &self.0 {
            Repr::Small(i) => match i64::try_from(*i) {
                Ok(small) => Some(small.rem_euclid(base)),
                // The remainder is below `base`, so it fits in `i64`.
                Err(_) => Some(i.rem_euclid(i128::from(base)) as i64),
            },
            Repr::Big(_) => None,
        }
    }

    /// The borrowed view the rules compare (`ValueRef::Int`, or `ValueRef::Big`).
    #[inline]
    pub fn as_value_ref(&self) -> ValueRef<'_> {
        match &self.0 {
            Repr::Small(i) => ValueRef::Int(*i),
            Repr::Big(b) => ValueRef::Big(b),
        }
    }
}

macro_rules! integer_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Integer {
            #[inline]
            fn from(value: $t) -> Integer {
                Integer(Repr::Small(i128::from(value)))
            }
        }
    )*};
}
integer_from!(i8, i16, i32, i64, i128, u8, u16, u32, u64);

impl From<isize> for Integer {
    #[inline]
    fn from(value: isize) -> Integer {
        // `isize` is at most 64 bits on every Rust target.
        Integer(Repr::Small(value as i128))
    }
}

impl From<usize> for Integer {
    #[inline]
    fn from(value: usize) -> Integer {
        Integer(Repr::Small(value as i128))
    }
}

impl From<u128> for Integer {
    fn from(value: u128) -> Integer {
        match i128::try_from(value) {
            Ok(small) => Integer(Repr::Small(small)),
            Err(_) => Integer(Repr::Big(Box::new(BigInt::from(value)))),
        }
    }
}

impl serde::Serialize for Integer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Small(i) => serializer.serialize_i128(*i),
            Repr::Big(b) => {
                use num_traits::ToPrimitive;
                // Only `u128`s above `i128::MAX` are big.
                serializer.serialize_u128(b.to_u128().unwrap_or(u128::MAX))
            }
        }
    }
}

/// A borrowed list of strings, as a service holds it: `&[&str]`, `&[String]`,
/// `&[Box<str>]`, `&[Arc<str>]` or `&[Cow<str>]` (from a slice, a `&Vec` or an array
/// reference, with `From`). Serialized as a JSON array of strings.
#[derive(Clone, Copy, Debug)]
pub enum StrSlice<'a> {
    /// `&[&str]`.
    Strs(&'a [&'a str]),
    /// `&[String]`.
    Strings(&'a [String]),
    /// `&[Box<str>]`.
    Boxed(&'a [Box<str>]),
    /// `&[Arc<str>]`.
    Shared(&'a [Arc<str>]),
    /// `&[Cow<str>]`.
    Cows(&'a [Cow<'a, str>]),
}

impl<'a> StrSlice<'a> {
    /// The number of strings.
    #[inline]
    pub fn len(self) -> usize {
        match self {
            StrSlice::Strs(s) => s.len(),
            StrSlice::Strings(s) => s.len(),
            StrSlice::Boxed(s) => s.len(),
            StrSlice::Shared(s) => s.len(),
            StrSlice::Cows(s) => s.len(),
        }
    }

    /// Whether the list is empty.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The string at `index`; `None` past the end.
    #[inline]
    pub fn get(self, index: usize) -> Option<&'a str> {
        Some(match self {
            StrSlice::Strs(s) => s.get(index)?,
            StrSlice::Strings(s) => s.get(index)?.as_str(),
            StrSlice::Boxed(s) => s.get(index)?,
            StrSlice::Shared(s) => s.get(index)?,
            StrSlice::Cows(s) => s.get(index)?,
        })
    }

    /// The borrowed view the rules compare (a `ValueRef::List`).
    #[inline]
    pub fn as_value_ref(self) -> ValueRef<'a> {
        ValueRef::List(ListRef::StrSlice(self))
    }
}

/// A string type whose slices a [`StrSlice`] borrows: `&str`, `String`, `Box<str>`,
/// `Arc<str>`, `Cow<str>`.
pub trait StrElement: Sized {
    /// The slice as a [`StrSlice`].
    fn str_slice(slice: &[Self]) -> StrSlice<'_>;
}

impl StrElement for &str {
    fn str_slice(slice: &[Self]) -> StrSlice<'_> {
        StrSlice::Strs(slice)
    }
}
impl StrElement for String {
    fn str_slice(slice: &[Self]) -> StrSlice<'_> {
        StrSlice::Strings(slice)
    }
}
impl StrElement for Box<str> {
    fn str_slice(slice: &[Self]) -> StrSlice<'_> {
        StrSlice::Boxed(slice)
    }
}
impl StrElement for Arc<str> {
    fn str_slice(slice: &[Self]) -> StrSlice<'_> {
        StrSlice::Shared(slice)
    }
}
impl StrElement for Cow<'_, str> {
    fn str_slice(slice: &[Self]) -> StrSlice<'_> {
        StrSlice::Cows(slice)
    }
}

impl<'a, T: StrElement> From<&'a [T]> for StrSlice<'a> {
    #[inline]
    fn from(slice: &'a [T]) -> StrSlice<'a> {
        T::str_slice(slice)
    }
}
impl<'a, T: StrElement> From<&'a Vec<T>> for StrSlice<'a> {
    #[inline]
    fn from(vec: &'a Vec<T>) -> StrSlice<'a> {
        T::str_slice(vec)
    }
}
impl<'a, T: StrElement, const N: usize> From<&'a [T; N]> for StrSlice<'a> {
    #[inline]
    fn from(array: &'a [T; N]) -> StrSlice<'a> {
        T::str_slice(array)
    }
}

impl serde::Serialize for StrSlice<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((0..self.len()).filter_map(|i| self.get(i)))
    }
}

macro_rules! int_slice {
    ($($variant:ident($t:ty)),* $(,)?) => {
        /// A borrowed list of integers of any primitive type but `u128` (whose values above
        /// `i128::MAX` cannot be served without allocating), from a slice, a `&Vec` or an
        /// array reference, with `From`. Serialized as a JSON array of integers.
        #[derive(Clone, Copy, Debug)]
        pub enum IntSlice<'a> {
            $(
                #[doc = concat!("`&[", stringify!($t), "]`.")]
                $variant(&'a [$t]),
            )*
        }

        impl<'a> IntSlice<'a> {
            /// The number of integers.
            #[inline]
            pub fn len(self) -> usize {
                match self {
                    $(IntSlice::$variant(s) => s.len(),)*
                }
            }

            /// The integer at `index`; `None` past the end.
            #[inline]
            pub fn get(self, index: usize) -> Option<i128> {
                match self {
                    // `isize` and `usize` are at most 64 bits on every Rust target.
                    $(IntSlice::$variant(s) => s.get(index).map(|v| *v as i128),)*
                }
            }
        }

        /// An integer type whose slices an [`IntSlice`] borrows.
        pub trait IntElement: Sized {
            /// The slice as an [`IntSlice`].
            fn int_slice(slice: &[Self]) -> IntSlice<'_>;
        }

        $(
            impl IntElement for $t {
                #[inline]
                fn int_slice(slice: &[Self]) -> IntSlice<'_> {
                    IntSlice::$variant(slice)
                }
            }
        )*
    };
}

int_slice!(I8(i8), I16(i16), I32(i32), I64(i64), I128(i128), Isize(isize), U8(u8), U16(u16), U32(u32), U64(u64), Usize(usize));

impl<'a> IntSlice<'a> {
    /// Whether the list is empty.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The borrowed view the rules compare (a `ValueRef::List`).
    #[inline]
    pub fn as_value_ref(self) -> ValueRef<'a> {
        ValueRef::List(ListRef::IntSlice(self))
    }
}

impl<'a, T: IntElement> From<&'a [T]> for IntSlice<'a> {
    #[inline]
    fn from(slice: &'a [T]) -> IntSlice<'a> {
        T::int_slice(slice)
    }
}
impl<'a, T: IntElement> From<&'a Vec<T>> for IntSlice<'a> {
    #[inline]
    fn from(vec: &'a Vec<T>) -> IntSlice<'a> {
        T::int_slice(vec)
    }
}
impl<'a, T: IntElement, const N: usize> From<&'a [T; N]> for IntSlice<'a> {
    #[inline]
    fn from(array: &'a [T; N]) -> IntSlice<'a> {
        T::int_slice(array)
    }
}

impl serde::Serialize for IntSlice<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((0..self.len()).filter_map(|i| self.get(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_of_every_primitive_type_are_exact() {
        assert_eq!(Integer::from(u64::MAX).to_i128(), Some(u64::MAX as i128));
        assert!(matches!(Integer::from(u64::MAX).as_value_ref(), ValueRef::Int(i) if i == u64::MAX as i128));
        assert!(matches!(Integer::from(-3i8).as_value_ref(), ValueRef::Int(-3)));
        assert!(matches!(Integer::from(7usize).as_value_ref(), ValueRef::Int(7)));
        let huge = Integer::from(u128::MAX);
        assert_eq!(huge.to_i128(), None);
        assert!(matches!(huge.as_value_ref(), ValueRef::Big(b) if *b == BigInt::from(u128::MAX)));
        assert_eq!(huge.cmp_i128(i128::MAX), Ordering::Greater);
        assert_eq!(Integer::from(i128::MIN).cmp_i128(0), Ordering::Less);
        assert_eq!(Integer::from(-7i32).rem_euclid(5), Some(3));
        assert_eq!(Integer::from(u64::MAX).rem_euclid(100), Some((u64::MAX % 100) as i64));
        assert_eq!(Integer::from(i128::MIN).rem_euclid(7), Some(i128::MIN.rem_euclid(7) as i64));
        assert_eq!(huge.rem_euclid(2), None);
        assert_eq!(serde_json::to_string(&huge).unwrap(), u128::MAX.to_string());
        assert_eq!(serde_json::to_string(&Integer::from(-5i32)).unwrap(), "-5");
    }

    #[test]
    fn string_lists_borrow_what_a_service_holds() {
        let owned: Vec<String> = vec!["a".into(), "b".into()];
        let boxed: Vec<Box<str>> = vec!["c".into()];
        let shared: [Arc<str>; 1] = ["d".into()];
        let cows = [Cow::Borrowed("e"), Cow::Owned("f".to_owned())];
        assert_eq!(StrSlice::from(&owned).get(1), Some("b"));
        assert_eq!(StrSlice::from(&boxed[..]).get(0), Some("c"));
        assert_eq!(StrSlice::from(&shared).get(0), Some("d"));
        assert_eq!(StrSlice::from(&cows).get(1), Some("f"));
        assert_eq!(StrSlice::from(&["x", "y"]).len(), 2);
        assert_eq!(StrSlice::from(&owned).get(2), None);
        let list = StrSlice::from(&owned).as_value_ref();
        assert!(matches!(list, ValueRef::List(l) if l.len() == 2 && matches!(l.get(0), Some(ValueRef::Str("a")))));
        assert_eq!(serde_json::to_string(&StrSlice::from(&cows)).unwrap(), r#"["e","f"]"#);
    }

    #[test]
    fn integer_lists_of_every_type_but_u128() {
        let ids: Vec<u64> = vec![u64::MAX, 1];
        let list = IntSlice::from(&ids);
        assert_eq!(list.get(0), Some(u64::MAX as i128));
        assert_eq!(IntSlice::from(&[-1i8, 2]).get(0), Some(-1));
        assert_eq!(IntSlice::from(&[3usize][..]).len(), 1);
        assert!(matches!(list.as_value_ref(), ValueRef::List(l) if matches!(l.get(1), Some(ValueRef::Int(1)))));
        assert_eq!(serde_json::to_string(&list).unwrap(), format!("[{},1]", u64::MAX));
    }
}
