/** Every RPC the emulator answers, by its proto method name. */

/** The four reads the emulator implements; the rest answer UNIMPLEMENTED. */
export const IMPLEMENTED_BILLING_METHODS = [
  'GetCurrentMonthUsage',
  'GetOrgBillingInformation',
  'GetInvoicesSummary',
  'GetInvoicePdf',
] as const;

export const UNIMPLEMENTED_BILLING_METHODS = [
  'SendPaymentRequiredEmail',
  'GetAvailableBillingTiers',
  'UpdateOrganizationBillingTier',
  'GetLocationBillingOrganization',
  'UpdateLocationBillingOrganization',
  'ChargeOrganization',
  'CreateInvoiceAndChargeImmediately',
] as const;

export type ImplementedBillingMethod = (typeof IMPLEMENTED_BILLING_METHODS)[number];
export type UnimplementedBillingMethod = (typeof UNIMPLEMENTED_BILLING_METHODS)[number];
export type BillingMethod = ImplementedBillingMethod | UnimplementedBillingMethod;
export type EmulatorMethod = 'Authenticate' | BillingMethod;

export const EMULATOR_METHODS: readonly EmulatorMethod[] = [
  'Authenticate',
  ...IMPLEMENTED_BILLING_METHODS,
  ...UNIMPLEMENTED_BILLING_METHODS,
];

/** grpc-js handler key for a method, e.g. `GetInvoicePdf` -> `getInvoicePdf`. */
export function handlerKey<M extends string>(method: M): Uncapitalize<M> {
  return `${method.charAt(0).toLowerCase()}${method.slice(1)}` as Uncapitalize<M>;
}
