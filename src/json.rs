//! A small JSON reader for everything the core receives as text: backend replies, stored
//! snapshots, the host page's options and `identify()` data. Parsing in the core keeps the
//! validation (and its error messages, which name the field) testable natively, and keeps
//! serde's visitors and float formatting out of the wasm.

use crate::table::Cat;

/// A parsed JSON value. Objects keep their members in order (they are small).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Value>),
    Obj(Vec<(String, Value)>),
}

/// Deepest nesting accepted; deeper input is rejected rather than risking the stack.
const MAX_DEPTH: usize = 64;

/// Parses one JSON document.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut p = Parser { text, s: text.as_bytes(), i: 0 };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(v)
}

struct Parser<'a> {
    /// The input, and the same as bytes.
    text: &'a str,
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> String {
        ["invalid JSON at byte ", &int_text(self.i as i64), ": ", what].cat()
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.s.len() >= self.i + lit.len() && &self.s[self.i..self.i + lit.len()] == lit {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::Str),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Num),
            _ if self.eat(b"true") => Ok(Value::Bool(true)),
            _ if self.eat(b"false") => Ok(Value::Bool(false)),
            _ if self.eat(b"null") => Ok(Value::Null),
            _ => Err(self.err("expected a value")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.eat(b"}") {
            return Ok(Value::Obj(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a member name"));
            }
            let key = self.string()?;
            self.ws();
            if !self.eat(b":") {
                return Err(self.err("expected `:`"));
            }
            self.ws();
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"}") {
                return Ok(Value::Obj(members));
            }
            return Err(self.err("expected `,` or `}`"));
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat(b"]") {
            return Ok(Value::Arr(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"]") {
                return Ok(Value::Arr(items));
            }
            return Err(self.err("expected `,` or `]`"));
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0;
        for _ in 0..4 {
            let d = self.peek().and_then(|c| (c as char).to_digit(16)).ok_or_else(|| self.err("bad \\u escape"))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while self.i < self.s.len() && !matches!(self.s[self.i], b'"' | b'\\') && self.s[self.i] >= 0x20 {
                self.i += 1;
            }
            // We stop only at ASCII bytes, so this is a char boundary: no UTF-8 check needed.
            out.push_str(self.text.get(start..self.i).ok_or_else(|| self.err("invalid UTF-8"))?);
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.i += 1;
                    // The one-letter escapes pick their byte, pushed at one place (a push
                    // apiece was code apiece in the wasm).
                    let plain = match c {
                        b'"' | b'\\' | b'/' => c,
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        _ => 0,
                    };
                    if plain != 0 {
                        out.push(char::from(plain));
                        continue;
                    }
                    match c {
                        b'u' => {
                            let mut code = self.hex4()?;
                            // A high surrogate pairs with the low one after it. A lone one is
                            // U+FFFD and what follows starts afresh, which may be the high half
                            // of a pair (review: "\ud83d\ud83d\ude00" lost its emoji).
                            while (0xD800..0xDC00).contains(&code) && self.eat(b"\\u") {
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    code = 0x10000 + ((code - 0xD800) << 10) + (lo - 0xDC00);
                                } else {
                                    out.push('\u{FFFD}');
                                    code = lo;
                                }
                            }
                            // A lone surrogate becomes U+FFFD rather than an error: text survives.
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.err("bad escape")),
                    }
                }
                _ => return Err(self.err("unterminated string")),
            }
        }
    }

    /// Parses a number without the standard float parser (which is large in wasm): exact for
    /// integers up to 2^53 and correctly rounded for short decimals like `0.92`.
    fn number(&mut self) -> Result<f64, String> {
        let negative = self.eat(b"-");
        let mut mantissa: u64 = 0;
        let mut exponent: i32 = 0;
        let mut digits = 0;
        let mut any = false;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            self.i += 1;
            any = true;
            if digits < 19 {
                mantissa = mantissa * 10 + u64::from(d - b'0');
                if mantissa > 0 {
                    digits += 1;
                }
            } else {
                exponent += 1;
            }
        }
        if !any {
            return Err(self.err("expected digits"));
        }
        if self.eat(b".") {
            let mut frac = false;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                self.i += 1;
                frac = true;
                if digits < 19 {
                    mantissa = mantissa * 10 + u64::from(d - b'0');
                    exponent -= 1;
                    if mantissa > 0 {
                        digits += 1;
                    }
                }
            }
            if !frac {
                return Err(self.err("expected digits after `.`"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            let exp_negative = if self.eat(b"-") {
                true
            } else {
                self.eat(b"+");
                false
            };
            let mut e: i32 = 0;
            let mut any = false;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                self.i += 1;
                any = true;
                e = e.saturating_mul(10).saturating_add(i32::from(d - b'0'));
            }
            if !any {
                return Err(self.err("expected exponent digits"));
            }
            exponent = exponent.saturating_add(if exp_negative { -e } else { e });
        }
        let m = mantissa as f64;
        let value = if exponent >= 0 {
            m * pow10(exponent)
        } else {
            // Saturating: `0.1e-99999999999` is 0, not (wrapped) 1.
            m / pow10(exponent.saturating_neg())
        };
        Ok(if negative { -value } else { value })
    }
}

fn pow10(e: i32) -> f64 {
    // Powers up to 1e22 are exact in f64, so one division by them rounds correctly. Each is
    // built by multiplying by ten, exactly (every power on the way is exact too): a table of
    // them was 0.4 KB of constants in the wasm.
    let mut result = 1.0;
    let mut left = e.min(400);
    while left > 0 {
        let step = left.min(22);
        let mut power = 1.0;
        for _ in 0..step {
            power *= 10.0;
        }
        result *= power;
        left -= step;
    }
    result
}

impl Value {
    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Arr(_) => "an array",
            Value::Obj(_) => "an object",
        }
    }

    /// A member of an object (`None` for a missing member, `null`, or a non-object). `null` is
    /// told by its variant: `!= Value::Null` was the derived deep comparison of two values,
    /// kept in the wasm for this alone.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !matches!(v, Value::Null)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// Lenient reads, for records the widget wrote itself: no error text, just absent.
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Value::as_str).map(str::to_owned)
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Value::as_f64).filter(|n| n.fract() == 0.0 && n.abs() <= 9.007_199_254_740_992e15).map(|n| n as i64)
    }

    /// A whole number that fits a `u32` (ids, counts): one read for every such field, where the
    /// same check inlined at each field was a copy apiece in the wasm.
    pub fn count(&self, key: &str) -> Option<u32> {
        self.int(key).and_then(|n| u32::try_from(n).ok())
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some(Value::Bool(true)))
    }

    pub fn members(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Obj(m) => Some(m),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Value]> {
        match self {
            Value::Arr(items) => Some(items),
            _ => None,
        }
    }
}

/// Reads typed members of one object; every error names the member (with `path` before it).
pub struct Obj<'a> {
    value: &'a Value,
    path: &'a str,
}

impl<'a> Obj<'a> {
    /// Checks that `value` is an object; `what` names it in the error.
    pub fn new(value: &'a Value, path: &'a str) -> Result<Obj<'a>, String> {
        match value {
            Value::Obj(_) => Ok(Obj { value, path }),
            other => Err(Obj { value, path }.wrong("", "an object", other)),
        }
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> String {
        [&describe(self.path, key), " must be ", expected, ", not ", found.kind()].cat()
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.opt_text(key)?.map(str::to_owned))
    }

    /// `opt_str`, borrowed: a reader that takes every field before it builds anything has
    /// nothing to drop when a later field is wrong (dropping the fields read so far, at each
    /// failure point, was most of such a reader in the wasm).
    pub fn opt_text(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.value.get(key) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    fn missing(&self, key: &str) -> String {
        [&describe(self.path, key), " is missing"].cat()
    }

    pub fn str(&self, key: &str) -> Result<String, String> {
        self.text(key).map(str::to_owned)
    }

    /// `str`, borrowed (see `opt_text`).
    pub fn text(&self, key: &str) -> Result<&'a str, String> {
        self.opt_text(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn opt_f64(&self, key: &str) -> Result<Option<f64>, String> {
        match self.value.get(key) {
            None => Ok(None),
            Some(Value::Num(n)) => Ok(Some(*n)),
            Some(other) => Err(self.wrong(key, "a number", other)),
        }
    }

    pub fn f64(&self, key: &str) -> Result<f64, String> {
        self.opt_f64(key)?.ok_or_else(|| self.missing(key))
    }

    /// A whole number in `min..=max`.
    pub fn opt_int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, String> {
        match self.opt_f64(key)? {
            None => Ok(None),
            Some(n) if n.fract() == 0.0 && n >= min as f64 && n <= max as f64 => Ok(Some(n as i64)),
            Some(_) => Err([&describe(self.path, key), " must be a whole number from ", &int_text(min), " to ", &int_text(max)].cat()),
        }
    }

    pub fn int(&self, key: &str, min: i64, max: i64) -> Result<i64, String> {
        self.opt_int(key, min, max)?.ok_or_else(|| self.missing(key))
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, String> {
        match self.value.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong(key, "true or false", other)),
        }
    }

    pub fn opt(&self, key: &str) -> Option<&'a Value> {
        self.value.get(key)
    }

    /// Rejects members not in `known`, naming the first unknown one.
    /// `known`: the member names, space-separated (`crate::table`).
    pub fn only(&self, known: &str) -> Result<(), String> {
        for (key, _) in self.value.members().unwrap_or(&[]) {
            if !crate::table::split(known, " ").any(|k| k == key) {
                return Err([&describe(self.path, key), " is not known (known: ", &crate::table::listed(known), ")"].cat());
            }
        }
        Ok(())
    }
}

/// "field `a.b`" for error messages.
pub fn describe(path: &str, key: &str) -> String {
    if path.is_empty() && key.is_empty() {
        return String::from("the value");
    }
    // One join for the three forms: the dot only between a path and a key.
    let dot = if path.is_empty() || key.is_empty() { "" } else { "." };
    ["field `", path, dot, key, "`"].cat()
}

pub const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";
pub const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends a byte as two hex digits from `digits` (`LOWER_HEX` or `UPPER_HEX`).
pub fn push_hex(out: &mut String, b: u8, digits: &[u8; 16]) {
    out.push(digits[usize::from(b >> 4)] as char);
    out.push(digits[usize::from(b & 0xf)] as char);
}

/// Appends `s` to `out` as a JSON string literal.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                push_hex(out, c as u8, LOWER_HEX);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A parsed value converts to any serde format; the browser shell uses this, with
/// serde-wasm-bindgen, to hand the core's JSON to JS as plain objects (one small instance).
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Num(n) => s.serialize_f64(*n),
            Value::Str(v) => s.serialize_str(v),
            Value::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Obj(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Writes one JSON object member by member; `None` members are left out.
pub struct ObjWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjWriter<'a> {
    pub fn new(out: &'a mut String) -> ObjWriter<'a> {
        out.push('{');
        ObjWriter { out, empty: true }
    }

    /// Starts a member and returns the buffer to write its value into.
    pub fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_str(self.out, key);
        self.out.push(':');
        self.out
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        write_str(self.key(key), value);
        self
    }

    pub fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.str(key, v);
        }
        self
    }

    pub fn int(&mut self, key: &str, value: i64) -> &mut Self {
        write_int(self.key(key), value);
        self
    }

    pub fn opt_int(&mut self, key: &str, value: Option<i64>) -> &mut Self {
        if let Some(v) = value {
            self.int(key, v);
        }
        self
    }

    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    /// A member whose value is already JSON.
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key).push_str(json);
        self
    }

    /// A number from 0 to 1, with three decimals (no float printing in the wasm).
    pub fn unit(&mut self, key: &str, value: f64) -> &mut Self {
        write_unit(self.key(key), value);
        self
    }

    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// An integer as text: `to_string` without bringing `core::fmt` into the wasm. (The widget's
/// messages are built with `[..].cat()` and this, never `format!`, for the same reason.)
pub fn int_text(value: i64) -> String {
    let mut out = String::new();
    write_int(&mut out, value);
    out
}

/// Appends an integer.
pub fn write_int(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    let mut n = value.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// Appends a number in 0..=1 rounded to three decimals, like `0.873`, `0`, `1`.
pub fn write_unit(out: &mut String, value: f64) {
    let thousandths = if value.is_nan() { 0 } else { (value.clamp(0.0, 1.0) * 1000.0 + 0.5) as u32 };
    if thousandths >= 1000 {
        out.push('1');
        return;
    }
    out.push('0');
    if thousandths == 0 {
        return;
    }
    out.push('.');
    let digits = [thousandths / 100, thousandths / 10 % 10, thousandths % 10];
    let keep = if digits[2] != 0 { 3 } else if digits[1] != 0 { 2 } else { 1 };
    for d in &digits[..keep] {
        out.push(char::from(b'0' + *d as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_numbers_read_back() {
        for n in [0i64, 7, -12, 1_767_225_600_000, i64::MIN + 1, i64::MAX] {
            let mut out = String::new();
            write_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
        for (v, want) in [(0.0, "0"), (0.05, "0.05"), (0.873, "0.873"), (0.9999, "1"), (1.0, "1"), (0.5, "0.5"), (-3.0, "0")] {
            let mut out = String::new();
            write_unit(&mut out, v);
            assert_eq!(out, want, "{v}");
        }
        let mut out = String::new();
        ObjWriter::new(&mut out).str("a", "x\"y").opt_str("skip", None).int("n", -5).bool("b", true).unit("c", 0.25).end();
        assert_eq!(out, r#"{"a":"x\"y","n":-5,"b":true,"c":0.25}"#);
        assert!(parse(&out).is_ok());
    }

    #[test]
    fn control_characters_are_escaped_as_hex_and_read_back() {
        let text = "a\u{1}b\u{1f}\tc\u{7}";
        let mut out = String::new();
        write_str(&mut out, text);
        assert_eq!(out, r#""a\u0001b\u001f\tc\u0007""#);
        assert_eq!(parse(&out).unwrap(), Value::Str(text.into()));
    }

    #[test]
    fn parses_every_json_form() {
        let v = parse(r#" {"a": [1, -2.5, 1e3, 0.92, true, false, null], "b": {"c": "x\"\\\/\n\u00e9\ud83d\ude00"}} "#).unwrap();
        let a = v.get("a").unwrap().items().unwrap();
        assert_eq!(a[0], Value::Num(1.0));
        assert_eq!(a[1], Value::Num(-2.5));
        assert_eq!(a[2], Value::Num(1000.0));
        assert_eq!(a[3], Value::Num(0.92), "short decimals are exact");
        assert_eq!(&a[4..], &[Value::Bool(true), Value::Bool(false), Value::Null]);
        assert_eq!(v.get("b").unwrap().get("c").unwrap().as_str(), Some("x\"\\/\né😀"));
    }

    #[test]
    fn numbers_match_the_standard_parser_on_common_values() {
        for text in ["0", "0.1", "0.4", "0.92", "0.35", "1.5", "123456789", "1767225600000", "2.5e-3", "9007199254740992", "-0.05"] {
            let ours = parse(text).unwrap().as_f64().unwrap();
            let std: f64 = text.parse().unwrap();
            assert_eq!(ours, std, "{text}");
        }
        // Review: a huge negative exponent overflowed (a panic in debug, 1.0 in release: a
        // bot's confidence of "almost nothing" read as certain).
        for (text, want) in [("0.1e-99999999999", 0.0), ("5e-400", 0.0), ("1e99999999999", f64::INFINITY)] {
            assert_eq!(parse(text).unwrap().as_f64(), Some(want), "{text}");
        }
    }

    #[test]
    fn powers_of_ten_are_exact() {
        let mut want = 1.0;
        for e in 0..=22 {
            assert_eq!(pow10(e), want, "1e{e}");
            assert_eq!(pow10(e).to_bits(), format!("1e{e}").parse::<f64>().unwrap().to_bits());
            want *= 10.0;
        }
        assert_eq!(pow10(30), 1e22 * 1e8);
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        // Review: a lone high surrogate before another escape failed the whole document.
        for (text, want) in [(r#""\ud83d\u00e9""#, "\u{FFFD}é"), (r#""a\ud83dz""#, "a\u{FFFD}z"), (r#""\ude00""#, "\u{FFFD}"), (r#""\ud83d\ud83d\ude00""#, "\u{FFFD}😀"), (r#""\ud83d\ud83d""#, "\u{FFFD}\u{FFFD}")] {
            assert_eq!(parse(text).unwrap().as_str(), Some(want), "{text}");
        }
    }

    #[test]
    fn rejects_malformed_input_with_a_position() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "\"abc", "01x", "tru", "{\"a\":1}x", "1.", "-", "\"\\q\""] {
            let err = parse(bad).unwrap_err();
            assert!(err.starts_with("invalid JSON at byte"), "{bad}: {err}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(parse(&deep).unwrap_err().contains("deeply"));
    }

    #[test]
    fn typed_reads_name_the_field() {
        let v = parse(r#"{"text": 5, "n": 1.5, "ok": "yes"}"#).unwrap();
        let o = Obj::new(&v, "reply").unwrap();
        assert_eq!(o.str("text").unwrap_err(), "field `reply.text` must be a string, not a number");
        assert_eq!(o.str("missing").unwrap_err(), "field `reply.missing` is missing");
        assert!(o.int("n", 0, 10).unwrap_err().contains("whole number"));
        assert!(o.opt_bool("ok").unwrap_err().contains("`reply.ok`"));
        assert!(o.only("text n").unwrap_err().contains("`reply.ok` is not known"));
    }

    #[test]
    fn written_strings_parse_back_unchanged() {
        for s in ["plain", "quote \" backslash \\ newline \n tab \t", "\u{1}\u{1f}", "<script>é😀</script>"] {
            let mut out = String::new();
            write_str(&mut out, s);
            assert_eq!(parse(&out).unwrap().as_str(), Some(s));
        }
    }
}
