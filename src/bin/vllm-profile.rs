//! `vllm-profile`: the command-line shell over the domain core (render, import, …).
//! Exit codes: 0 success, 1 a check failed, 2 bad input or usage.
use std::process::ExitCode;
use studio::domain::{compose, link, profile::Profile};

const USAGE: &str = "usage:
  vllm-profile render --link '<query or URL>'   print the compose YAML of a share link
  vllm-profile command --link '<query or URL>'  print the equivalent `vllm serve` command
  vllm-profile env --link '<query or URL>'      print the .env file
  vllm-profile import FILE                      print the share-link query of a compose file";

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("vllm-profile: {message}");
    ExitCode::from(2)
}

/// The profile named by `--link Q` or a compose FILE, with the problems found reading it.
fn load(args: &[String]) -> Result<Profile, String> {
    match args {
        [flag, q] if flag == "--link" => {
            let (p, problems) = link::decode(q);
            if problems.is_empty() {
                Ok(p)
            } else {
                Err(problems.iter().map(|p| format!("link key `{}`: {}", p.key, p.message)).collect::<Vec<_>>().join("\n"))
            }
        }
        [file] if !file.starts_with('-') => {
            let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            let imported = compose::import_compose(&text, &Profile::default()).map_err(|e| format!("{file}: {e}"))?;
            for note in &imported.notes {
                eprintln!("note: {note}");
            }
            Ok(imported.profile)
        }
        _ => Err(USAGE.to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else { return fail(USAGE) };
    let out = match cmd.as_str() {
        "render" => load(rest).map(|p| compose::to_yaml(&p)),
        "command" => load(rest).map(|p| compose::to_command(&p)),
        "env" => load(rest).map(|p| compose::to_env(&p)),
        "import" => match rest {
            [file] => load(rest).map(|p| link::encode(&p) + "\n").map_err(|e| e.replace(USAGE, &format!("usage: vllm-profile import FILE (got {file})"))),
            _ => Err(USAGE.to_string()),
        },
        "-h" | "--help" | "help" => Ok(format!("{USAGE}\n")),
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    };
    match out {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
