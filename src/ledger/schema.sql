-- The payment ledger: what has been paid, ever. Every change is also a
-- record of the journal, whose sha256 chain `disburse ledger verify` checks.
--
-- Schema version 4. A payment row holds what the ledger decides on (who,
-- which month, which attempt, where the money went, where it stands); the
-- rest of its input row is in its batch's `accepted.csv`, whose sha256 the
-- batch's manifest records. Payments are clustered by beneficiary, their
-- end-to-end ids in a table of their own: each is written in its own key
-- order, so that a month's payments append to both instead of landing at
-- random in an index.

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
    id              INTEGER PRIMARY KEY,
    batch_id        TEXT NOT NULL UNIQUE,
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
    state           TEXT NOT NULL CHECK (state IN ('pending', 'published')),
    -- the roles that must sign the batch before its files go to the banks,
    -- comma-separated; empty: none, the batch is released when published
    approval_roles  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS bank_files (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL UNIQUE,
    batch        INTEGER NOT NULL REFERENCES batches (id),
    path         TEXT NOT NULL,
    bank_bin     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    transactions INTEGER NOT NULL,
    total_vnd    INTEGER NOT NULL
);

-- `status`: 0 sent, 1 pending, 2 accepted, 3 settled, 4 rejected,
-- 5 returned (`PaymentStatus`). `slot` is 0 while the payment is live and
-- its attempt once it failed, so that the primary key itself allows one
-- live payment per beneficiary, period and payment type: a second one only
-- after the first was rejected or returned.
CREATE TABLE IF NOT EXISTS payments (
    period          TEXT NOT NULL,
    payment_type    TEXT NOT NULL,
    beneficiary_key TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    attempt         INTEGER NOT NULL CHECK (attempt >= 1),
    end_to_end_id   TEXT NOT NULL,
    file            INTEGER NOT NULL REFERENCES bank_files (id),
    account         TEXT NOT NULL,
    amount_vnd      INTEGER NOT NULL CHECK (amount_vnd > 0),
    row             INTEGER NOT NULL,
    name            TEXT NOT NULL,
    -- the beneficiary's identifiers the key does not hold (`cid:…;code:…;birth:…`)
    identifiers     TEXT NOT NULL DEFAULT '',
    status          INTEGER NOT NULL CHECK (status BETWEEN 0 AND 5),
    reason_code     TEXT NOT NULL DEFAULT '',
    reason_text     TEXT NOT NULL DEFAULT '',
    CHECK (slot = CASE WHEN status IN (4, 5) THEN attempt ELSE 0 END),
    PRIMARY KEY (period, payment_type, beneficiary_key, slot)
) WITHOUT ROWID;

-- Every payment's end-to-end id, unique, and the payment it names.
CREATE TABLE IF NOT EXISTS end_to_end_ids (
    end_to_end_id   TEXT PRIMARY KEY,
    period          TEXT NOT NULL,
    payment_type    TEXT NOT NULL,
    beneficiary_key TEXT NOT NULL,
    attempt         INTEGER NOT NULL
) WITHOUT ROWID;

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

-- Signatures over a batch's manifest, one per role; one key signs one role
-- of a batch at most. `signature` is the Ed25519 signature of the
-- statement the approval file holds.
CREATE TABLE IF NOT EXISTS approvals (
    batch           INTEGER NOT NULL REFERENCES batches (id),
    role            TEXT NOT NULL,
    signer          TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    signed_at       TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    signature       TEXT NOT NULL,
    PRIMARY KEY (batch, role),
    UNIQUE (batch, public_key)
);

-- Batches whose files were handed over for the banks after approval: their
-- payments are sent from then on.
CREATE TABLE IF NOT EXISTS releases (
    batch           INTEGER PRIMARY KEY REFERENCES batches (id),
    released_at     TEXT NOT NULL,
    destination     TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL
);

-- Batches withdrawn before release (their payments rejected `VOID`, so
-- that a corrected list pays the same people): never sent to a bank.
CREATE TABLE IF NOT EXISTS voids (
    batch           INTEGER PRIMARY KEY REFERENCES batches (id),
    voided_at       TEXT NOT NULL,
    reason          TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS journal (
    seq       INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);

-- The payments as people read them (for `sqlite3` and audits): batch, bank
-- file and status by name.
CREATE VIEW IF NOT EXISTS payment_details AS
SELECT p.end_to_end_id, b.batch_id, f.message_id, p.period, p.payment_type,
       p.beneficiary_key, p.attempt, f.bank_bin, p.account, p.amount_vnd, p.row,
       p.name, p.identifiers,
       CASE p.status WHEN 0 THEN 'sent' WHEN 1 THEN 'pending' WHEN 2 THEN 'accepted'
                     WHEN 3 THEN 'settled' WHEN 4 THEN 'rejected' ELSE 'returned' END AS status,
       p.reason_code, p.reason_text
FROM payments p JOIN bank_files f ON f.id = p.file JOIN batches b ON b.id = f.batch;
