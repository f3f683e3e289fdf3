//! `disburse keygen`, `approve`, `release` and `verify`: the approval step
//! between a batch written and its files sent.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::approval::batch::{BatchDir, Contents};
use crate::approval::key::{self, KeyError};
use crate::approval::release::{self, Package, ReleaseError};
use crate::approval::statement::{Statement, short_key};
use crate::approval::{self, State, page, role_label};
use crate::cells::format_vnd;
use crate::cli::{ApproveArgs, KeygenArgs, ReleaseArgs, VerifyArgs, VoidArgs};
use crate::commands::{Failure, open_existing_ledger, print};
use crate::config::{Config, Signatories};
use crate::exit::Exit;
use crate::ledger::{ApprovalRecord, Ledger, ReleaseRecord, VoidRecord};
use crate::settings::RunSettings;

fn refused(exit: Exit, message: String, hint: Option<&str>) -> Failure {
    Failure::new(exit, anyhow::anyhow!(message), hint.map(str::to_owned))
}

impl From<KeyError> for Failure {
    fn from(e: KeyError) -> Failure {
        let hint = match &e {
            KeyError::Exposed { path, .. } => Some(format!("chmod 600 {}", path.display())),
            KeyError::WrongPassphrase(_) => {
                Some("nothing was signed; try again with your own key's passphrase".to_owned())
            }
            _ => None,
        };
        Failure::new(Exit::Signer, e, hint)
    }
}

/// A role as people read it: `Chief accountant (chief_accountant)`.
fn role_name(role: &str) -> String {
    let (vi, en) = role_label(role);
    if en == role {
        role.to_owned()
    } else {
        format!("{en} / {vi} ({role})")
    }
}

/// `disburse keygen`.
pub fn keygen(args: &KeygenArgs) -> Result<(), Failure> {
    let config = match &args.config {
        Some(path) => Config::load(path).map_err(|e| Failure::new(Exit::Config, e, None))?,
        None => Config::builtin(),
    };
    let roles = match config.required_roles() {
        r if r.is_empty() => config
            .approval
            .roles
            .clone()
            .unwrap_or_else(|| crate::config::DEFAULT_ROLES.map(str::to_owned).to_vec()),
        r => r,
    };
    if !roles.contains(&args.role) {
        return Err(Failure::usage(
            format!(
                "`{}` is not a role that signs: {}",
                args.role,
                roles.join(", ")
            ),
            "pass --role with one of the roles of [approval] in the office's configuration",
        ));
    }
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 140 || name.chars().any(char::is_control) {
        return Err(Failure::usage(
            "--name must be the approver's full name, 1 to 140 characters",
            "pass --name \"Nguyễn Thị Lan\"",
        ));
    }
    if args.out.exists() {
        return Err(refused(
            Exit::Output,
            format!("`{}` already exists", args.out.display()),
            Some("a key is never overwritten: name a new file with --out"),
        ));
    }
    let passphrase = key::passphrase(
        &format!("New passphrase for {}: ", args.out.display()),
        true,
    )?;
    if passphrase.chars().count() < key::MIN_PASSPHRASE {
        return Err(Failure::usage(
            format!(
                "the passphrase is shorter than {} characters",
                key::MIN_PASSPHRASE
            ),
            "choose a longer passphrase: it is all that protects the key if the file is copied",
        ));
    }
    let (pem, public) = key::generate(&passphrase)?;
    drop(passphrase);
    key::write_secret(&args.out, &pem).map_err(|e| Failure::new(Exit::Output, e, None))?;
    let public = key::public_key_text(&public);
    tracing::info!(role = %args.role, key = %short_key(&public), "key made");
    print(&format!(
        "# The secret key is in {} (readable by you only; keep it, and its passphrase, to yourself).\n\
         # Add this entry to the office's configuration:\n\
         [[approvers]]\n\
         name = {}\n\
         role = \"{}\"\n\
         public_key = \"{public}\"\n",
        args.out.display(),
        toml_string(name),
        args.role,
    ))
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The batch directory, read.
fn open_batch(dir: &Path) -> Result<BatchDir, Failure> {
    BatchDir::open(dir).map_err(|e| {
        Failure::new(
            Exit::Input,
            e,
            Some("name the directory `disburse run` wrote (it holds manifest.json)".to_owned()),
        )
    })
}

/// Every file of a whole batch is as its manifest says, or the first that
/// is not.
fn check_whole(batch: &BatchDir, action: &str) -> Result<(), Failure> {
    let (contents, problems) = batch.check_files();
    if contents == Contents::Package {
        return Err(refused(
            Exit::NotApproved,
            format!(
                "`{}` holds only bank files: it is a release, not the batch",
                batch.dir.display()
            ),
            Some("name the batch directory `disburse run` or the hot folder wrote"),
        ));
    }
    if let Some(first) = problems.first() {
        return Err(refused(
            Exit::NotApproved,
            format!("batch {}: {first}", batch.manifest.batch_id),
            Some(&format!(
                "nothing was {action}; a batch changed after it was made is never signed or sent: make a new one from the list"
            )),
        ));
    }
    Ok(())
}

/// The ledger of a batch: the one named, else the configuration's; needed
/// when the batch was recorded in one.
fn ledger_for(
    arg: Option<&Path>,
    config: &Config,
    batch: &BatchDir,
) -> Result<Option<Ledger>, Failure> {
    match arg.map(Path::to_owned).or_else(|| config.ledger.clone()) {
        Some(path) => Ok(Some(open_existing_ledger(&path)?)),
        None if batch.manifest.journal_head.is_some() => Err(Failure::usage(
            format!(
                "batch {} was recorded in a ledger: this command records in it too",
                batch.manifest.batch_id
            ),
            "pass --ledger FILE (the hot folder's is ROOT/ledger.sqlite), or set DISBURSE_LEDGER",
        )),
        None => Ok(None),
    }
}

/// The batch is the one the ledger recorded: same manifest, same bank
/// files. Its recorded roles.
fn check_recorded(ledger: &Ledger, batch: &BatchDir) -> Result<Vec<String>, Failure> {
    let id = &batch.manifest.batch_id;
    let Some((record, state)) = ledger.batch(id)? else {
        return Err(refused(
            Exit::Ledger,
            format!(
                "batch {id} is not in the ledger `{}`",
                ledger.path().display()
            ),
            Some("name the ledger the batch was recorded in"),
        ));
    };
    if state != "published" {
        return Err(refused(
            Exit::Ledger,
            format!("batch {id} is still {state} in the ledger"),
            None,
        ));
    }
    if record.manifest_sha256 != batch.manifest_sha256 {
        return Err(refused(
            Exit::NotApproved,
            format!(
                "batch {id}: manifest.json is not the manifest the ledger recorded: it was changed"
            ),
            Some("nothing was signed or sent; make a new batch from the list"),
        ));
    }
    let files = ledger.bank_files()?;
    for f in batch.bank_files() {
        let recorded = files
            .iter()
            .find(|r| r.batch_id == *id && Some(&r.message_id) == f.message_id.as_ref());
        if recorded.is_none_or(|r| r.sha256 != f.sha256 || r.path != f.path) {
            return Err(refused(
                Exit::NotApproved,
                format!(
                    "batch {id}: `{}` is not the bank file the ledger recorded",
                    f.path
                ),
                None,
            ));
        }
    }
    Ok(record.roles().map(str::to_owned).collect())
}

/// What is being signed, for the signer to read first.
fn describe(batch: &BatchDir) -> String {
    let m = &batch.manifest;
    let mut text = format!(
        "batch {} for {} ({})\n  rows       {} in the list: {} paid, {} rejected\n  total      {} đ\n  execution  {}\n  bank files\n",
        m.batch_id,
        m.period,
        m.office,
        m.totals.rows,
        m.totals.accepted,
        m.totals.rejected,
        format_vnd(m.totals.accepted_vnd),
        m.execution_date,
    );
    for f in batch.bank_files() {
        text.push_str(&format!(
            "    {:<12} {:<40} {:>8} payments {:>19} đ\n",
            f.bank_bin.as_deref().unwrap_or(""),
            f.path,
            f.transactions.unwrap_or(0),
            format_vnd(f.total_vnd.unwrap_or(0)),
        ));
    }
    text.push_str(&format!("  manifest   sha256 {}\n", batch.manifest_sha256));
    text
}

/// Who signed and what is missing.
fn describe_state(state: &State) -> String {
    if state.needs_none() {
        return "approval: this batch needs none (no approvers are configured)\n".to_owned();
    }
    let mut text = String::from("signatures\n");
    for role in &state.required {
        match state.signed.iter().find(|s| &s.role == role) {
            Some(s) => text.push_str(&format!(
                "  {}: signed by {}, {}\n",
                role_name(role),
                s.signer,
                s.signed_at
            )),
            None => text.push_str(&format!("  {}: not signed\n", role_name(role))),
        }
    }
    for p in &state.problems {
        text.push_str(&format!("  problem: {p}\n"));
    }
    text
}

fn confirm(question: &str) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "cannot ask for confirmation: standard input is not a terminal",
            "read what is shown, then pass --yes to sign",
        ));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(Failure::internal)?;
    Ok(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "c" | "có" | "co"
    ))
}

fn now() -> Result<String, Failure> {
    crate::clock::now()
        .map(|t| t.to_rfc3339())
        .map_err(|e| Failure::new(Exit::Config, anyhow::anyhow!(e), None))
}

/// `disburse approve`.
pub fn approve(args: &ApproveArgs) -> Result<(), Failure> {
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let config = &settings.config;
    let signatories = config.signatories();
    if signatories.approvers.is_empty() {
        return Err(refused(
            Exit::Config,
            "the configuration names no approvers: this office's batches need no approval"
                .to_owned(),
            Some(
                "add an [[approvers]] entry per signatory (`disburse keygen` prints one) and pass --config",
            ),
        ));
    }
    let batch = open_batch(&args.batch_dir)?;
    let id = batch.manifest.batch_id.clone();
    check_whole(&batch, "signed")?;
    let mut ledger = ledger_for(args.ledger.as_deref(), config, &batch)?;
    if let Some(ledger) = &ledger {
        check_recorded(ledger, &batch)?;
        if let Some(r) = ledger.release(&id)? {
            return Err(refused(
                Exit::Signer,
                format!(
                    "batch {id} was released on {}: it takes no more signatures",
                    r.released_at
                ),
                None,
            ));
        }
        refuse_voided(ledger, &id)?;
    }
    let passphrase = key::passphrase(&format!("Passphrase for {}: ", args.key.display()), false)?;
    let signing = key::open(&args.key, &passphrase)?;
    drop(passphrase);
    let public = signing.verifying_key();
    let Some(approver) = approval::approver_of(&signatories, &public).cloned() else {
        return Err(refused(
            Exit::Signer,
            format!(
                "this key (public key {}) is not a configured approver's",
                short_key(&key::public_key_text(&public))
            ),
            Some(
                "the office's configuration must name it in an [[approvers]] entry (`disburse keygen` printed it)",
            ),
        ));
    };
    let role = approver.role.clone();
    let required = approval::required_roles(&batch, &signatories);
    if !required.contains(&role) {
        return Err(refused(
            Exit::Signer,
            format!("batch {id} needs no signature as {}", role_name(&role)),
            None,
        ));
    }
    let state = approval::state(&batch, &signatories);
    let recorded = match &ledger {
        Some(l) => l.approvals(&id)?,
        None => Vec::new(),
    };
    if let Some(s) = state.signed.iter().find(|s| s.role == role) {
        return Err(refused(
            Exit::Signer,
            format!(
                "batch {id} is already signed as {} (by {}, {})",
                role_name(&role),
                s.signer,
                s.signed_at
            ),
            Some("each role signs once; nothing changed"),
        ));
    }
    if let Some(r) = recorded.iter().find(|r| r.role == role) {
        return Err(refused(
            Exit::Signer,
            format!(
                "the ledger holds a signature of batch {id} as {} (by {}, {}), but its approval file is missing or altered",
                role_name(&role),
                r.signer,
                r.signed_at
            ),
            Some("restore approvals/ from a copy; nothing changed"),
        ));
    }
    let text = key::public_key_text(&public);
    if let Some(other) = state
        .signed
        .iter()
        .find(|s| s.approval.statement.public_key == text)
        .map(|s| s.role.clone())
        .or_else(|| {
            recorded
                .iter()
                .find(|r| r.public_key == text)
                .map(|r| r.role.clone())
        })
    {
        return Err(refused(
            Exit::Signer,
            format!(
                "this key already signed batch {id} as {}: one key signs one role",
                role_name(&other)
            ),
            None,
        ));
    }
    if approval::approval_path(&batch, &role).exists() {
        let why = state
            .problems
            .iter()
            .find(|p| p.contains(&format!("/{role}.json")))
            .cloned()
            .unwrap_or_default();
        return Err(refused(
            Exit::NotApproved,
            format!(
                "batch {id}: an approval file for {} is already there and does not verify: {why}",
                role_name(&role)
            ),
            Some("remove the bad file after finding out who put it there; nothing was signed"),
        ));
    }
    let mut shown = describe(&batch);
    shown.push_str(&format!(
        "signing as {}: {}\n",
        role_name(&role),
        approver.name
    ));
    print(&shown)?;
    if !args.yes && !confirm("Sign this batch?")? {
        return print("not signed: nothing changed\n");
    }
    let signed = Statement::of(&batch, &approver, now()?).sign(&signing);
    drop(signing);
    let written = approval::write_approval(&batch, &signed).map_err(|e| {
        Failure::new(
            Exit::Output,
            anyhow::anyhow!(
                "cannot write the approval into `{}`: {e}",
                batch.dir.display()
            ),
            None,
        )
    })?;
    if !written {
        return Err(refused(
            Exit::Signer,
            format!("batch {id} was signed as {} meanwhile", role_name(&role)),
            Some("nothing changed"),
        ));
    }
    crate::failpoint::hit("approval-written");
    if let Some(ledger) = &mut ledger
        && let Err(e) = ledger.record_approval(&record_of(&batch, &signed))
    {
        let _ = std::fs::remove_file(approval::approval_path(&batch, &role));
        return Err(e.into());
    }
    tracing::info!(batch = %id, role = %role, "batch signed");
    let state = approval::state(&batch, &signatories);
    write_page(&batch, &state, None, config)?;
    let mut text = format!("signed: approvals/{role}.json\n{}", describe_state(&state));
    if state.approved() {
        text.push_str(&format!(
            "every required role has signed: hand the files over with `disburse release {} --to DIR`\n",
            batch.dir.display()
        ));
    } else {
        text.push_str(&format!(
            "still to sign: {}; send nothing to a bank until then\n",
            page::labels(&state.missing, true)
        ));
    }
    print(&text)
}

fn record_of(batch: &BatchDir, signed: &approval::statement::Approval) -> ApprovalRecord {
    let s = &signed.statement;
    ApprovalRecord {
        batch_id: batch.manifest.batch_id.clone(),
        role: s.role.clone(),
        signer: s.signer.clone(),
        public_key: s.public_key.clone(),
        signed_at: s.signed_at.clone(),
        manifest_sha256: s.manifest_sha256.clone(),
        signature: signed.signature.clone(),
    }
}

fn write_page(
    batch: &BatchDir,
    state: &State,
    released: Option<&str>,
    config: &Config,
) -> Result<(), Failure> {
    page::write(batch, state, released, &config.office.name).map_err(|e| {
        Failure::new(
            Exit::Output,
            anyhow::anyhow!("cannot write approvals/index.html: {e}"),
            None,
        )
    })
}

/// The approvals the ledger holds agree with the files; a valid file the
/// ledger lacks (a signature interrupted before it was recorded) is
/// recorded now.
fn reconcile(ledger: &mut Ledger, batch: &BatchDir, state: &State) -> Result<(), Failure> {
    let recorded = ledger.approvals(&batch.manifest.batch_id)?;
    for s in &state.signed {
        match recorded.iter().find(|r| r.role == s.role) {
            Some(r) if r.signature == s.approval.signature => {}
            Some(_) => {
                return Err(refused(
                    Exit::NotApproved,
                    format!(
                        "batch {}: approvals/{}.json is not the signature the ledger recorded",
                        batch.manifest.batch_id, s.role
                    ),
                    Some("restore approvals/ from a copy; nothing was released"),
                ));
            }
            None => ledger.record_approval(&record_of(batch, &s.approval))?,
        }
    }
    Ok(())
}

/// The bank packages of a release: every bank file in one directory.
fn release_batch(
    batch: &BatchDir,
    ledger: Option<&mut Ledger>,
    state: &State,
    packages: &[Package],
    config: &Config,
) -> Result<Vec<PathBuf>, Failure> {
    let dirs = release::copy(batch, packages, &state.signed).map_err(|e| match e {
        ReleaseError::Changed(_) => Failure::new(Exit::NotApproved, e, None),
        ReleaseError::Occupied(_) => Failure::new(
            Exit::Output,
            e,
            Some("name a new or empty directory with --to".to_owned()),
        ),
        ReleaseError::Publish(e) => e.into(),
    })?;
    let at = now()?;
    if let Some(ledger) = ledger {
        let destination = dirs
            .iter()
            .map(|d| {
                std::fs::canonicalize(d)
                    .unwrap_or_else(|_| d.clone())
                    .display()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(";");
        ledger.record_release(&ReleaseRecord {
            batch_id: batch.manifest.batch_id.clone(),
            released_at: at.clone(),
            destination,
            manifest_sha256: batch.manifest_sha256.clone(),
        })?;
    }
    crate::failpoint::hit("release-recorded");
    write_page(batch, state, Some(&at), config)?;
    tracing::info!(batch = %batch.manifest.batch_id, "batch released");
    Ok(dirs)
}

/// `disburse release`.
pub fn release(args: &ReleaseArgs) -> Result<(), Failure> {
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let config = &settings.config;
    let batch = open_batch(&args.batch_dir)?;
    let id = batch.manifest.batch_id.clone();
    let mut ledger = ledger_for(args.ledger.as_deref(), config, &batch)?;
    if let Some(ledger) = &ledger
        && let Some(r) = ledger.release(&id)?
    {
        return print(&format!(
            "batch {id} was already released on {} to {}; nothing changed\n",
            r.released_at, r.destination
        ));
    }
    if let Some(ledger) = &ledger {
        refuse_voided(ledger, &id)?;
    }
    check_whole(&batch, "released")?;
    let recorded_roles = match &ledger {
        Some(l) => check_recorded(l, &batch)?,
        None => Vec::new(),
    };
    let mut signatories = config.signatories();
    // The roles the ledger recorded the batch with are required as well.
    for role in recorded_roles {
        if !signatories.required_roles().contains(&role) {
            let mut roles = signatories.required_roles();
            roles.push(role);
            signatories.approval.roles = Some(roles);
        }
    }
    let state = approval::state(&batch, &signatories);
    if state.needs_none() {
        return print(&format!(
            "batch {id} needs no approval (no approvers are configured): its bank files were ready to send when it was written; nothing changed\n"
        ));
    }
    if !state.approved() {
        let mut why = Vec::new();
        if !state.missing.is_empty() {
            why.push(format!(
                "still to sign: {}",
                page::labels(&state.missing, true)
            ));
        }
        why.extend(state.problems.iter().cloned());
        return Err(refused(
            Exit::NotApproved,
            format!("batch {id} is not approved: {}", why.join("; ")),
            Some(&format!(
                "nothing was released, and `{}` was not touched; each signatory runs `disburse approve`",
                args.to.display()
            )),
        ));
    }
    if let Some(ledger) = &mut ledger {
        reconcile(ledger, &batch, &state)?;
    }
    let package = Package {
        dir: args.to.clone(),
        files: batch.bank_files().map(|f| f.path.clone()).collect(),
    };
    let dirs = release_batch(&batch, ledger.as_mut(), &state, &[package], config)?;
    print(&format!(
        "released batch {id}: {} bank file(s), the manifest and {} approval(s) in {}\n{}",
        batch.bank_files().count(),
        state.signed.len(),
        dirs[0].display(),
        describe_state(&state)
    ))
}

/// Releases the approved batches of a hot folder's outbox, each bank's file
/// into `tobank/<BIN>-<BANK>/<batch>/`; what was released.
pub fn release_approved(
    outbox: &Path,
    tobank: &Path,
    ledger: &mut Ledger,
    config: &Config,
) -> Vec<(String, Vec<PathBuf>)> {
    let signatories = config.signatories();
    let mut released = Vec::new();
    let Ok(entries) = std::fs::read_dir(outbox) else {
        return released;
    };
    let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.starts_with('.') || !dir.join("manifest.json").is_file() {
            continue;
        }
        let Ok(batch) = BatchDir::open(&dir) else {
            continue;
        };
        let id = batch.manifest.batch_id.clone();
        let roles = match ledger.batch(&id) {
            Ok(Some((record, state))) if state == "published" => {
                record.roles().map(str::to_owned).collect::<Vec<_>>()
            }
            _ => continue,
        };
        if roles.is_empty()
            || ledger.release(&id).ok().flatten().is_some()
            || ledger.void(&id).ok().flatten().is_some()
        {
            continue;
        }
        let state = approval::state(&batch, &signatories);
        if state.needs_none() || !state.approved() {
            continue;
        }
        let attempt = (|| -> Result<Vec<PathBuf>, Failure> {
            check_whole(&batch, "released")?;
            check_recorded(ledger, &batch)?;
            reconcile(ledger, &batch, &state)?;
            let packages: Vec<Package> = batch
                .bank_files()
                .map(|f| {
                    let stem = Path::new(&f.path)
                        .file_stem()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    Package {
                        dir: tobank.join(stem).join(&name),
                        files: vec![f.path.clone()],
                    }
                })
                .collect();
            release_batch(&batch, Some(ledger), &state, &packages, config)
        })();
        match attempt {
            Ok(dirs) => released.push((id, dirs)),
            Err(f) => tracing::error!("batch {id} is approved but was not released: {:#}", f.error),
        }
    }
    released
}

/// Refuses a batch that was withdrawn.
fn refuse_voided(ledger: &Ledger, id: &str) -> Result<(), Failure> {
    match ledger.void(id)? {
        Some(v) => Err(refused(
            Exit::NotApproved,
            format!(
                "batch {id} was withdrawn on {} ({}): it is never sent",
                v.voided_at, v.reason
            ),
            Some("pay its people from a corrected list"),
        )),
        None => Ok(()),
    }
}

/// `disburse void`.
pub fn void(args: &VoidArgs) -> Result<(), Failure> {
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let batch = open_batch(&args.batch_dir)?;
    let id = batch.manifest.batch_id.clone();
    let reason = args.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 || reason.chars().any(char::is_control) {
        return Err(Failure::usage(
            "--reason must say why, in at most 500 characters on one line",
            "pass --reason \"kế toán trưởng không duyệt: sai hệ số dòng 12\"",
        ));
    }
    let path = crate::commands::ledger_path(args.ledger.as_deref(), &settings)?;
    let mut ledger = open_existing_ledger(&path)?;
    let Some((record, _)) = ledger.batch(&id)? else {
        return Err(refused(
            Exit::Ledger,
            format!("batch {id} is not in the ledger `{}`", path.display()),
            None,
        ));
    };
    if record.manifest_sha256 != batch.manifest_sha256 {
        return Err(refused(
            Exit::NotApproved,
            format!("batch {id}: manifest.json is not the manifest the ledger recorded"),
            None,
        ));
    }
    if let Some(v) = ledger.void(&id)? {
        return print(&format!(
            "batch {id} was already withdrawn on {} ({}); nothing changed\n",
            v.voided_at, v.reason
        ));
    }
    if record.roles().next().is_none() {
        return Err(refused(
            Exit::NotApproved,
            format!(
                "batch {id} needed no approval: its files were ready for the banks when it was written, and may have been sent"
            ),
            Some("ask the banks; an answer that rejects its payments frees them for a re-issue"),
        ));
    }
    if let Some(r) = ledger.release(&id)? {
        return Err(refused(
            Exit::NotApproved,
            format!(
                "batch {id} was released on {} to {}: its files may be at the banks",
                r.released_at, r.destination
            ),
            Some("ask the banks; an answer that rejects its payments frees them for a re-issue"),
        ));
    }
    let at = now()?;
    let count = ledger.void_batch(&VoidRecord {
        batch_id: id.clone(),
        voided_at: at.clone(),
        reason: reason.to_owned(),
    })?;
    tracing::info!(batch = %id, payments = count, "batch withdrawn");
    print(&format!(
        "batch {id} withdrawn: its {count} payment(s) are rejected (VOID: {reason}); it is never sent. A corrected list pays the same people.\n"
    ))
}

/// `disburse verify`.
pub fn verify(args: &VerifyArgs) -> Result<(), Failure> {
    let signatories = match &args.config {
        Some(path) => Signatories::load(path).map_err(|e| Failure::new(Exit::Config, e, None))?,
        None => Signatories::default(),
    };
    let batch = open_batch(&args.batch_dir)?;
    let id = batch.manifest.batch_id.clone();
    let (contents, mut problems) = batch.check_files();
    let state = approval::state(&batch, &signatories);
    problems.extend(state.problems.iter().cloned());
    for role in &state.missing {
        if !state
            .problems
            .iter()
            .any(|p| p.contains(&format!("/{role}.json")))
        {
            problems.push(format!("no signature as {}", role_name(role)));
        }
    }
    if let Some(path) = &args.ledger {
        let ledger = open_existing_ledger(path)?;
        if let Err(f) = check_recorded(&ledger, &batch) {
            problems.push(format!("{:#}", f.error));
        } else {
            let recorded = ledger.approvals(&id)?;
            for s in &state.signed {
                if !recorded
                    .iter()
                    .any(|r| r.role == s.role && r.signature == s.approval.signature)
                {
                    problems.push(format!(
                        "approvals/{}.json is not a signature the ledger recorded",
                        s.role
                    ));
                }
            }
        }
    }
    let what = match contents {
        Contents::Batch => "the batch",
        Contents::Package => "a release",
    };
    let present = batch
        .bank_files()
        .filter(|f| batch.file(&f.path).is_ok())
        .count();
    let mut text = format!(
        "{} ({what}): {} of its {} bank file(s) here\n{}",
        describe(&batch).lines().next().unwrap_or_default(),
        present,
        batch.bank_files().count(),
        describe_state(&state)
    );
    if problems.is_empty() {
        text.push_str("verified: every file is the one the manifest names, and every required role signed this manifest\n");
        return print(&text);
    }
    for p in &problems {
        text.push_str(&format!("problem: {p}\n"));
    }
    print(&text)?;
    Err(refused(
        Exit::NotApproved,
        format!("batch {id} does not verify: {}", problems[0]),
        Some("do not load or send these files; ask the paying office"),
    ))
}
