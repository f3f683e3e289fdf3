//! `disburse generate`: writes a synthetic list.

use std::io::BufWriter;

use crate::cli::GenerateArgs;
use crate::commands::Failure;
use crate::generate::{Spec, write_csv, write_every_rule};

/// Runs the command.
pub fn run(args: &GenerateArgs) -> Result<(), Failure> {
    let file = std::fs::File::create(&args.out).map_err(|e| {
        Failure::internal(
            anyhow::Error::new(e).context(format!("cannot create `{}`", args.out.display())),
        )
    })?;
    let mut out = BufWriter::new(file);
    let result = if args.every_rule {
        write_every_rule(&mut out)
    } else {
        let base = crate::reference::Reference::builtin()
            .map_err(Failure::internal)?
            .base_levels
            .on(args.period.first_day())
            .unwrap_or(500_000);
        let spec = Spec {
            period: args.period,
            base,
            defects_per_million: args.defects_per_million,
            ..Spec::district(args.rows, args.seed)
        };
        write_csv(&mut out, &spec)
    };
    result
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(|e| {
            Failure::internal(
                anyhow::Error::new(e).context(format!("cannot write `{}`", args.out.display())),
            )
        })
}
