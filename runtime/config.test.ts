import { readFileSync } from 'node:fs';
import { ConfigError, configurationTable, loadConfig, VARIABLES } from './config.js';

describe('configuration', () => {
  it('stops at a wrong value with one line naming the variable and what it expects', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(
      /^Configuration: PORT="abc" is not valid: expected a port number/,
    );
    expect(() => loadConfig({ IPS_SUBGRAPH_PORTS: 'participants=4001,nope=2' })).toThrow(/IPS_SUBGRAPH_PORTS/);
    expect(() => loadConfig({ IPS_TRACING: 'yes' })).toThrow(/IPS_TRACING.*off, console or otlp/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    const message = (() => {
      try {
        loadConfig({ PGPORT: '99999' });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).not.toContain('\n');
  });

  it('gives defaults and types', () => {
    const config = loadConfig({ IPS_SUBGRAPH_PORTS: 'participants=4001, billing=4004', IPS_DEBUG_POSTGRES: '1' });
    expect(config.PGPORT).toBe(54329);
    expect(config.PORT).toBeUndefined();
    expect(config.IPS_SUBGRAPH_PORTS).toEqual({ participants: 4001, billing: 4004 });
    expect(config.IPS_DEBUG_POSTGRES).toBe(true);
    expect(config.IPS_METRICS).toBe('on');
    expect(config.IPS_TRACING).toBe('off');
  });

  it("is documented in the operators' guide, every variable with its default", () => {
    const guide = readFileSync('docs/operators.md', 'utf8');
    const missing = Object.keys(VARIABLES).filter((name) => !guide.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
    expect(guide).toContain(configurationTable());
  });
});
