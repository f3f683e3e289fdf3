#!/usr/bin/env python3
"""Turns a batch's accepted.csv into the CSV the `pain001` PyPI package
reads, for scripts/bench.sh's side-by-side run: the same payments (end-to-end
id, amount, creditor name, account), one payment information block.

The peer's template wants IBAN-shaped accounts and BICs: Vietnamese accounts
are not IBANs, so each account is written `VN00` + the account number (the
XSD's IBAN pattern) and every agent is the debtor bank's BIC. Only the
shape differs; the payments and their count are the same.

    python3 scripts/peer-input.py OUT/accepted.csv peer.csv
"""
import csv
import sys

COLUMNS = (
    "id,date,nb_of_txs,initiator_name,payment_information_id,payment_method,"
    "batch_booking,ctrl_sum,service_level_code,requested_execution_date,"
    "debtor_name,debtor_account_IBAN,debtor_agent_BIC,charge_bearer,payment_id,"
    "payment_amount,currency,creditor_agent_BIC,creditor_name,"
    "creditor_account_IBAN,remittance_information,forwarding_agent_BIC,"
    "payment_currency"
).split(",")


def main(accepted, out):
    with open(accepted, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    count = len(rows)
    total = sum(int(r["amount_vnd"]) for r in rows)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i, r in enumerate(rows, start=1):
            w.writerow([
                i, "2024-01-15T08:00:00.000Z", count, "KHO BAC NHA NUOC HUYEN X",
                "BENCH-1", "TRF", "true", total, "NURG", "2024-01-20",
                "KHO BAC NHA NUOC HUYEN X", "VN003761012345678", "VBAAVNVX", "DEBT",
                r["end_to_end_id"], r["amount_vnd"], "VND", "VBAAVNVX",
                r["creditor_name"], "VN00" + r["account_number"],
                "TRO CAP THANG 01/2024", "VBAAVNVX", "VND",
            ])
    print(count)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
