import { resourceRouter } from "./api-app";
import { CREDIT_NOTE } from "./sales-docs";
import { mountSalesRoutes } from "./sales-routes";

export const creditNotesRoutes = resourceRouter();
mountSalesRoutes(creditNotesRoutes, CREDIT_NOTE);
