//! `newsdex train-ner`: trains the entity tagger on the open corpora and
//! writes the model that `Extractor::load` embeds.

use crate::cli::TrainNerArgs;
use crate::entities::tagger::Model;
use crate::entities::{load_gazetteer, train};
use crate::exit::Status;

pub fn run(args: TrainNerArgs) -> anyhow::Result<Status> {
    let gaz = load_gazetteer()?;
    let opts = train::Options {
        corpora: args.corpora,
        epochs: args.epochs,
        bits: args.bits,
        seed: args.seed,
    };
    let started = std::time::Instant::now();
    let (feats, weights) = train::train(&gaz, &opts, &mut |line| eprintln!("train-ner: {line}"))?;
    Model::save(&args.output, feats.bits, &feats.lower, &weights)?;
    let size = std::fs::metadata(&args.output)
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!(
        "train-ner: wrote {} ({:.1} MB) in {:.1} s",
        args.output.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(Status::Success)
}
