import { UsageCostType } from '../gen/viam/app/v1/billing';
import type { UsageCategory } from './model';

/**
 * What each of Viam's UsageCostType numbers means on a billing page: a stable key, the label Viam's
 * own page would print, and the category it is grouped under (docs "Monthly usage breakdown").
 * The enum grows with every new SKU, so numbers missing here are described, never dropped.
 */
export interface CostTypeInfo {
  key: string;
  label: string;
  category: UsageCategory;
}

const KNOWN_COST_TYPES: ReadonlyMap<number, CostTypeInfo> = new Map<number, CostTypeInfo>([
  // Legacy SKUs (deprecated, still sent by older billing periods and the flat fields).
  [
    UsageCostType.USAGE_COST_TYPE_DATA_UPLOAD,
    { key: 'data_upload', label: 'Cloud data upload', category: 'data_transfer' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_DATA_EGRESS,
    { key: 'data_egress', label: 'Cloud data egress', category: 'data_transfer' },
  ],
  [UsageCostType.USAGE_COST_TYPE_CLOUD_STORAGE, { key: 'cloud_storage', label: 'Cloud storage', category: 'storage' }],
  [
    UsageCostType.USAGE_COST_TYPE_OTHER_CLOUD_STORAGE,
    { key: 'other_cloud_storage', label: 'Other cloud storage', category: 'storage' },
  ],
  // Storage
  [
    UsageCostType.USAGE_COST_TYPE_BINARY_DATA_CLOUD_STORAGE,
    { key: 'binary_data_cloud_storage', label: 'Binary data storage', category: 'storage' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_TABULAR_DATA_CLOUD_STORAGE,
    { key: 'tabular_data_cloud_storage', label: 'Tabular data storage', category: 'storage' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_TABULAR_DATA_DATABASE_CLOUD_STORAGE,
    { key: 'tabular_data_database_cloud_storage', label: 'Recent data storage', category: 'storage' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_PIPELINE_SINK_CLOUD_STORAGE,
    { key: 'pipeline_sink_cloud_storage', label: 'Pipeline sink storage', category: 'storage' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_PACKAGES_CLOUD_STORAGE,
    { key: 'packages_cloud_storage', label: 'Packages storage', category: 'storage' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_CONFIG_HISTORY_CLOUD_STORAGE,
    { key: 'config_history_cloud_storage', label: 'Config history storage', category: 'storage' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_LOGS_CLOUD_STORAGE,
    { key: 'logs_cloud_storage', label: 'Logs storage', category: 'storage' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_TRAINING_LOGS_CLOUD_STORAGE,
    { key: 'training_logs_cloud_storage', label: 'ML training logs storage', category: 'storage' },
  ],
  // Compute
  [
    UsageCostType.USAGE_COST_TYPE_STANDARD_COMPUTE,
    { key: 'standard_compute', label: 'Standard compute', category: 'compute' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_TABULAR_DATA_DATABASE_COMPUTE,
    { key: 'tabular_data_database_compute', label: 'Recent data compute', category: 'compute' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_PIPELINE_SINK_COMPUTE,
    { key: 'pipeline_sink_compute', label: 'Pipeline sink compute', category: 'compute' },
  ],
  // Data transfer
  [
    UsageCostType.USAGE_COST_TYPE_BINARY_DATA_UPLOAD,
    { key: 'binary_data_upload', label: 'Binary data upload', category: 'data_transfer' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_TABULAR_DATA_UPLOAD,
    { key: 'tabular_data_upload', label: 'Tabular data upload', category: 'data_transfer' },
  ],
  [UsageCostType.USAGE_COST_TYPE_LOGS_UPLOAD, { key: 'logs_upload', label: 'Logs upload', category: 'data_transfer' }],
  [
    UsageCostType.USAGE_COST_TYPE_BINARY_DATA_EGRESS,
    { key: 'binary_data_egress', label: 'Binary data egress', category: 'data_transfer' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_TABULAR_DATA_EGRESS,
    { key: 'tabular_data_egress', label: 'Tabular data egress', category: 'data_transfer' },
  ],
  [UsageCostType.USAGE_COST_TYPE_LOGS_EGRESS, { key: 'logs_egress', label: 'Logs egress', category: 'data_transfer' }],
  [
    UsageCostType.USAGE_COST_TYPE_TRAINING_LOGS_EGRESS,
    { key: 'training_logs_egress', label: 'ML training logs egress', category: 'data_transfer' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_BINARY_DATA_CROSS_REGION_EGRESS,
    { key: 'binary_data_cross_region_egress', label: 'Binary data cross-region egress', category: 'data_transfer' },
  ],
  // Other
  [UsageCostType.USAGE_COST_TYPE_REMOTE_CONTROL, { key: 'remote_control', label: 'Remote control', category: 'other' }],
  [UsageCostType.USAGE_COST_TYPE_PER_MACHINE, { key: 'per_machine', label: 'Per-machine fee', category: 'other' }],
  [
    UsageCostType.USAGE_COST_TYPE_TRIGGER_NOTIFICATION,
    { key: 'trigger_notification', label: 'Trigger notifications', category: 'other' },
  ],
  [
    UsageCostType.USAGE_COST_TYPE_PREMIUM_MODULE,
    { key: 'premium_module', label: 'Premium modules', category: 'other' },
  ],
]);

const UNSPECIFIED: CostTypeInfo = { key: 'unspecified', label: 'Other charges', category: 'other' };

/** Key, label and category for any cost type number, including ones newer than this build. */
export function describeCostType(costType: number): CostTypeInfo {
  const known = KNOWN_COST_TYPES.get(costType);
  if (known) return known;
  if (costType === UsageCostType.USAGE_COST_TYPE_UNSPECIFIED) return UNSPECIFIED;
  return { key: `unknown_${costType}`, label: `Other charges (type ${costType})`, category: 'other' };
}

/** Every cost type number this build has a label for, in enum order. */
export function knownCostTypes(): number[] {
  return [...KNOWN_COST_TYPES.keys()].sort((a, b) => a - b);
}
