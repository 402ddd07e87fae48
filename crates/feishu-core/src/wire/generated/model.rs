//! `model!`: the generated models' serde code, small enough for 4,000 of
//! them.
//!
//! `#[derive(Deserialize)]` writes for each struct a field enum, three key
//! visitors and a sequence visitor besides the map one; rustc type-checks
//! and borrow-checks all of it in the crate declaring the struct, used or
//! not. It was 1.5 s of the 1.7 s a family's model crate took to build.
//! A model is a JSON object whose fields are all optional, so one generic
//! visitor here does the walking and each model adds only a `match` from
//! key to field.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

/// Declares a model read from a JSON object: a `#[non_exhaustive]` struct
/// deriving `Clone`, `Debug` and `Default`, and its `Deserialize`.
///
/// A field is `pub name: Type`, followed by `= "wire"` when its name on the
/// wire is not its Rust name. Unknown fields are skipped and missing ones
/// keep their default (`None` for the `Option`s models are made of); of a
/// key sent twice, the last value counts. Anything but an object is an
/// error.
///
/// ```
/// feishu_core::model! {
///     /// A user, as an answer carries it.
///     pub struct User {
///         /// Their name.
///         pub name: Option<String>,
///         /// What kind of user.
///         pub r#type: Option<i64> = "type",
///     }
/// }
///
/// let user: User = serde_json::from_str(r#"{"name":"Ada","type":1,"new":[]}"#)?;
/// assert_eq!(user.name.as_deref(), Some("Ada"));
/// assert_eq!(user.r#type, Some(1));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[macro_export]
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty $(= $wire:literal)?, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $crate::generated::Fields for $name {
            const NAME: &'static str = ::core::stringify!($name);

            // A model without fields reads nothing from `map`.
            #[allow(unused_variables)]
            fn read<'de, A: $crate::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::core::result::Result<bool, A::Error> {
                match key {
                    $( $crate::__model_wire!($field $(, $wire)?) => $crate::generated::read_field(&mut self.$field, map), )*
                    _ => ::core::result::Result::Ok(false),
                }
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::generated::read_fields(deserializer)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_wire {
    ($field:ident) => {
        ::core::stringify!($field)
    };
    ($field:ident, $wire:literal) => {
        $wire
    };
}

/// What [`model!`](crate::model!) writes for a model: its fields, read by
/// their wire name.
#[doc(hidden)]
pub trait Fields: Default {
    /// The model's name, for errors.
    const NAME: &'static str;

    /// Reads `key`'s value from `map` into its field; `false`, with the
    /// value left unread, when the model has no such field.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
}

/// Reads one field's value: one call per field instead of a `?` each,
/// which is less for rustc to check in every model.
#[doc(hidden)]
#[inline]
pub fn read_field<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    field: &mut T,
    map: &mut A,
) -> Result<bool, A::Error> {
    *field = map.next_value()?;
    Ok(true)
}

/// Reads a model from a JSON object.
#[doc(hidden)]
pub fn read_fields<'de, D: Deserializer<'de>, T: Fields>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(Object(PhantomData))
}

struct Object<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for Object<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut model = T::default();
        while let Some(Key(key)) = map.next_key()? {
            if !model.read(&key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(model)
    }
}

/// An object's key, borrowed from the input unless it had escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

#[cfg(test)]
mod tests {
    crate::model! {
        /// A model with a renamed field and a nested one.
        pub struct User {
            /// A plain field.
            pub name: Option<String>,
            /// A field whose wire name is a keyword.
            pub r#type: Option<crate::generated::Int64> = "type",
            /// A nested model.
            pub manager: Option<Box<User>>,
            /// A list.
            pub tags: Option<Vec<String>>,
        }
    }

    fn read(json: &str) -> Result<User, serde_json::Error> {
        serde_json::from_str(json)
    }

    crate::model! {
        /// A model the schema gives no fields.
        pub struct Nothing {}
    }

    #[test]
    fn a_model_without_fields_reads_any_object() {
        assert!(serde_json::from_str::<Nothing>(r#"{"a":1}"#).is_ok());
        assert!(serde_json::from_str::<Nothing>("1").is_err());
    }

    #[test]
    fn fields_are_read_by_their_wire_names() {
        let user = read(
            r#"{"name":"Ada","type":"3","manager":{"name":"Grace","tags":[]},"tags":["a","b"]}"#,
        )
        .expect("a user");
        assert_eq!(user.name.as_deref(), Some("Ada"));
        assert_eq!(user.r#type.map(i64::from), Some(3));
        let manager = user.manager.expect("a manager");
        assert_eq!(manager.name.as_deref(), Some("Grace"));
        assert_eq!(manager.tags, Some(vec![]));
        assert_eq!(user.tags, Some(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn unknown_fields_are_skipped_and_missing_ones_stay_none() {
        let user =
            read(r#"{"later":{"deep":[1,{"x":null}]},"r#type":1,"name":null}"#).expect("a user");
        assert!(user.name.is_none() && user.r#type.is_none() && user.tags.is_none());
        assert!(read("{}").expect("a user").manager.is_none());
    }

    #[test]
    fn escaped_keys_are_matched_and_the_last_repeat_counts() {
        let user = read(r#"{"n\u0061me":"Ada","name":"Grace"}"#).expect("a user");
        assert_eq!(user.name.as_deref(), Some("Grace"));
        let from_value: User =
            serde_json::from_value(serde_json::json!({ "name": "Ada" })).expect("a user");
        assert_eq!(from_value.name.as_deref(), Some("Ada"));
    }

    #[test]
    fn what_is_not_an_object_of_the_right_types_is_refused() {
        for bad in [
            "[]",
            r#"["Ada"]"#,
            "null",
            r#""Ada""#,
            r#"{"name":1}"#,
            r#"{"type":"x"}"#,
            r#"{"tags":"a"}"#,
            r#"{"name":"Ada""#,
            r#"{"name":"Ada"} trailing"#,
        ] {
            let error = read(bad).expect_err(bad);
            assert!(!error.to_string().is_empty(), "{bad}");
        }
        let error = read("[]").expect_err("an array");
        assert!(error.to_string().contains("an object (User)"), "{error}");
    }
}
