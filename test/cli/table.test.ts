import { renderTable } from '../../src/cli/table';

describe('renderTable', () => {
  it('pads columns to the widest cell and right-aligns numbers', () => {
    const table = renderTable(
      [{ title: 'Line' }, { title: 'Cost', align: 'right' }],
      [
        ['Standard compute', '$1.00'],
        ['Egress', '$1,234.50'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'Line                   Cost',
      '----------------  ---------',
      'Standard compute      $1.00',
      'Egress            $1,234.50',
    ]);
  });
});
