//! A serde `Deserializer` over [`json::Value`](crate::json::Value), for the few types whose
//! shape is owned elsewhere (the policy's configuration and state). Type-directed: each method
//! calls only the visitor method its type needs, and errors name the field path without ever
//! formatting a float, which keeps float formatting and unused visitor code out of the wasm.

use crate::json::Value;
use serde::de::{self, DeserializeOwned, Expected, IntoDeserializer, Unexpected, Visitor};
use std::fmt;

/// Deserialises `T` from a parsed JSON value.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    T::deserialize(De(value))
}

/// What was wrong, and where: `path` is like `strings.send` or `messages[2].text`.
#[derive(Debug)]
pub struct Error {
    path: String,
    message: String,
}

#[allow(non_snake_case)]
fn Error(message: String) -> Error {
    Error { path: String::new(), message }
}

impl Error {
    /// Prefixes the path with the member or index the error happened under.
    fn under(mut self, segment: &str) -> Error {
        let joined = if self.path.is_empty() || self.path.starts_with('[') || segment.is_empty() {
            format!("{segment}{}", self.path)
        } else {
            format!("{segment}.{}", self.path)
        };
        self.path = joined;
        self
    }

    /// The path of the value that was wrong (empty: the value itself).
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "`{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// What kind of value was found, without formatting it.
fn kind(unexpected: &Unexpected<'_>) -> &'static str {
    match unexpected {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => "a number",
        Unexpected::Char(_) | Unexpected::Str(_) => "a string",
        Unexpected::Unit | Unexpected::Option => "null",
        Unexpected::Seq => "an array",
        Unexpected::Map => "an object",
        _ => "a value of another type",
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error(format!("expected {expected}, found {}", kind(&unexpected)))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error(format!("expected {expected}, found {} out of range", kind(&unexpected)))
    }

    fn invalid_length(len: usize, expected: &dyn Expected) -> Self {
        Error(format!("expected {expected}, found {len} items"))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error(format!("unknown value `{variant}`, expected one of: {}", expected.join(", ")))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error(format!("unknown field `{field}`, expected one of: {}", expected.join(", ")))
    }

    fn missing_field(field: &'static str) -> Self {
        Error(format!("missing field `{field}`"))
    }

    fn duplicate_field(field: &'static str) -> Self {
        Error(format!("duplicate field `{field}`"))
    }
}

/// A deserializer over one JSON value.
pub struct De<'a>(pub &'a Value);

impl De<'_> {
    fn wrong(&self, expected: &str) -> Error {
        Error(format!("expected {expected}, found {}", self.0.kind()))
    }

    fn number(&self) -> Result<f64, Error> {
        self.0.as_f64().ok_or_else(|| self.wrong("a number"))
    }
}

impl<'de> de::Deserializer<'de> for De<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Num(n) => visitor.visit_f64(*n),
            Value::Str(s) => visitor.visit_string(s.clone()),
            Value::Arr(items) => visitor.visit_seq(Seq { items, next: 0 }),
            Value::Obj(members) => visitor.visit_map(Map { members, next: 0 }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.wrong("a boolean")),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let n = self.number()?;
        if n.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&n) {
            visitor.visit_u64(n as u64)
        } else {
            Err(Error(String::from("expected a whole number, 0 or more")))
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let n = self.number()?;
        if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 {
            visitor.visit_i64(n as i64)
        } else {
            Err(Error(String::from("expected a whole number")))
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_f64(self.number()?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Str(s) => visitor.visit_string(s.clone()),
            _ => Err(self.wrong("a string")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Arr(items) => visitor.visit_seq(Seq { items, next: 0 }),
            _ => Err(self.wrong("an array")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Obj(members) => visitor.visit_map(Map { members, next: 0 }),
            _ => Err(self.wrong("an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Str(s) => visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(s.clone())),
            _ => Err(self.wrong("a string")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct
    }
}

struct Seq<'a> {
    items: &'a [Value],
    next: usize,
}

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.get(self.next) else { return Ok(None) };
        let index = self.next;
        self.next += 1;
        seed.deserialize(De(item)).map(Some).map_err(|e| e.under(&format!("[{index}]")))
    }
}

struct Map<'a> {
    members: &'a [(String, Value)],
    next: usize,
}

impl<'de> de::MapAccess<'de> for Map<'_> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, _)) = self.members.get(self.next) else { return Ok(None) };
        seed.deserialize(IntoDeserializer::<Error>::into_deserializer(key.clone())).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.members.get(self.next) else {
            return Err(Error(String::from("expected a value")));
        };
        self.next += 1;
        seed.deserialize(De(value)).map_err(|e| e.under(key))
    }
}

#[cfg(test)]
mod tests {
    use super::from_value;
    use crate::json::parse;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        n: u32,
        s: Option<String>,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Outer {
        inner: Vec<Inner>,
        x: f64,
    }

    #[test]
    fn deserialises_nested_values_and_names_the_path_in_errors() {
        let v = parse(r#"{"inner": [{"n": 1}, {"n": 2, "s": "two"}], "x": 0.5}"#).unwrap();
        let outer: Outer = from_value(&v).unwrap();
        assert_eq!(outer.inner[1], Inner { n: 2, s: Some("two".into()) });
        let bad = parse(r#"{"inner": [{"n": 1}, {"n": "2"}], "x": 0.5}"#).unwrap();
        let err = from_value::<Outer>(&bad).unwrap_err().to_string();
        assert_eq!(err, "`inner[1].n`: expected a number, found a string");
        let unknown = parse(r#"{"inner": [{"n": 1, "q": 0}], "x": 1}"#).unwrap();
        assert!(from_value::<Outer>(&unknown).unwrap_err().to_string().contains("unknown field `q`"));
    }
}
