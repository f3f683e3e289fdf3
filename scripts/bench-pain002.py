"""A pain.002.001.12 for timing `disburse returns`: the largest bank file of
a ledger answered payment by payment, one in a hundred rejected (AC04), the
rest settled. Prints how many statuses it names.

    python3 scripts/bench-pain002.py LEDGER OUT.xml
"""
import sqlite3
import sys

ledger, out = sys.argv[1], sys.argv[2]
c = sqlite3.connect(ledger)
msg, n, total = c.execute(
    "SELECT message_id, transactions, total_vnd FROM bank_files ORDER BY transactions DESC LIMIT 1"
).fetchone()
ns = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.12"
with open(out, "w", encoding="utf-8") as f:
    f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{ns}"><CstmrPmtStsRpt>')
    f.write("<GrpHdr><MsgId>BENCH-STS-1</MsgId><CreDtTm>2024-01-10T10:00:00</CreDtTm></GrpHdr>\n")
    f.write(
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{msg}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>"
        f"<OrgnlNbOfTxs>{n}</OrgnlNbOfTxs><OrgnlCtrlSum>{total}</OrgnlCtrlSum><GrpSts>PART</GrpSts>"
        f"</OrgnlGrpInfAndSts>\n<OrgnlPmtInfAndSts><OrgnlPmtInfId>{msg}-1</OrgnlPmtInfId>\n"
    )
    rows = c.execute("SELECT end_to_end_id FROM payment_details WHERE message_id = ?", (msg,))
    for i, (e2e,) in enumerate(rows):
        if i % 100 == 0:
            f.write(
                f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
                "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>\n"
            )
        else:
            f.write(f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>\n")
    f.write("</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n")
print(n)
