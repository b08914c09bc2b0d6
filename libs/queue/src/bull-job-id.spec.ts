import { fromBullJobId, toBullJobId } from './bull-job-id';

describe('BullMQ job ids', () => {
  it('maps outbox ids to ids BullMQ accepts (no ":", never an integer), and back', () => {
    for (const id of ['set-password-email:4f1c:req-1', '12345', 'a%3Ab', 'a:b:c:d', '%', 'plain']) {
      const bull = toBullJobId(id);
      expect(bull).not.toContain(':');
      expect(`${parseInt(bull, 10)}`).not.toBe(bull);
      expect(fromBullJobId(bull)).toBe(id);
    }
  });

  it('keeps distinct outbox ids distinct', () => {
    expect(toBullJobId('a:b')).not.toBe(toBullJobId('a%3Ab'));
    expect(new Set(['x:1', 'x%3A1', 'x%253A1'].map(toBullJobId)).size).toBe(3);
  });
});
