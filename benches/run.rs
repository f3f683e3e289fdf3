//! Throughput of `disburse run` end to end (read, validate, route, write
//! every file with its sha256, publish) on generated lists of the district
//! size (3,631 rows) and of a province or ministry run (1,000,000 rows),
//! and of the same run recorded in a new ledger (as `--ledger` and the hot
//! folder do) at 100,000 rows.
//! `scripts/bench.sh` measures whole-process wall time and peak memory.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use disburse::batch;
use disburse::generate::{Spec, write_csv};
use disburse::ledger::Ledger;
use disburse::settings::RunSettings;

fn input(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join(format!("list-{rows}.csv"));
    let spec = Spec {
        defects_per_million: 3000,
        ..Spec::district(rows, 2024)
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_csv(&mut out, &spec).unwrap();
    path
}

fn bench_run(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let settings = RunSettings::load(None, Some("2024-01".parse().unwrap())).unwrap();
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    for rows in [3_631, 1_000_000] {
        let list = input(dir.path(), rows);
        group.throughput(Throughput::Elements(rows as u64));
        let mut n = 0;
        group.bench_function(format!("{rows}_rows"), |b| {
            b.iter(|| {
                n += 1;
                let out = dir.path().join(format!("out-{rows}-{n}"));
                let result = batch::prepare(&list, &settings).unwrap();
                batch::write(&result, &out).unwrap();
                std::fs::remove_dir_all(&out).unwrap();
            })
        });
    }
    group.finish();
}

fn bench_recorded(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let settings = RunSettings::load(None, Some("2024-01".parse().unwrap())).unwrap();
    let mut group = c.benchmark_group("run_recorded");
    group.sample_size(10);
    let rows = 100_000;
    let list = input(dir.path(), rows);
    group.throughput(Throughput::Elements(rows as u64));
    let mut n = 0;
    group.bench_function(format!("{rows}_rows"), |b| {
        b.iter(|| {
            n += 1;
            // A new ledger each time: the same list twice is one batch.
            let work = dir.path().join(format!("recorded-{n}"));
            let mut ledger = Ledger::open(&work.join("ledger.sqlite")).unwrap();
            let out = work.join("out");
            batch::run_recorded(
                &list,
                "list.csv",
                &|_| out.clone(),
                &settings,
                &mut ledger,
                "list.csv",
            )
            .unwrap();
            drop(ledger);
            std::fs::remove_dir_all(&work).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, bench_run, bench_recorded);
criterion_main!(benches);
