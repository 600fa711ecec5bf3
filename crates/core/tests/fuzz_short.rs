//! The short CI run of the decoders' fuzzer (`benches/fuzz_core.rs`): a few thousand mutated
//! inputs per decoder, none may panic, none may take over a second.
#[path = "../benches/fuzz_core.rs"]
mod fuzz_core;

#[test]
fn every_decoder_survives_mutated_real_inputs() {
    for decoder in fuzz_core::DECODERS {
        let (runs, slowest) = fuzz_core::fuzz(decoder, 3_000, 7);
        assert!(runs >= 3_000, "{decoder}");
        assert!(
            slowest.as_secs_f64() < 1.0,
            "{decoder}: slowest case {slowest:?}"
        );
    }
}
