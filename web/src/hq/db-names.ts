// TEMP until the control/hq db kinds land in design-docs/lib/names.ts.
export const hqDbName = (tenant: string) => `lapak_${tenant}_hq`;
export const controlDbName = (tenant: string, store: string) => `lapak_${tenant}_${store}_control`;
