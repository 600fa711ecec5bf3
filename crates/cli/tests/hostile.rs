//! Hostile input (issue 13): each file or link is refused with exit status 2 and a located
//! message, within a second and with the process's peak memory under 200 MB. Linux only: the
//! peak comes from `wait4`'s `ru_maxrss` (KiB there).
#![cfg(target_os = "linux")]
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs the CLI on `args` (and `stdin`), returning (status, stderr, seconds, peak RSS in MB).
// The child is reaped by `wait4` (which also reports its peak memory), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, Duration, f64) {
    let t0 = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vllm-profile"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run vllm-profile");
    if let Some(bytes) = stdin {
        // A refused link stops reading early: a broken pipe is expected then.
        let _ = child.stdin.take().unwrap().write_all(bytes);
    }
    drop(child.stdin.take());
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4 reports this child's own peak (Linux: ru_maxrss in KiB).
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let elapsed = t0.elapsed();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, err, elapsed, usage.ru_maxrss as f64 / 1024.0)
}

fn refused(name: &str, body: &[u8], located: &str) {
    let dir = std::env::temp_dir().join(format!("studio-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    let (code, err, took, mb) = run(&["import", path.to_str().unwrap()], None);
    assert_eq!(code, 2, "{name}: {err}");
    assert!(err.contains(located), "{name}: {err}");
    assert!(took < Duration::from_secs(1), "{name}: {took:?}");
    assert!(mb < 200.0, "{name}: {mb} MB");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn an_alias_bomb_is_refused_before_it_expands() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = "abcdefghi".as_bytes();
    for w in names.windows(2) {
        let (prev, this) = (w[0] as char, w[1] as char);
        let items = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{this}: &{this} [{items}]\n"));
    }
    refused("bomb.yml", text.as_bytes(), "excessive aliasing");
}

#[test]
fn deep_nesting_is_refused_with_its_line() {
    let deep = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    refused(
        "deep.yml",
        deep.as_bytes(),
        "line 1, column 259: collections nest more than 256",
    );
}

#[test]
fn oversized_files_and_lines_are_refused() {
    let big = "# padding\n".repeat(5_300_000);
    refused("big.yml", big.as_bytes(), "files over 4 MiB are not read");
    let line = format!("services:\n  vllm:\n    command: {}\n", "x".repeat(1 << 20));
    refused("line.yml", line.as_bytes(), "line 3 is");
}

#[test]
fn bytes_that_are_not_text_are_located() {
    refused(
        "utf8.yml",
        b"services:\n  vllm:\n    image: vllm/\xff\n",
        "line 3, column 17: the file is not valid UTF-8",
    );
    refused(
        "nul.yml",
        b"services:\n  vllm:\n    image: vllm/vllm-openai\0\n",
        "line 3, column 28: control character U+0000",
    );
}

#[test]
fn a_link_of_100000_keys_from_standard_input_is_refused() {
    let link: String = std::iter::once("v=1".to_string())
        .chain((0..100_000).map(|i| format!("k{i}=1")))
        .collect::<Vec<_>>()
        .join("&");
    let (code, err, took, mb) = run(&["render", "--link", "-"], Some(link.as_bytes()));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("links over 64 KiB are not read"), "{err}");
    assert!(
        took < Duration::from_secs(1) && mb < 200.0,
        "{took:?} {mb} MB"
    );
    // Under the byte limit but over the key limit.
    let link: String = std::iter::once("v=1".to_string())
        .chain((0..5_000).map(|i| format!("k{i}")))
        .collect::<Vec<_>>()
        .join("&");
    let (code, err, ..) = run(&["render", "--link", "-"], Some(link.as_bytes()));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("links with over 2000 are not read"), "{err}");
    // A good link through standard input still works.
    let (code, err, ..) = run(
        &["render", "--link", "-"],
        Some(b"v=1&model=Qwen/Qwen3-8B\n"),
    );
    assert_eq!(code, 0, "{err}");
}
