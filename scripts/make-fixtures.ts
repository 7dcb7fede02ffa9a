/**
 * Writes the remittance fixtures that are generated rather than hand-written: the two-section XLSX exports
 * (as SheetJS writes them, with numeric amounts, Excel date serials and text invoice numbers) and the
 * Amazon-shaped X12 820s of the worked example. Run: npx tsx scripts/make-fixtures.ts
 */
import { writeFileSync } from "node:fs";
import * as XLSX from "@e965/xlsx";

const out = new URL("../test/fixtures/", import.meta.url);

/** Excel serial for a calendar date (1900 system, epoch 1899-12-30). */
function serial(y: number, m: number, d: number): number {
  return (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/** The 13-column invoice-lines header of the US export (written twice: exports may repeat it). */
const LINES_HEADER = [
  "Payment Number",
  "Invoice Number",
  "Invoice Date",
  "Transaction type",
  "Transaction Description",
  "Reference Details",
  "Original Invoice Number",
  "Invoice Amount",
  "Invoice Currency",
  "Withholding Amount",
  "Terms Discount Taken",
  "Amount Paid",
  "Remaining Amount",
];

function xlsxUs(): void {
  const rows: unknown[][] = [
    ["Amazon Vendor Central — Remittance export"],
    ["Vendor code: ACME1", null, null, "Generated 2026-02-11"],
    [],
    [
      "Payment Number",
      "Payment Date",
      "Invoice Currency",
      "Amount in Invoice Currency",
      "Payment Currency",
      "Amount in Payment Currency",
      "Exchange Rate",
      "Payment Type",
      "Payment Status",
      "Payment Voided Reason",
    ],
    ["40311877", serial(2026, 2, 10), "USD", 12770, "USD", 12770, 1, "ACH", "Paid", null],
    ["40311999", serial(2026, 2, 17), "USD", 1234.56, "USD", 1234.56, 1, "ACH", "Paid", null],
    [],
    ["Invoices"],
    LINES_HEADER,
    [
      "40311877",
      "INV-A",
      serial(2026, 1, 5),
      "Invoice",
      "Payments",
      "PO 2JK3S9VC",
      null,
      10000,
      "USD",
      0,
      200,
      9800,
      0,
    ],
    [
      "40311877",
      "INV-B",
      serial(2026, 1, 12),
      "Invoice",
      "Payments",
      "PO 3TRD2IAB",
      null,
      5000,
      "USD",
      0,
      0,
      5000,
      0,
    ],
    [
      "40311877",
      "INV-BSC",
      serial(2026, 2, 3),
      "Financial Debit Note Invoice",
      "Quantity shortage",
      null,
      "INV-B",
      -300,
      "USD",
      0,
      0,
      -300,
      0,
    ],
    [
      "40311877",
      "123VCBSINV",
      serial(2026, 1, 28),
      "Others",
      null,
      "ASN accuracy",
      null,
      -150,
      "USD",
      0,
      0,
      -150,
      0,
    ],
    [
      "40311877",
      "3210-00000001",
      serial(2026, 1, 31),
      "Financial Debit Note Invoice",
      "COOP",
      "Agreement 991 MDF",
      null,
      -1000,
      "USD",
      0,
      0,
      -1000,
      0,
    ],
    [
      "40311877",
      "260201_PROVISION_FOR_RECEIVABLES",
      serial(2026, 2, 1),
      "Provision deduction",
      "Provision for aged receivable",
      null,
      null,
      -500,
      "USD",
      0,
      0,
      -500,
      0,
    ],
    [
      "40311877",
      "INV-CPC",
      serial(2026, 2, 4),
      "Financial Debit Note Invoice",
      "Price variance",
      null,
      "INV-C",
      -80,
      "USD",
      0,
      0,
      -80,
      0,
    ],
    // A second header block, as exports of several payments sometimes repeat it.
    [],
    LINES_HEADER,
    [
      "40311999",
      "000123",
      serial(2026, 1, 20),
      "Invoice",
      "Payments",
      null,
      null,
      1334.56,
      "USD",
      0,
      0,
      1334.56,
      0,
    ],
    [
      "40311999",
      "000123SCR",
      serial(2026, 2, 12),
      "Financial Debit Note Invoice",
      "Quantity shortage reversal",
      null,
      "000123",
      50,
      "USD",
      0,
      0,
      50,
      0,
    ],
    [
      "40311999",
      "000123SC",
      serial(2026, 2, 2),
      "Financial Debit Note Invoice",
      "Quantity shortage",
      null,
      "000123",
      -150,
      "USD",
      0,
      0,
      -150,
      0,
    ],
  ];
  const ws = XLSX.utils.aoa_to_sheet(rows);
  // Invoice numbers are text (leading zeros must survive); dates carry a date format.
  for (const addr of Object.keys(ws)) {
    if (addr.startsWith("!")) continue;
    const cell = ws[addr] as XLSX.CellObject;
    const { c, r } = XLSX.utils.decode_cell(addr);
    if (cell.t === "n" && ((c === 1 && r === 4) || (c === 1 && r === 5) || (c === 2 && r >= 9)))
      cell.z = "mm/dd/yyyy";
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, "Remittance");
  writeFileSync(
    new URL("remittances/us-two-section.xlsx", out),
    XLSX.write(wb, { type: "buffer", bookType: "xlsx" }),
  );
}

function xlsxUk(): void {
  // UK: Net Amount Paid, single Description column, dates as DD/MM/YYYY text, amounts as £ strings.
  const rows: unknown[][] = [
    ["Payment Number", "Payment Date", "Invoice Currency", "Amount in Invoice Currency"],
    ["77120045", "13/03/2026", "GBP", "£4,310.25"],
    [],
    ["Invoices"],
    [
      "Payment Number",
      "Invoice Number",
      "Invoice Date",
      "Description",
      "Reference Details",
      "Original Invoice Number",
      "Invoice Amount",
      "Invoice Currency",
      "Withholding Amount",
      "Terms Discount Taken",
      "Net Amount Paid",
      "Remaining Amount",
    ],
    [
      "77120045",
      "UK-1001",
      "02/02/2026",
      "Payments",
      "PO 7YH2KK1Q",
      "",
      "£3,000.00",
      "GBP",
      "£0.00",
      "£60.00",
      "£2,940.00",
      "£0.00",
    ],
    [
      "77120045",
      "UK-1002",
      "16/02/2026",
      "Payments",
      "PO 7YH2KK1R",
      "",
      "£1,500.50",
      "GBP",
      "£0.00",
      "£0.00",
      "£1,500.50",
      "£0.00",
    ],
    [
      "77120045",
      "4411-00000017",
      "28/02/2026",
      "COOP – Service agreement",
      "Account support Feb",
      "",
      "-£105.25",
      "GBP",
      "£0.00",
      "£0.00",
      "-£105.25",
      "£0.00",
    ],
    [
      "77120045",
      "UK-1001SC",
      "10/03/2026",
      "Quantity shortage",
      "",
      "UK-1001",
      "(£25.00)",
      "GBP",
      "£0.00",
      "£0.00",
      "(£25.00)",
      "£0.00",
    ],
  ];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), "Sheet1");
  writeFileSync(
    new URL("remittances/uk-description-column.xlsx", out),
    XLSX.write(wb, { type: "buffer", bookType: "xlsx" }),
  );
}

/** An X12 820 from segments: ST/SE wrapped, SE01 counted, ISA/GS/GE/IEA envelopes. */
function x12(body: string[][], control: string): string {
  const seg = (e: string[]) => `${e.join("*")}~`;
  const st = [["ST", "820", "0001"], ...body];
  const lines = [
    "ISA*00*          *00*          *ZZ*AMAZON         *ZZ*ACMEVENDOR     *260210*1200*U*00401*" +
      control +
      "*0*P*>~",
    seg(["GS", "RA", "AMAZON", "ACMEVENDOR", "20260210", "1200", "101", "X", "004010"]),
    ...st.map(seg),
    seg(["SE", String(st.length + 1), "0001"]),
    seg(["GE", "1", "101"]),
    seg(["IEA", "1", control]),
  ];
  return `${lines.join("\n")}\n`;
}

const HEADER = [
  [
    "BPR",
    "C",
    "12770",
    "C",
    "ACH",
    "CTX",
    "01",
    "111000025",
    "DA",
    "123456789",
    "1234567890",
    "",
    "01",
    "021000021",
    "DA",
    "987654321",
    "20260210",
  ],
  ["TRN", "1", "40311877", "1234567890"],
  ["CUR", "PR", "USD"],
  ["N1", "PR", "AMAZON.COM SERVICES LLC"],
  ["N1", "PE", "ACME SUPPLY CO", "92", "ACME1"],
  ["ENT", "1"],
];

function x12Adx(): void {
  // Deductions as ADX under the invoices they hit; co-op, chargeback and provision as entity-level ADX.
  const body = [
    ...HEADER,
    ["RMR", "IV", "INV-A", "PI", "9800", "10000", "200"],
    ["REF", "PO", "2JK3S9VC"],
    ["DTM", "003", "20260105"],
    ["RMR", "IV", "INV-B", "PI", "4700", "5000", "0"],
    ["REF", "PO", "3TRD2IAB"],
    ["DTM", "003", "20260112"],
    ["ADX", "-300", "06", "IV", "INV-BSC"],
    ["RMR", "IV", "INV-C", "PI", "-80", "0", "0"],
    ["ADX", "-80", "01", "IV", "INV-CPC"],
    ["ENT", "2"],
    ["ADX", "-150", "ZZ", "IV", "123VCBSINV"],
    ["ADX", "-1000", "56", "IV", "3210-00000001"],
    ["ADX", "-500", "ZZ", "IV", "260201_PROVISION_FOR_RECEIVABLES"],
  ];
  writeFileSync(new URL("x12/amazon-820-adx.edi", out), x12(body, "000000101"));
}

function x12RmrLines(): void {
  // Deductions as their own negative RMR lines, carrying Amazon's document numbers.
  const body = [
    ...HEADER,
    ["RMR", "IV", "INV-A", "PI", "9800", "10000", "200"],
    ["REF", "PO", "2JK3S9VC"],
    ["DTM", "003", "20260105"],
    ["RMR", "IV", "INV-B", "PI", "5000", "5000", "0"],
    ["REF", "PO", "3TRD2IAB"],
    ["RMR", "CR", "INV-BSC", "PI", "-300"],
    ["RMR", "CR", "123VCBSINV", "PI", "-150"],
    ["RMR", "CR", "3210-00000001", "PI", "-1000"],
    ["RMR", "CR", "260201_PROVISION_FOR_RECEIVABLES", "PI", "-500"],
    ["RMR", "IV", "INV-CPC", "PI", "-80"],
  ];
  writeFileSync(new URL("x12/amazon-820-rmr-lines.edi", out), x12(body, "000000102"));
}

xlsxUs();
xlsxUk();
x12Adx();
x12RmrLines();
console.log("fixtures written");
