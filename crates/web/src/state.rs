//! The one place the app's state lives: the profile signal, its history, and what is derived from
//! it (outputs, link, findings, score, memory estimate) as memos.
use leptos::prelude::*;
use studio_core::compose::interpolate::Env;
use studio_core::compose::Origin;
use studio_core::memory::{self, Estimate};
use studio_core::models::ModelArch;
use studio_core::rules::{self, Finding, Inputs, Score};
use studio_core::{compose, link, profile::Profile};

/// How many edits undo can go back.
const HISTORY_LIMIT: usize = 200;

/// A finding as a field shows it: severity, rule id, message.
pub type FieldNote = (&'static str, &'static str, String);

/// Everything the components share, provided once through context.
#[derive(Clone, Copy)]
pub struct Studio {
    /// The working profile; every edit, import and fix goes through `edit` or `replace`.
    pub profile: RwSignal<Profile>,
    /// Earlier profiles (undo) and undone ones (redo).
    pub past: RwSignal<Vec<Profile>>,
    pub future: RwSignal<Vec<Profile>>,
    /// An architecture pasted as config.json, for models the catalog lacks.
    pub pasted_model: RwSignal<Option<ModelArch>>,
    /// The imported file the profile edits; exports write the edits back into it.
    pub origin: RwSignal<Option<Origin>>,
    /// A pasted `.env`: values for `${VAR}` in the checks. Never stored (it may hold tokens).
    pub dotenv: RwSignal<String>,
    /// The share-link query (without `?`).
    pub query: Memo<String>,
    /// The profile as Compose would hand it to vLLM (variables read); what checks and the
    /// estimate judge.
    pub effective: Memo<Profile>,
    pub findings: Memo<Vec<Finding>>,
    /// Each flag's value and findings as signals of their own (what a field subscribes to).
    pub fields: super::field_slices::FieldSlices,
    /// The selected release alone, so what depends only on it does not follow every keystroke.
    ///
    /// A signal set by the state's writes when the release changes, not a memo of the profile:
    /// every open field follows it, and a memo would make each keystroke walk all of them
    /// (reactive_graph marks a memo's subscribers on every change of its source, even when the
    /// memo's value stays the same).
    pub version: RwSignal<studio_core::version::Version>,
    /// Which checks ran and which lacked a fact.
    pub coverage: Memo<rules::Coverage>,
    pub score: Memo<Score>,
    pub estimate: Memo<Option<Estimate>>,
    /// The one start verdict, from the validation and the memory together.
    pub verdict: Memo<rules::StartVerdict>,
    /// Messages about what loading a link, a file or the saved draft changed or could not apply.
    pub notices: RwSignal<Vec<String>>,
    /// The field the last edit typed into, while its keystrokes make one undo step.
    typing: RwSignal<Option<String>>,
    /// The profile the checks, the estimate, the diff and the link follow: the working profile,
    /// one task after each edit (see `settle`). Read it; only the state writes it.
    pub settled: RwSignal<Profile>,
    /// Whether a copy into `settled` is scheduled (keystrokes in one task share it): the page
    /// shows it as `data-pending` on `app-ready`, so tests can wait for the derived views.
    pub pending: RwSignal<bool>,
    /// Whether the app's first task is over. The first task builds the summary strip and the
    /// form with its findings (what is above the fold and would move if it came later); the
    /// panels and the other sections are built in the next one (`App`). Outside a browser
    /// (tests) true from the start.
    pub started: RwSignal<bool>,
}

impl Studio {
    /// Creates the state around a starting profile.
    pub fn new(start: Profile) -> Studio {
        let settled = RwSignal::new(start.clone());
        let profile = RwSignal::new(start);
        let pasted_model = RwSignal::new(None::<ModelArch>);
        let origin = RwSignal::new(None::<Origin>);
        let dotenv = RwSignal::new(String::new());
        // Checked as Compose would run it: `${VAR}` read from the pasted .env (or its default),
        // and a variable without a value reported as such.
        let variables = Memo::new(move |_| dotenv.with(|t| Env::from_dotenv(t)));
        let checked = Memo::new(move |_| {
            pasted_model.with(|m| {
                variables.with(|env| {
                    settled.with(|p| {
                        let c = rules::evaluate_in(p, m.as_ref(), env);
                        (c.effective, c.findings, c.coverage)
                    })
                })
            })
        });
        let effective = Memo::new(move |_| checked.with(|c| c.0.clone()));
        let findings = Memo::new(move |_| checked.with(|c| c.1.clone()));
        let coverage = Memo::new(move |_| checked.with(|c| c.2.clone()));
        // The findings each flag's field shows, indexed once per change (a field looks up its
        // own instead of scanning every finding).
        let started = RwSignal::new(!cfg!(target_arch = "wasm32"));
        let notes_by_flag = Memo::new(move |_| {
            findings.with(|f| {
                let mut by = std::collections::HashMap::<String, Vec<FieldNote>>::new();
                for x in f {
                    for param in &x.params {
                        by.entry(param.clone()).or_default().push((
                            x.severity.as_str(),
                            x.id.as_str(),
                            x.message.clone(),
                        ));
                    }
                }
                by
            })
        });
        let fields = super::field_slices::FieldSlices::new(profile, notes_by_flag);
        Studio {
            fields,
            version: RwSignal::new(profile.with_untracked(|p| p.vllm_version)),
            profile,
            past: RwSignal::new(Vec::new()),
            future: RwSignal::new(Vec::new()),
            pasted_model,
            origin,
            dotenv,
            // The link follows with the checks (it is written to the address bar): one task after
            // the keystroke.
            query: Memo::new(move |_| settled.with(link::encode)),
            effective,
            findings,
            coverage,
            score: Memo::new(move |_| {
                pasted_model.with(|m| {
                    effective.with(|p| {
                        findings.with(|f| {
                            coverage.with(|c| rules::score(&Inputs::new(p, m.as_ref()), f, c))
                        })
                    })
                })
            }),
            estimate: Memo::new(move |_| {
                pasted_model
                    .with(|m| effective.with(|p| memory::estimate(&Inputs::new(p, m.as_ref()))))
            }),
            verdict: Memo::new(move |_| {
                findings.with(|f| coverage.with(|c| rules::start_verdict(f, c)))
            }),
            notices: RwSignal::new(Vec::new()),
            typing: RwSignal::new(None),
            settled,
            pending: RwSignal::new(false),
            started,
        }
    }

    /// Applies one edit to the profile (undoable).
    pub fn edit(&self, change: impl FnOnce(&mut Profile)) {
        let mut next = self.profile.get_untracked();
        change(&mut next);
        self.replace(next);
    }

    /// An edit made by typing into the field `field`: keystrokes into the same field, one after
    /// the other, are one undo step (undo brings back the value from before the typing, not the
    /// text one keystroke ago — now that every keystroke, valid or not, reaches the profile).
    pub fn edit_typing(&self, field: &str, change: impl FnOnce(&mut Profile)) {
        let mut next = self.profile.get_untracked();
        change(&mut next);
        self.keep_place(field, &mut next);
        let same_burst = self.typing.with_untracked(|t| t.as_deref() == Some(field));
        if same_burst && !self.past.with_untracked(Vec::is_empty) {
            if self.profile.with_untracked(|p| *p != next) {
                self.drop_redo();
                self.commit(next);
            }
            return;
        }
        self.replace(next);
        self.typing.set(Some(field.to_string()));
    }

    /// A flag typed back after its field was cleared returns to the place it had (the last
    /// profile in the history that set it), not the end of the command: git diffs stay small.
    fn keep_place(&self, field: &str, next: &mut Profile) {
        let was_absent = self.profile.with_untracked(|p| p.get(field).is_none());
        let Some(now) = next.args.iter().position(|a| a.name == field) else {
            return;
        };
        if !was_absent {
            return;
        }
        let before = self.past.with_untracked(|past| {
            past.iter()
                .rev()
                .find_map(|p| p.args.iter().position(|a| a.name == field))
        });
        if let Some(at) = before.filter(|at| *at < now) {
            let arg = next.args.remove(now);
            next.args.insert(at, arg);
        }
    }

    /// Replaces the whole profile (import, link, fix); undoable.
    pub fn replace(&self, next: Profile) {
        self.typing.set(None);
        let current = self.profile.get_untracked();
        if current == next {
            return;
        }
        self.past.update(|p| {
            p.push(current);
            if p.len() > HISTORY_LIMIT {
                p.remove(0);
            }
        });
        self.drop_redo();
        self.commit(next);
    }

    /// An edit makes the undone ones unreachable (a keystroke with nothing to redo wakes no one).
    fn drop_redo(&self) {
        if !self.future.with_untracked(Vec::is_empty) {
            self.future.set(Vec::new());
        }
    }

    /// Sets the profile and the fields' slices of it.
    fn commit(&self, next: Profile) {
        self.fields.publish(&next);
        if self.version.get_untracked() != next.vllm_version {
            self.version.set(next.vllm_version);
        }
        super::crash::remember(&next);
        self.profile.set(next);
        self.settle();
    }

    /// Hands the profile to the checks and the estimate. In the browser that happens in a task
    /// of its own after the edit's: the keystroke's field and YAML reach the screen first and
    /// the findings, score and memory card follow a few milliseconds later (a burst of edits in
    /// one task is judged once). Outside a browser (tests) at once.
    fn settle(&self) {
        #[cfg(target_arch = "wasm32")]
        {
            if self.pending.get_untracked() {
                return;
            }
            self.pending.set(true);
            let me = *self;
            set_timeout(
                move || {
                    me.settled.set(me.profile.get_untracked());
                    me.pending.set(false);
                },
                std::time::Duration::ZERO,
            );
        }
        #[cfg(not(target_arch = "wasm32"))]
        self.settled.set(self.profile.get_untracked());
    }

    /// Goes back one edit.
    pub fn undo(&self) {
        self.typing.set(None);
        if let Some(prev) = self.past.try_update(|p| p.pop()).flatten() {
            let current = self.profile.get_untracked();
            self.future.update(|f| f.push(current));
            self.commit(prev);
        }
    }

    /// Re-applies an undone edit.
    pub fn redo(&self) {
        self.typing.set(None);
        if let Some(next) = self.future.try_update(|f| f.pop()).flatten() {
            let current = self.profile.get_untracked();
            self.past.update(|p| p.push(current));
            self.commit(next);
        }
    }
}

/// The exported texts, made by the outputs card: created there, their code (the YAML writer
/// and the write-back into the imported file) is in the module of the later sections, not in
/// the first load.
#[derive(Clone, Copy)]
pub struct Exports {
    /// The compose YAML; follows the keystroke.
    pub yaml: Memo<String>,
    /// The `vllm serve` command; follows with the checks, one task after the keystroke.
    pub command: Memo<String>,
    /// The `.env` file; as the command.
    pub env: Memo<String>,
}

impl Exports {
    /// The exports of the studio's profile.
    pub fn new(s: Studio) -> Exports {
        let (origin, profile, settled) = (s.origin, s.profile, s.settled);
        Exports {
            yaml: Memo::new(move |_| origin.with(|o| profile.with(|p| export_yaml(o.as_ref(), p)))),
            command: Memo::new(move |_| settled.with(compose::to_command)),
            env: Memo::new(move |_| settled.with(compose::to_env)),
        }
    }
}

/// The YAML the app exports: the imported file with the edits written back into it, or (with
/// no file, or one the edits cannot be written into) the service on its own.
pub fn export_yaml(origin: Option<&Origin>, p: &Profile) -> String {
    origin
        .and_then(|o| compose::write_back(o, p).ok())
        .unwrap_or_else(|| compose::to_yaml(p))
}

/// The studio from context.
pub fn studio() -> Studio {
    expect_context::<Studio>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use studio_core::compose::reference_profile;
    use studio_core::profile::ArgValue;

    /// Runs `body` with a reactive owner, as a mounted app has (no browser needed).
    fn with_owner(body: impl FnOnce()) {
        let owner = Owner::new();
        owner.set();
        body();
        owner.unset();
    }

    fn len(s: &Studio) -> Option<String> {
        s.profile.with_untracked(|p| p.text("max-model-len"))
    }

    #[test]
    fn keystrokes_into_one_field_are_one_undo_step() {
        with_owner(|| {
            let s = Studio::new(reference_profile());
            for text in ["6", "65", "655", "6553", "65536"] {
                s.edit_typing("max-model-len", |p| {
                    p.set("max-model-len", ArgValue::word(text))
                });
            }
            s.edit_typing("dtype", |p| p.set("dtype", ArgValue::word("auto")));
            assert_eq!(s.past.with_untracked(Vec::len), 2);
            s.undo();
            assert_eq!(len(&s).as_deref(), Some("65536"));
            s.undo();
            assert_eq!(len(&s).as_deref(), Some("131072"));
            // After an undo, typing starts a new step.
            s.redo();
            s.edit_typing("max-model-len", |p| {
                p.set("max-model-len", ArgValue::word("1"))
            });
            s.undo();
            assert_eq!(len(&s).as_deref(), Some("65536"));
        });
    }

    #[test]
    fn edits_undo_and_redo_in_order_and_a_new_edit_drops_the_redo_stack() {
        with_owner(|| {
            let s = Studio::new(reference_profile());
            s.edit(|p| p.set("max-model-len", ArgValue::word("65536")));
            s.edit(|p| p.set("max-model-len", ArgValue::word("32768")));
            assert_eq!(len(&s).as_deref(), Some("32768"));
            s.undo();
            assert_eq!(len(&s).as_deref(), Some("65536"));
            s.undo();
            assert_eq!(len(&s).as_deref(), Some("131072"));
            s.undo(); // nothing left: no change
            assert_eq!(len(&s).as_deref(), Some("131072"));
            s.redo();
            assert_eq!(len(&s).as_deref(), Some("65536"));
            s.edit(|p| p.set("max-model-len", ArgValue::word("8192")));
            s.redo(); // the redo stack went with the new edit
            assert_eq!(len(&s).as_deref(), Some("8192"));
            assert_eq!(s.future.with_untracked(Vec::len), 0);
        });
    }

    #[test]
    fn an_edit_that_changes_nothing_is_not_an_undo_step() {
        with_owner(|| {
            let s = Studio::new(reference_profile());
            s.edit(|_| {});
            s.replace(reference_profile());
            assert_eq!(s.past.with_untracked(Vec::len), 0);
        });
    }

    #[test]
    fn history_keeps_the_last_steps_only() {
        with_owner(|| {
            let s = Studio::new(reference_profile());
            for n in 0..HISTORY_LIMIT + 10 {
                s.edit(|p| p.set("max-num-seqs", ArgValue::word((n + 1).to_string())));
            }
            assert_eq!(s.past.with_untracked(Vec::len), HISTORY_LIMIT);
        });
    }

    #[test]
    fn an_imported_file_is_exported_with_the_edit_written_into_it() {
        with_owner(|| {
            let text = "services:\n  llm:  # the server\n    image: vllm/vllm-openai:v0.11.0\n    \
                        command: --model m --max-model-len 4096\n  db:\n    image: postgres\n";
            let imported = compose::import_compose(text, &Profile::default()).unwrap();
            let s = Studio::new(imported.profile.clone());
            let out = Exports::new(s);
            s.origin.set(Some(imported.origin));
            assert_eq!(out.yaml.get_untracked(), text);
            s.edit(|p| p.set("max-model-len", ArgValue::word("8192")));
            assert_eq!(out.yaml.get_untracked(), text.replace("4096", "8192"));
            s.origin.set(None);
            assert_eq!(
                out.yaml.get_untracked(),
                compose::to_yaml(&s.profile.get_untracked())
            );
        });
    }

    #[test]
    fn a_pasted_env_fills_the_variables_the_checks_read() {
        with_owner(|| {
            let mut p = reference_profile();
            p.set("max-model-len", ArgValue::word("${LEN}"));
            let s = Studio::new(p);
            let unresolved = |s: &Studio| {
                s.findings
                    .with_untracked(|f| f.iter().any(|x| x.id.as_str() == "variable-unresolved"))
            };
            assert!(unresolved(&s));
            s.dotenv.set("LEN=32768\n".into());
            assert!(!unresolved(&s));
            assert_eq!(
                s.effective
                    .with_untracked(|p| p.text("max-model-len"))
                    .as_deref(),
                Some("32768")
            );
            // The profile itself keeps the reference as written (links carry `${LEN}`).
            assert!(s
                .query
                .get_untracked()
                .contains("max-model-len=%24%7BLEN%7D"));
        });
    }

    #[test]
    fn a_cleared_and_retyped_flag_keeps_its_place() {
        with_owner(|| {
            let s = Studio::new(reference_profile());
            let names = |s: &Studio| {
                s.profile
                    .with_untracked(|p| p.args.iter().map(|a| a.name.clone()).collect::<Vec<_>>())
            };
            let before = names(&s);
            let at = before.iter().position(|n| n == "max-model-len").unwrap();
            assert!(at + 1 < before.len(), "not already last");
            // Clear the field (the flag goes), leave it, come back and type a value.
            s.edit_typing("max-model-len", |p| p.unset("max-model-len"));
            s.edit_typing("dtype", |p| p.set("dtype", ArgValue::word("auto")));
            s.edit_typing("max-model-len", |p| {
                p.set("max-model-len", ArgValue::word("32768"))
            });
            assert_eq!(names(&s), before);
        });
    }

    #[test]
    fn derived_values_follow_the_profile() {
        with_owner(|| {
            let s = Studio::new(reference_profile());
            let tokens_before = s.estimate.get_untracked().unwrap().kv_tokens;
            let errors_before = s.score.get_untracked().errors;
            let out = Exports::new(s);
            s.edit(|p| p.set("max-model-len", ArgValue::word("32768")));
            assert!(out.yaml.get_untracked().contains("--max-model-len 32768"));
            assert!(s.query.get_untracked().contains("max-model-len=32768"));
            assert_eq!(s.estimate.get_untracked().unwrap().kv_tokens, tokens_before);
            // The seed's 131072 is above what 0.33.0 derives; 32768 is within it.
            assert!(s.score.get_untracked().errors < errors_before);
            s.undo();
            assert_eq!(s.score.get_untracked().errors, errors_before);
        });
    }

    #[test]
    fn each_field_slice_follows_its_own_flag_only() {
        with_owner(|| {
            let s = Studio::new(reference_profile());
            let len = s.fields.value("max-model-len");
            let tp = s.fields.value("tensor-parallel-size");
            let tp_before = tp.get_untracked();
            s.edit(|p| p.set("max-model-len", ArgValue::word("32768")));
            assert_eq!(len.get_untracked(), Some(ArgValue::word("32768")));
            assert_eq!(tp.get_untracked(), tp_before);
            s.undo();
            assert_eq!(
                len.get_untracked(),
                reference_profile().get("max-model-len").cloned()
            );
            // Asking again gives the same slice's value.
            assert_eq!(
                s.fields.value("max-model-len").get_untracked(),
                len.get_untracked()
            );
        });
    }

    #[test]
    fn each_field_shows_its_own_findings_as_they_change() {
        with_owner(|| {
            let s = Studio::new(reference_profile());
            let len = s.fields.notes("max-model-len");
            let port = s.fields.notes("port");
            let invalid = |n: &Vec<FieldNote>| n.iter().any(|(_, id, _)| *id == "value-invalid");
            assert!(!len.with_untracked(invalid));
            let port_before = port.get_untracked();
            s.edit(|p| p.set("max-model-len", ArgValue::word("lots")));
            assert!(len.with_untracked(invalid), "{:?}", len.get_untracked());
            assert_eq!(
                port.get_untracked(),
                port_before,
                "another field's notes stay"
            );
            s.undo();
            assert!(!len.with_untracked(invalid));
            // A field asked for later starts with the current findings.
            s.edit(|p| p.set("gpu-memory-utilization", ArgValue::word("lots")));
            assert!(s
                .fields
                .notes("gpu-memory-utilization")
                .with_untracked(invalid));
        });
    }
}
