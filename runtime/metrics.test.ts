import { MAX_OPERATION_LABELS, OTHER_OPERATION, operationLabel, requestDuration, requests } from './metrics.js';

describe('metrics labels', () => {
  it('keep a bounded set of operation names per component, whatever names clients send', async () => {
    const seriesOf = async (component: string) =>
      new Set(
        (await requests.get()).values.filter((v) => v.labels.component === component).map((v) => v.labels.operation),
      );
    // Names a client makes up, one per request: each past the bound is counted, under `other`.
    for (let i = 0; i < MAX_OPERATION_LABELS * 5; i++) {
      const operation = operationLabel('bounded-test', `Invented${i}`);
      requests.inc({ component: 'bounded-test', operation, outcome: 'ok' });
      requestDuration.observe({ component: 'bounded-test', operation }, 0.01);
    }
    const names = await seriesOf('bounded-test');
    expect(names.size).toBe(MAX_OPERATION_LABELS + 1);
    expect(names.has(OTHER_OPERATION)).toBe(true);
    const other = (await requests.get()).values.find(
      (v) => v.labels.component === 'bounded-test' && v.labels.operation === OTHER_OPERATION,
    );
    expect(other?.value).toBe(MAX_OPERATION_LABELS * 4); // every request still counted
  });

  it('keeps counting an operation it already labels, and each component has its own room', () => {
    for (let i = 0; i < MAX_OPERATION_LABELS; i++) operationLabel('full-test', `Known${i}`);
    expect(operationLabel('full-test', 'Known0')).toBe('Known0');
    expect(operationLabel('full-test', 'Newcomer')).toBe(OTHER_OPERATION);
    expect(operationLabel('another-test', 'Newcomer')).toBe('Newcomer');
  });

  it('labels a name by its first 100 characters', () => {
    expect(operationLabel('length-test', 'A'.repeat(500))).toBe('A'.repeat(100));
  });
});
