import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/config';

describe('the fulfilment settings (issue 12)', () => {
  it('default to 10 days to the automatic receipt and a 7-day return window, each set by its env var', () => {
    expect(stageConfig('dev', {}).fulfilment).toEqual({ autoReceiveDays: 10, returnWindowDays: 7 });
    expect(stageConfig('prod', { MALL_AUTO_RECEIVE_DAYS: '14', MALL_RETURN_WINDOW_DAYS: '30' }).fulfilment).toEqual({
      autoReceiveDays: 14,
      returnWindowDays: 30,
    });
  });

  it('refuse anything but a positive whole number of days', () => {
    for (const bad of ['0', '-1', '2.5', 'ten'])
      expect(() => stageConfig('dev', { MALL_AUTO_RECEIVE_DAYS: bad }), bad).toThrow(/MALL_AUTO_RECEIVE_DAYS/);
    expect(() => stageConfig('dev', { MALL_RETURN_WINDOW_DAYS: '0' })).toThrow(/MALL_RETURN_WINDOW_DAYS/);
  });
});
