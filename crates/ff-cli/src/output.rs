//! Writing documents: pretty JSON that keeps what the reference reads (key order, exact
//! integers, float spelling), and files replaced atomically.

// Used by `ff pull` (feature `appconfig`); tested in every build.
#![cfg_attr(not(feature = "appconfig"), allow(dead_code))]

use std::io::Write;
use std::path::Path;

use ff_runtime::{Number, Value};

/// `value` as pretty JSON (two-space indent, `"key": value`, a final newline), in document
/// order, integers exact at any size and floats spelled as the reference's `json.dumps`
/// spells them (`1.0`, `1e+20`). It reads back to the same value, key order included.
///
/// A float too large for `f64` (`1e400` in the stored text, read as infinity) is written as
/// `1e999` (`-1e999`), which reads back to the same value; `Infinity` would not be JSON.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out.push('\n');
    out
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
        Value::Number(Number::Float(x)) if x.is_infinite() => {
            out.push_str(if *x > 0.0 { "1e999" } else { "-1e999" });
        }
        // NaN cannot come from JSON text; `null` keeps the output JSON if it ever did.
        Value::Number(Number::Float(x)) if x.is_nan() => out.push_str("null"),
        // Scalars, `[]` and `{}`: the compact spelling is the pretty one.
        other => out.push_str(&other.to_string()),
    }
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Replaces `path` with `bytes` atomically: writes a temporary file in the same folder,
/// flushes it to disk, then renames it over `path`. On any failure `path` is untouched
/// and the temporary file is removed. The error names the path.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("cannot write {}: not a file name", path.display()))?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".ff-{}.tmp", std::process::id()));
    let temp = dir.join(temp_name);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such folder".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        };
        format!("cannot write {}: {why}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_keeps_order_integers_and_float_spelling() {
        let text = r#"{"z": {"default": 12345678901234567890123, "boolean_type": false},
            "a": {"default": [1.0, 1e20, -0.0, 0.5, "é\n\"", null, true, [], {}], "rules": {}}, "big": 1e400, "neg": -1e400}"#;
        let value = Value::from_json(text).unwrap();
        let printed = pretty(&value);
        assert_eq!(
            printed,
            r#"{
  "z": {
    "default": 12345678901234567890123,
    "boolean_type": false
  },
  "a": {
    "default": [
      1.0,
      1e+20,
      -0.0,
      0.5,
      "é\n\"",
      null,
      true,
      [],
      {}
    ],
    "rules": {}
  },
  "big": 1e999,
  "neg": -1e999
}
"#
        );
        let back = Value::from_json(&printed).unwrap();
        assert!(back == value);
        assert_eq!(
            back.to_string(),
            value.to_string(),
            "same spelling and key order"
        );
        assert_eq!(pretty(&Value::from_json("[]").unwrap()), "[]\n");
        assert_eq!(pretty(&Value::from_json("7").unwrap()), "7\n");
    }

    #[test]
    fn atomic_write_replaces_or_leaves_untouched() {
        let dir = std::env::temp_dir().join(format!("ff-cli-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("flags.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        let err = write_atomically(&dir.join("missing").join("f.json"), b"x").unwrap_err();
        assert!(
            err.starts_with("cannot write ") && err.ends_with(": no such folder"),
            "{err}"
        );
        // A folder in the way: the rename fails, nothing is left behind.
        std::fs::create_dir(dir.join("taken")).unwrap();
        std::fs::write(dir.join("taken").join("x"), "x").unwrap();
        assert!(write_atomically(&dir.join("taken"), b"x").is_err());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
        assert!(write_atomically(Path::new("/"), b"x").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
