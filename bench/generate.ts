/**
 * A deterministic, realistic US Vendor Central remittance export of N lines (CSV text), for benchmarks.
 * Mix per payment: vendor invoices, shortage and price claims on them, chargebacks, co-op, provisions.
 */
export function generateUsCsv(lines: number, linesPerPayment = 1000): string {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const money = (cents: number) => {
    const neg = cents < 0;
    const abs = Math.abs(cents);
    const int = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    const text = `$${int}.${String(abs % 100).padStart(2, "0")}`;
    return `"${neg ? "-" : ""}${text}"`;
  };
  const date = (d: number) => {
    const dt = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000);
    return `${String(dt.getUTCMonth() + 1).padStart(2, "0")}/${String(dt.getUTCDate()).padStart(2, "0")}/${dt.getUTCFullYear()}`;
  };
  const payments: { number: string; day: number; rows: string[]; total: number }[] = [];
  let invoiceSeq = 100000;
  for (let done = 0; done < lines; ) {
    const p = {
      number: String(40000000 + payments.length),
      day: 40 + (payments.length % 300),
      rows: [] as string[],
      total: 0,
    };
    const n = Math.min(linesPerPayment, lines - done);
    const invoices: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = rand();
      let doc: string;
      let type: string;
      let desc: string;
      let orig = "";
      let cents: number;
      if (invoices.length === 0 || r < 0.6) {
        doc = `INV-${invoiceSeq++}`;
        invoices.push(doc);
        type = "Invoice";
        desc = "Payments";
        cents = 10_000 + Math.floor(rand() * 5_000_000);
      } else {
        const target = invoices[Math.floor(rand() * invoices.length)] ?? "INV-0";
        cents = -(100 + Math.floor(rand() * 50_000));
        if (r < 0.75) {
          doc = `${target}SC`;
          type = "Financial Debit Note Invoice";
          desc = "Quantity shortage";
          orig = target;
        } else if (r < 0.83) {
          doc = `${target}PC`;
          type = "Financial Debit Note Invoice";
          desc = "Price variance";
          orig = target;
        } else if (r < 0.91) {
          doc = `${Math.floor(rand() * 1e9)}VCBSINV`;
          type = "Others";
          desc = "";
        } else if (r < 0.97) {
          doc = `3210-${String(Math.floor(rand() * 1e8)).padStart(8, "0")}`;
          type = "Financial Debit Note Invoice";
          desc = "COOP";
        } else {
          // One provision number per payment date, as Amazon's are (YYMMDD of the calculation).
          doc = `${date(p.day).slice(8)}${date(p.day).slice(0, 2)}${date(p.day).slice(3, 5)}_PROVISION_FOR_RECEIVABLES`;
          type = "Provision deduction";
          desc = "Provision for aged receivable";
        }
      }
      p.total += cents;
      p.rows.push(
        [
          p.number,
          doc,
          date(p.day - 30 + (i % 25)),
          type,
          desc,
          `PO ${(i * 7919) % 100000}`,
          orig,
          money(cents),
          "USD",
          "$0.00",
          "$0.00",
          money(cents),
          "$0.00",
        ].join(","),
      );
    }
    done += n;
    payments.push(p);
  }
  const out = ["Remittance advice - BENCH1", ""];
  out.push(
    "Payment Number,Payment Date,Invoice Currency,Amount in Invoice Currency,Payment Currency,Amount in Payment Currency,Exchange Rate,Payment Type,Payment Status,Payment Voided Reason",
  );
  for (const p of payments)
    out.push(
      [p.number, date(p.day), "USD", money(p.total), "USD", money(p.total), "1", "ACH", "Paid", ""].join(","),
    );
  out.push("", "Invoices");
  out.push(
    "Payment Number,Invoice Number,Invoice Date,Transaction type,Transaction Description,Reference Details,Original Invoice Number,Invoice Amount,Invoice Currency,Withholding Amount,Terms Discount Taken,Amount Paid,Remaining Amount",
  );
  for (const p of payments) out.push(...p.rows);
  return `${out.join("\n")}\n`;
}
