//! What a command runs with: the office's configuration, the reference
//! tables, and how to read and report. Loaded once by each command (`run`,
//! `watch`, `returns`, `status`, `reissue`) and handed to the stages.

use std::path::Path;

use crate::config::{Config, ConfigError};
use crate::period::Period;
use crate::reference::{Reference, ReferenceError};

/// Why the settings cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The configuration cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A reference table cannot be used.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
}

/// What a run is given.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// The office's settings.
    pub config: Config,
    /// Reference tables.
    pub reference: Reference,
    /// The month paid, when given.
    pub period: Option<Period>,
    /// How to read lists (sheet, encoding).
    pub read: crate::ingest::ReadOptions,
    /// Refuse a list whose rows do not add up to its declared total.
    pub strict_totals: bool,
    /// Told each stage as it starts, for a progress display.
    pub progress: Progress,
}

/// A callback told the name of each stage of a run as it starts
/// (`reading`, `checking`, `writing`, `recording`).
#[derive(Clone, Default)]
pub struct Progress(Option<std::sync::Arc<dyn Fn(&'static str) + Send + Sync>>);

impl Progress {
    /// Calls `f` at each stage.
    pub fn new(f: impl Fn(&'static str) + Send + Sync + 'static) -> Progress {
        Progress(Some(std::sync::Arc::new(f)))
    }

    /// Announces a stage.
    pub fn stage(&self, name: &'static str) {
        if let Some(f) = &self.0 {
            f(name);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(on)"
        } else {
            "Progress(off)"
        })
    }
}

impl RunSettings {
    /// Settings from an optional configuration file: its reference tables
    /// when it names a directory, else the built-in ones.
    pub fn load(
        config_path: Option<&Path>,
        period: Option<Period>,
    ) -> Result<RunSettings, SettingsError> {
        let config = match config_path {
            Some(path) => Config::load(path)?,
            None => Config::builtin(),
        };
        let reference = match &config.schemas_dir {
            Some(dir) => Reference::load(dir)?,
            None => Reference::builtin()?,
        };
        Ok(RunSettings {
            config,
            reference,
            period,
            read: Default::default(),
            strict_totals: false,
            progress: Progress::default(),
        })
    }
}
