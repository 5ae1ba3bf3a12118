import { describeCostType, knownCostTypes } from '../../src/billing/cost-types';
import { UsageCostType } from '../../src/gen/viam/app/v1/billing';

describe('describeCostType', () => {
  it('knows every cost type of the generated enum', () => {
    const enumValues = Object.values(UsageCostType).filter(
      (value): value is number => typeof value === 'number' && value > 0,
    );
    expect(knownCostTypes()).toEqual(enumValues.sort((a, b) => a - b));
    for (const value of enumValues) {
      const info = describeCostType(value);
      expect(info.key).not.toMatch(/^unknown_/);
      expect(info.label).not.toMatch(/type \d+/);
    }
  });

  it('files each cost type under the category of Viam billing page', () => {
    const byCategory = (category: string) =>
      knownCostTypes().filter((costType) => describeCostType(costType).category === category);
    expect(byCategory('storage')).toEqual([5, 6, 7, 10, 11, 12, 13, 14, 22, 25]);
    expect(byCategory('compute')).toEqual([4, 23, 26]);
    expect(byCategory('data_transfer')).toEqual([1, 2, 15, 16, 17, 18, 19, 20, 21, 24]);
    expect(byCategory('other')).toEqual([3, 8, 9, 27]);
  });

  it('uses labels that read like the billing page', () => {
    expect(describeCostType(UsageCostType.USAGE_COST_TYPE_BINARY_DATA_CLOUD_STORAGE).label).toBe('Binary data storage');
    expect(describeCostType(UsageCostType.USAGE_COST_TYPE_TABULAR_DATA_UPLOAD).label).toBe('Tabular data upload');
    expect(describeCostType(UsageCostType.USAGE_COST_TYPE_REMOTE_CONTROL).label).toBe('Remote control');
    expect(describeCostType(UsageCostType.USAGE_COST_TYPE_STANDARD_COMPUTE).label).toBe('Standard compute');
    expect(describeCostType(UsageCostType.USAGE_COST_TYPE_PER_MACHINE).label).toBe('Per-machine fee');
    expect(describeCostType(UsageCostType.USAGE_COST_TYPE_PREMIUM_MODULE)).toEqual({
      key: 'premium_module',
      label: 'Premium modules',
      category: 'other',
    });
  });

  it('keys are the enum names without the prefix, lowercased', () => {
    for (const costType of knownCostTypes()) {
      const name = UsageCostType[costType] as string;
      expect(describeCostType(costType).key).toBe(name.replace(/^USAGE_COST_TYPE_/, '').toLowerCase());
    }
  });

  it('describes numbers newer than this build, and UNSPECIFIED, as other charges', () => {
    expect(describeCostType(42)).toEqual({ key: 'unknown_42', label: 'Other charges (type 42)', category: 'other' });
    expect(describeCostType(0)).toEqual({ key: 'unspecified', label: 'Other charges', category: 'other' });
    expect(describeCostType(-1).key).toBe('unknown_-1');
  });
});
