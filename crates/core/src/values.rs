//! Checking a flag value the way vLLM 0.33.0's parser and config validators would.
use super::catalog::{Flag, Kind};
use super::profile::parse_human_int;

/// A number as people write it: `4`, `0.95` (whole values without a decimal point).
pub fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        (x as i64).to_string()
    } else {
        serde_json::Number::from_f64(x)
            .map(|n| n.to_string())
            .unwrap_or_else(|| "NaN".into())
    }
}

/// Parallel sizes vLLM 0.33.0's ParallelConfig requires to be at least 1 (`Field(ge=1)`).
const AT_LEAST_ONE: &[&str] = &[
    "tensor-parallel-size",
    "pipeline-parallel-size",
    "data-parallel-size",
    "prefill-context-parallel-size",
    "decode-context-parallel-size",
    "nnodes",
];

/// Whether the flag's value becomes a config dataclass (the catalog's type says so).
fn builds_a_config(flag: &Flag) -> bool {
    flag.type_name.contains("config object") || flag.type_name.contains("parse_dataclass")
}

/// Explains why `text` is not a valid value for `flag`, or `Ok(())`.
pub fn check_value(flag: &Flag, text: &str) -> Result<(), String> {
    let t = text.trim();
    let none_ok = flag.nullable && t == "None";
    match flag.kind {
        Kind::Int => match t.parse::<i64>() {
            // pydantic Field(ge=1) in vllm/config/parallel.py (ParallelConfig).
            Ok(n) if n < 1 && AT_LEAST_ONE.contains(&flag.name.as_str()) => {
                return Err(format!("{n} is not a count: it must be at least 1"));
            }
            Ok(_) => {}
            Err(_) if none_ok => {}
            Err(_) => return Err(format!("`{text}` is not a whole number")),
        },
        Kind::Float => {
            let v: f64 = t.parse().map_err(|_| format!("`{text}` is not a number"))?;
            if !v.is_finite() {
                return Err(format!("`{text}` is not a finite number"));
            }
            // pydantic Field(gt=0, le=1) in vllm/config/cache.py
            if flag.name == "gpu-memory-utilization" && !(v > 0.0 && v <= 1.0) {
                return Err(format!(
                    "{} is outside (0, 1]: a fraction of the GPU's memory",
                    num(v)
                ));
            }
        }
        Kind::HumanInt => {
            if parse_human_int(t).is_none() && !none_ok {
                return Err(format!("`{text}` is not a number (32768, 32k or 32K)"));
            }
        }
        Kind::HumanIntOrAuto => {
            if t != "auto" && parse_human_int(t).is_none() {
                return Err(format!(
                    "`{text}` is not a length (131072, 128k, 128K, -1 or auto)"
                ));
            }
            if let Some(n) = parse_human_int(t) {
                if n < -1 || n == 0 {
                    return Err(format!("{n} is not a usable length"));
                }
            }
        }
        Kind::Json => {
            // `json object | str` flags read a value as JSON only when it looks like an object
            // (`union_dict_and_str`: `^\s*{.*}\s*$`); anything else passes the parser as text.
            let looks_like_object = t.starts_with('{') && t.ends_with('}');
            let parsed_as_json = looks_like_object || !flag.type_name.contains("| str");
            if parsed_as_json {
                match serde_json::from_str::<serde_json::Value>(t) {
                    // A `json` flag (no `| str`) reads every value as JSON: the legacy
                    // `image=4` form of --limit-mm-per-prompt is refused (vLLM 0.33.0 parser).
                    Err(e) => {
                        return Err(format!(
                            "invalid JSON at line {}, column {}: {e}",
                            e.line(),
                            e.column()
                        ))
                    }
                    // A config-object flag builds its dataclass from the value
                    // (`parse_dataclass`): `--compilation-config 3` is refused.
                    Ok(v) if !v.is_object() && builds_a_config(flag) => {
                        return Err(format!("`{text}` is not a JSON object of config fields"))
                    }
                    Ok(_) => {}
                }
            }
        }
        Kind::List => {
            if flag.choices.is_empty() && t.is_empty() {
                return Err("give at least one value".into());
            }
        }
        Kind::Bool | Kind::FlagOnly | Kind::Text => {}
    }
    if !flag.choices.is_empty() && !flag.choices.iter().any(|c| c == t) {
        return Err(format!(
            "`{text}` is not one of: {}",
            flag.choices.join(", ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn check(name: &str, v: &str) -> Result<(), String> {
        check_value(Catalog::get().flag(name).unwrap(), v)
    }

    #[test]
    fn numbers_print_like_people_write_them() {
        assert_eq!(
            (num(4.0), num(0.95), num(300.0), num(23.5)),
            ("4".into(), "0.95".into(), "300".into(), "23.5".into())
        );
    }

    #[test]
    fn rejects_what_the_parser_rejects() {
        assert!(check("tensor-parallel-size", "2").is_ok());
        assert!(check("tensor-parallel-size", "two").is_err());
        assert!(check("tensor-parallel-size", "0").is_err());
        assert!(check("pipeline-parallel-size", "-3").is_err());
        assert!(check("gpu-memory-utilization", "0.95").is_ok());
        assert!(check("gpu-memory-utilization", "1.0").is_ok());
        assert!(check("gpu-memory-utilization", "0").is_err());
        assert!(check("gpu-memory-utilization", "1.2").is_err());
        assert!(check("max-model-len", "32k").is_ok());
        assert!(check("max-model-len", "auto").is_ok());
        assert!(check("max-model-len", "-1").is_ok());
        assert!(check("max-model-len", "long").is_err());
        assert!(check("dtype", "half").is_ok());
        assert!(check("dtype", "fp4").unwrap_err().contains("bfloat16"));
        assert!(
            check("hf-overrides", "{\"a\": ").is_ok(),
            "not object-shaped: the parser keeps it as text"
        );
        let e = check("hf-overrides", "{\"a\": }").unwrap_err();
        assert!(e.contains("line 1, column"), "{e}");
        assert!(check("hf-overrides", "{\"max_position_embeddings\": 131072}").is_ok());
    }
}
