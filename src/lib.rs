//! `disburse` pays monthly social assistance into beneficiaries' bank
//! accounts: a beneficiary list goes in; one ISO 20022 pain.001 file per
//! receiving bank and a reconciliation come out.
//!
//! The pipeline, one module a stage: [`ingest`] (files to rows), [`validate`]
//! (rows to accepted payments and diagnostics), [`route`] (payments to one
//! batch per bank), [`write`](mod@write) (batches to XML and the manifest, published
//! atomically) and [`report`] (listings and reconciliation); [`batch`] runs
//! them in order. [`ledger`] remembers every payment; [`returns`] reads the
//! banks' answers back into it.

pub mod approval;
pub mod batch;
pub mod cells;
pub mod changes;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod exit;
pub mod failpoint;
pub mod generate;
pub mod hotfolder;
pub mod ids;
pub mod ingest;
pub mod ledger;
pub mod period;
pub mod prepared;
pub mod reference;
pub mod report;
pub mod returns;
pub mod route;
pub mod rules;
pub mod settings;
pub mod text;
pub mod validate;
pub mod write;
