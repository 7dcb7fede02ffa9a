/** Wire shapes the pane receives from the Worker — one definition, from the pure core (docs/api-contract.md). */
import type { planToJson } from "../../../worker/domain/plan/report";
import type { Cell } from "../../../worker/domain/remittance/grid";
import type { RemittanceJson } from "../../../worker/domain/remittance/json";

export type { Cell, RemittanceJson };
export type PlanJson = ReturnType<typeof planToJson>;
export type PlanLineJson = PlanJson["lines"][number];
export type PlanDocumentJson = PlanJson["documents"][number];
export type PlanExceptionJson = PlanJson["exceptions"][number];
export type RemittancePaymentJson = RemittanceJson["payments"][number];
export type RemittanceLineJson = RemittancePaymentJson["lines"][number];

/** A value written to or read from a cell. Dates travel as ISO text. */
export type CellValue = string | number | boolean;
export type Row = CellValue[];
