import { transformFileSync } from '@swc/core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Runs lowerCpuPriority in a fresh Node process (it changes the process it runs in) and reads back
 * each thread's niceness as Linux reports it: field 19 of /proc/self/task/<tid>/stat.
 */
function runInChild(niceness: number): { lowered: number; niceness: number[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cpu-priority-'));
  const compiled = transformFileSync(resolve(__dirname, 'cpu-priority.ts'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  writeFileSync(join(dir, 'cpu-priority.js'), compiled.code);
  const script = `
    const fs = require('node:fs');
    const lowered = require('./cpu-priority.js').lowerCpuPriority(${niceness});
    const niceness = fs.readdirSync('/proc/self/task').map((t) =>
      Number(fs.readFileSync('/proc/self/task/' + t + '/stat', 'utf8').split(') ')[1].split(' ')[16]));
    process.stdout.write(JSON.stringify({ lowered, niceness }));`;
  writeFileSync(join(dir, 'run.js'), script);
  return JSON.parse(execFileSync(process.execPath, [join(dir, 'run.js')], { encoding: 'utf8' })) as { lowered: number; niceness: number[] };
}

const onLinux = process.platform === 'linux' ? it : it.skip;

describe('the worker’s CPU priority', () => {
  onLinux('lowers every thread of the process, V8’s helper threads included, not only the main one', () => {
    const r = runInChild(7);
    expect(r.niceness.length).toBeGreaterThan(1);
    expect(r.lowered).toBe(r.niceness.length);
    expect(new Set(r.niceness)).toEqual(new Set([7]));
  });

  onLinux('leaves the process as it is at 0', () => {
    const r = runInChild(0);
    expect(r.lowered).toBe(0);
    expect(new Set(r.niceness)).toEqual(new Set([getPriority()]));
  });
});
