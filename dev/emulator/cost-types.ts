import { UsageCostType } from '../../src/gen/viam/app/v1/billing';

/**
 * The cost types the fixture may name, with the printed label the invoice PDF uses. The names are
 * Viam's enum names without the `USAGE_COST_TYPE_` prefix, so fixture files stay readable.
 * Kept here rather than borrowed from the app so the emulator never depends on the code it tests.
 */
export const COST_TYPE_LABELS: Readonly<Record<string, string>> = {
  DATA_UPLOAD: 'Data upload (legacy)',
  DATA_EGRESS: 'Data egress (legacy)',
  REMOTE_CONTROL: 'Remote control sessions',
  STANDARD_COMPUTE: 'Standard compute',
  CLOUD_STORAGE: 'Cloud storage (legacy)',
  BINARY_DATA_CLOUD_STORAGE: 'Image and video data storage',
  OTHER_CLOUD_STORAGE: 'Other cloud storage (legacy)',
  PER_MACHINE: 'Per-machine charges',
  TRIGGER_NOTIFICATION: 'Trigger notifications',
  TABULAR_DATA_CLOUD_STORAGE: 'Tabular data storage',
  CONFIG_HISTORY_CLOUD_STORAGE: 'Config history storage',
  LOGS_CLOUD_STORAGE: 'Logs storage',
  TRAINING_LOGS_CLOUD_STORAGE: 'ML training logs storage',
  PACKAGES_CLOUD_STORAGE: 'Packages storage',
  BINARY_DATA_UPLOAD: 'Binary data upload',
  TABULAR_DATA_UPLOAD: 'Tabular data upload',
  LOGS_UPLOAD: 'Logs upload',
  BINARY_DATA_EGRESS: 'Binary data egress',
  TABULAR_DATA_EGRESS: 'Tabular data egress',
  LOGS_EGRESS: 'Logs egress',
  TRAINING_LOGS_EGRESS: 'ML training logs egress',
  TABULAR_DATA_DATABASE_CLOUD_STORAGE: 'Recent data storage',
  TABULAR_DATA_DATABASE_COMPUTE: 'Recent data compute',
  BINARY_DATA_CROSS_REGION_EGRESS: 'Binary data cross-region egress',
  PIPELINE_SINK_CLOUD_STORAGE: 'Pipeline sink storage',
  PIPELINE_SINK_COMPUTE: 'Pipeline sink compute',
  PREMIUM_MODULE: 'Premium modules',
};

export const COST_TYPE_NAMES: readonly string[] = Object.keys(COST_TYPE_LABELS);

/** Enum number for a fixture cost type name, or undefined when the generated enum has no such value. */
export function costTypeNumber(name: string): number | undefined {
  const value = (UsageCostType as unknown as Record<string, number | undefined>)[`USAGE_COST_TYPE_${name}`];
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** Printed label for an enum number, falling back to the number for types newer than this list. */
export function costTypeLabel(costType: number): string {
  const name = (UsageCostType as unknown as Record<number, string | undefined>)[costType];
  const label = name === undefined ? undefined : COST_TYPE_LABELS[name.replace(/^USAGE_COST_TYPE_/, '')];
  return label ?? `Other charges (type ${costType})`;
}
