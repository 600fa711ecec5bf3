//! The real compose files of `../shared/wild` (read-only), judged by the real Compose
//! (`../shared/tools/compose-check --json` prints its normalized model):
//! - every file Compose accepts as it is imports, and writing it back unedited gives its bytes;
//! - setting `max-model-len` changes that value and nothing else in Compose's normalized model.
#![cfg(not(target_arch = "wasm32"))]
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use studio_core::compose::{import_compose, write_back};
use studio_core::profile::{ArgValue, Profile};

fn wild() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/wild")
}

/// The compose cases real Compose accepts without placeholders (truth.json).
fn accepted_cases() -> Vec<String> {
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(wild().join("truth.json")).unwrap()).unwrap();
    truth["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "compose" && c["compose_original_rc"] == 0)
        .filter(|c| {
            c["compose_original_note"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        })
        .map(|c| c["case"].as_str().unwrap().to_string())
        .collect()
}

/// Compose's normalized model of `text`, laid out as the case is (its `.env` companion beside
/// it), without the project name (it comes from the folder).
fn normalized(case: &str, text: &str, dir: &Path) -> Value {
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("compose.yml");
    std::fs::write(&file, text).unwrap();
    let stem = case.rsplit_once('.').unwrap().0;
    let env = wild().join(format!("{stem}.env"));
    if env.exists() {
        std::fs::copy(env, dir.join(".env")).unwrap();
    } else {
        // An empty one: a service's `env_file: .env` then resolves (it changes no variable).
        std::fs::write(dir.join(".env"), "").unwrap();
    }
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/compose-check");
    let out = Command::new(tool)
        .arg("--json")
        .arg(&file)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        // Services behind `profiles:` are part of the file too.
        .env("COMPOSE_PROFILES", "*")
        .output()
        .expect("compose-check");
    assert!(
        out.status.success(),
        "{case}: Compose refuses\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut model: Value = serde_json::from_slice(&out.stdout).unwrap();
    model.as_object_mut().unwrap().remove("name");
    model
}

/// The command words Compose hands over, with `--max-model-len` set to `value`: the value
/// replaced where the file's own command has the flag, else the flag appended (a flag that only
/// comes from a variable, `${EXTRA_ARGS}`, is overridden by a later one: vLLM's argparse keeps
/// the last).
fn with_max_model_len(command: &Value, value: &str, in_file: bool) -> Value {
    let mut words: Vec<String> = command
        .as_array()
        .map(|a| a.iter().map(|w| w.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    let spellings = ["--max-model-len", "--max_model_len"];
    let at = words.iter().position(|w| {
        spellings.contains(&w.as_str()) || spellings.iter().any(|s| w.starts_with(&format!("{s}=")))
    });
    match at.filter(|_| in_file) {
        Some(k) if words[k].contains('=') => {
            words[k] = format!("{}={value}", words[k].split_once('=').unwrap().0)
        }
        Some(k) => words[k + 1] = value.to_string(),
        None => words.extend(["--max-model-len".to_string(), value.to_string()]),
    }
    Value::from(words)
}

#[test]
fn unedited_files_come_back_byte_identical_and_one_edit_changes_one_value() {
    let cases = accepted_cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let tmp = std::env::temp_dir().join(format!("studio-wild-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut edited = 0;
    for case in &cases {
        let text = std::fs::read_to_string(wild().join(case)).unwrap();
        let imported = match import_compose(&text, &Profile::default()) {
            Ok(i) => i,
            Err(e) => {
                failures.push(format!("{case}: import fails: {e}"));
                continue;
            }
        };
        match write_back(&imported.origin, &imported.profile) {
            Ok(back) if back == text => {}
            Ok(_) => failures.push(format!("{case}: unedited export differs from the file")),
            Err(e) => failures.push(format!("{case}: {e}")),
        }
        if imported.script_entrypoint().is_some() {
            continue; // an edit is refused there (CLI test), not guessed
        }
        let mut p = imported.profile.clone();
        p.set("max-model-len", ArgValue::word("12345"));
        let out = match write_back(&imported.origin, &p) {
            Ok(out) => out,
            Err(e) => {
                failures.push(format!("{case}: edit not written: {e}"));
                continue;
            }
        };
        let service = &imported.origin.service;
        // One folder for both, so relative paths resolve alike.
        let before = normalized(case, &text, &tmp);
        let after = normalized(case, &out, &tmp);
        let mut expected = before.clone();
        let command = &mut expected["services"][service.as_str()]["command"];
        let in_file = text.contains("--max-model-len") || text.contains("--max_model_len");
        *command = with_max_model_len(command, "12345", in_file);
        if after != expected {
            failures.push(format!(
                "{case}: the edit changed more than max-model-len:\n  want {}\n  got  {}",
                expected["services"][service.as_str()]["command"],
                after["services"][service.as_str()]["command"]
            ));
        }
        edited += 1;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(edited >= 30, "only {edited} cases edited");
}

#[test]
fn the_release_comes_from_the_image_reference() {
    // index.json's `vllm_version_implied`: the release the image tag names (after defaults).
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(wild().join("index.json")).unwrap()).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in index
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "compose")
    {
        let file = case["file"].as_str().unwrap();
        let Some(implied) = case["vllm_version_implied"].as_str() else {
            continue;
        };
        let text = std::fs::read_to_string(wild().join(file)).unwrap();
        let Ok(imported) = import_compose(&text, &Profile::default()) else {
            continue;
        };
        checked += 1;
        let got = imported.profile.vllm_version.to_string();
        if got != implied {
            failures.push(format!(
                "{file}: checked against {got}, the image runs {implied}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 20, "{checked} cases");
}

/// The case's `.env` companion, as Compose would read it beside the file.
fn case_env(case: &str) -> studio_core::compose::interpolate::Env {
    let stem = case.rsplit_once('.').unwrap().0;
    std::fs::read_to_string(wild().join(format!("{stem}.env")))
        .map(|t| studio_core::compose::interpolate::Env::from_dotenv(&t))
        .unwrap_or_default()
}

#[test]
fn parser_stage_errors_agree_with_the_real_vllm_0_33_parser() {
    use studio_core::compose::import_with_env;
    use studio_core::rules::{evaluate_in, Severity, Stage};
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(wild().join("truth.json")).unwrap()).unwrap();
    let (mut agree, mut compared) = (0, 0);
    let mut disagreements = Vec::new();
    for c in truth["cases"].as_array().unwrap() {
        let case = c["case"].as_str().unwrap();
        let accepted = c["compose_original_rc"] == 0
            && c["compose_original_note"]
                .as_str()
                .unwrap_or_default()
                .is_empty();
        let verdict = c["real_parser_033"].as_str().unwrap_or_default();
        if c["kind"] != "compose" || !accepted || !["accept", "reject"].contains(&verdict) {
            continue;
        }
        let text = std::fs::read_to_string(wild().join(case)).unwrap();
        let env = case_env(case);
        let mut p = import_with_env(&text, &Profile::default(), None, &env)
            .unwrap()
            .profile;
        p.vllm_version = studio_core::version::Version::known("0.33.0");
        let checked = evaluate_in(&p, None, &env);
        let parser_errors: Vec<&str> = checked
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.id.stage() == Stage::Parser)
            .map(|f| f.id.as_str())
            .collect();
        compared += 1;
        if parser_errors.is_empty() == (verdict == "accept") {
            agree += 1;
        } else {
            disagreements.push(format!(
                "{case}: vLLM 0.33.0 says {verdict} ({}), we say {parser_errors:?}",
                c["real_parser_message"]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .take(120)
                    .collect::<String>()
            ));
        }
    }
    assert!(compared >= 30, "{compared} cases");
    assert!(
        disagreements.is_empty(),
        "{agree}/{compared} agree\n{}",
        disagreements.join("\n")
    );
}

#[test]
fn every_command_case_imports_and_keeps_its_flags() {
    use studio_core::args::{launcher_len, parse_words};
    use studio_core::compose::{import_any, interpolate::Env};
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(wild().join("truth.json")).unwrap()).unwrap();
    let flags_of = |words: &[String]| -> Vec<String> {
        let mut names: Vec<String> = parse_words(&words[launcher_len(words)..])
            .args
            .into_iter()
            .map(|a| a.name)
            .collect();
        names.sort();
        names
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for c in truth["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "command")
    {
        let case = c["case"].as_str().unwrap();
        let text = std::fs::read_to_string(wild().join(case)).unwrap();
        let imported = match import_any(&text, &Profile::default(), None, &Env::default()) {
            Ok(i) => i,
            Err(e) => {
                failures.push(format!("{case}: not imported: {e}"));
                continue;
            }
        };
        let mut ours: Vec<String> = imported
            .profile
            .args
            .iter()
            .map(|a| a.name.clone())
            .collect();
        ours.sort();
        // The file's launch lines as the real tools split them (truth.json `subcases`).
        let lines: Vec<Vec<String>> = c["subcases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                s["words"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w.as_str().unwrap().to_string())
                    .collect()
            })
            .collect();
        checked += 1;
        // A launch line that expands a shell array the script fills (`"${ARGS[@]}"`, read
        // from another file at run time) can only show the flags written on it, and says so.
        let array = imported.notes.iter().any(|n| n.contains("shell array"));
        let matches = |l: &Vec<String>| {
            let theirs = flags_of(l);
            if array {
                ours.iter().all(|f| theirs.contains(f))
            } else {
                theirs == ours
            }
        };
        if !lines.iter().any(matches) {
            failures.push(format!(
                "{case}: our flags {ours:?}, the file's {:?}",
                flags_of(&lines[0])
            ));
        }
    }
    assert!(checked >= 10, "{checked} command cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn files_compose_refuses_get_a_plain_reason() {
    use studio_core::compose::{import_any, interpolate::Env};
    use studio_core::rules::{evaluate_in, RuleId};
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(wild().join("truth.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    for c in truth["cases"].as_array().unwrap() {
        if c["kind"] != "compose" || c["compose_original_rc"] != 1 {
            continue;
        }
        let case = c["case"].as_str().unwrap();
        let text = std::fs::read_to_string(wild().join(case)).unwrap();
        let said = match import_any(&text, &Profile::default(), None, &Env::default()) {
            // A YAML error is located; a fragment says what it lacks.
            Err(e) => e.location.is_some() || e.message.contains("services:"),
            Ok(i) => {
                let reasons = [
                    "includes",
                    "neither `image`",
                    "`env_file`",
                    "not declared",
                    "Compose refuses",
                ];
                let noted = i
                    .notes
                    .iter()
                    .any(|n| reasons.iter().any(|r| n.contains(r)));
                // Variables Compose needs (`${X:?}`, an empty volume source): the check says so.
                let checked = evaluate_in(&i.profile, None, &case_env(case));
                let vars = checked
                    .findings
                    .iter()
                    .any(|f| matches!(f.id, RuleId::VariableRequired | RuleId::VariableUnresolved));
                noted || vars
            }
        };
        if !said {
            failures.push(format!(
                "{case}: Compose refuses it ({}), we say nothing",
                c["compose_original_note"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A command as vLLM reads it: model, flags with values, stray words (launcher dropped).
fn read_command(command: &Value) -> (Option<String>, Vec<(String, String)>, Vec<String>) {
    use studio_core::args::{launcher_len, parse_words};
    let words: Vec<String> = command
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| w.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    let parsed = parse_words(&words[launcher_len(&words)..]);
    // A value equal to vLLM 0.33.0's default says nothing (links leave those out), and a
    // secret (`--api-key`) never travels in a link.
    let mut args: Vec<(String, String)> = parsed
        .args
        .iter()
        .filter(|a| !Profile::is_default_value(&a.name, &a.value))
        .filter(|a| !studio_core::catalog::SECRET_FLAGS.contains(&a.name.as_str()))
        .map(|a| (a.name.clone(), a.value.text()))
        .collect();
    args.sort();
    (parsed.model, args, parsed.stray)
}

#[test]
fn a_link_of_an_import_renders_the_same_service() {
    use studio_core::compose::to_yaml;
    use studio_core::link::{decode, encode};
    let tmp = std::env::temp_dir().join(format!("studio-wild-link-{}", std::process::id()));
    let mut failures = Vec::new();
    let cases = accepted_cases();
    for case in &cases {
        let text = std::fs::read_to_string(wild().join(case)).unwrap();
        let imported = import_compose(&text, &Profile::default()).unwrap();
        // A value vLLM refuses (46: `--limit-mm-per-prompt image=4`) travels as written too.
        let (back, problems) = decode(&encode(&imported.profile));
        if !problems.is_empty() {
            failures.push(format!("{case}: the link does not read back: {problems:?}"));
            continue;
        }
        let service = imported.origin.service.as_str();
        let mut theirs = normalized(case, &text, &tmp)["services"][service].clone();
        let mut ours = normalized(case, &to_yaml(&back), &tmp)["services"][service].clone();
        // The command as vLLM reads it (the link writes `--model X` for a positional model).
        let (tc, oc) = (theirs["command"].take(), ours["command"].take());
        if read_command(&tc) != read_command(&oc) {
            failures.push(format!("{case}: command {tc} became {oc}"));
        }
        // A link holds one service: entries naming other services are written as comments.
        for key in studio_core::compose::REFERS_TO_SERVICES {
            theirs.as_object_mut().unwrap().remove(key);
        }
        // Secrets never travel: a literal token is `${NAME}` in a link.
        for name in ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"] {
            for side in [&mut theirs, &mut ours] {
                if let Some(v) = side["environment"].get_mut(name) {
                    *v = Value::Null;
                }
            }
        }
        if theirs != ours {
            let keys: Vec<String> = theirs
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| ours.get(k.as_str()) != Some(v))
                .map(|(k, v)| {
                    format!(
                        "{k}: {v} vs {}",
                        ours.get(k.as_str()).unwrap_or(&Value::Null)
                    )
                })
                .chain(
                    ours.as_object()
                        .unwrap()
                        .keys()
                        .filter(|k| theirs.get(k.as_str()).is_none())
                        .map(|k| format!("{k}: only ours")),
                )
                .collect();
            failures.push(format!("{case}: {}", keys.join("; ")));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
