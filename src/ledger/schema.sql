-- The payment ledger: what has been paid, ever. Every change is also a
-- record of the journal, whose sha256 chain `disburse ledger verify` checks.

CREATE TABLE IF NOT EXISTS inputs (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    received_at TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('batch', 'refused', 'failed')),
    batch_id    TEXT,
    detail      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS batches (
    batch_id        TEXT PRIMARY KEY,
    -- one batch per input file, whatever its name
    input_sha256    TEXT NOT NULL UNIQUE,
    input_file      TEXT NOT NULL,
    source          TEXT NOT NULL,
    period          TEXT NOT NULL,
    office          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    out_dir         TEXT NOT NULL,
    staging_dir     TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    accepted        INTEGER NOT NULL,
    accepted_vnd    INTEGER NOT NULL,
    rejected        INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'published'))
);

CREATE TABLE IF NOT EXISTS bank_files (
    message_id   TEXT PRIMARY KEY,
    batch_id     TEXT NOT NULL REFERENCES batches (batch_id),
    path         TEXT NOT NULL,
    bank_bin     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    transactions INTEGER NOT NULL,
    total_vnd    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS payments (
    end_to_end_id    TEXT PRIMARY KEY,
    batch_id         TEXT NOT NULL REFERENCES batches (batch_id),
    message_id       TEXT NOT NULL REFERENCES bank_files (message_id),
    period           TEXT NOT NULL,
    payment_type     TEXT NOT NULL,
    beneficiary_key  TEXT NOT NULL,
    attempt          INTEGER NOT NULL CHECK (attempt >= 1),
    bank_bin         TEXT NOT NULL,
    account          TEXT NOT NULL,
    amount_vnd       INTEGER NOT NULL CHECK (amount_vnd > 0),
    row              INTEGER NOT NULL,
    name             TEXT NOT NULL,
    source_row       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('sent', 'pending', 'accepted', 'settled', 'rejected', 'returned')),
    reason_code      TEXT NOT NULL DEFAULT '',
    reason_text      TEXT NOT NULL DEFAULT '',
    UNIQUE (period, payment_type, beneficiary_key, attempt)
);

-- One live payment per beneficiary, period and payment type: a second one
-- is possible only after the first was rejected or returned.
CREATE UNIQUE INDEX IF NOT EXISTS one_live_payment
    ON payments (period, payment_type, beneficiary_key)
    WHERE status NOT IN ('rejected', 'returned');

-- Bank answers read (pain.002, camt.054, camt.053): one row per file, so
-- that reading the same file again changes nothing.
CREATE TABLE IF NOT EXISTS answers (
    sha256      TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    received_at TEXT NOT NULL,
    updated     INTEGER NOT NULL,
    unmatched   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS journal (
    seq       INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);
