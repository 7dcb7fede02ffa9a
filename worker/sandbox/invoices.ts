import { resourceRouter } from "./api-app";
import { INVOICE } from "./sales-docs";
import { mountSalesRoutes } from "./sales-routes";

export const invoicesRoutes = resourceRouter();
mountSalesRoutes(invoicesRoutes, INVOICE);
