// The benchmark's CPU accounting (bench/process-cpu.ts): another process's CPU from /proc, and
// none (NaN, not 0) for a system the benchmark did not start.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { busyBetween, cpuMeter, machineTicks, perOperation, processCpuMicros } from '../bench/process-cpu.js';

describe.runIf(process.platform === 'linux')('process CPU', () => {
  it('counts the CPU a busy child process spends, in microseconds', async () => {
    // The child spins until it has had 200 ms of CPU (however loaded the machine), says so,
    // and waits to be killed: its process must still exist when the meter stops.
    const child = spawn(
      process.execPath,
      [
        '-e',
        "for (let u = process.cpuUsage(); u.user + u.system < 200000; u = process.cpuUsage()); process.stdout.write('done'); setInterval(() => {}, 1000);",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let measured: { serversMicros: number; generatorMicros: number };
    try {
      const meter = cpuMeter([child.pid!]);
      await new Promise((resolve) => child.stdout!.once('data', resolve));
      measured = meter.stop();
    } finally {
      child.kill();
    }
    const { serversMicros, generatorMicros } = measured;
    // /proc counts in 10 ms ticks; Node's own start-up adds a little.
    expect(serversMicros).toBeGreaterThanOrEqual(180_000);
    expect(serversMicros).toBeLessThanOrEqual(600_000);
    expect(generatorMicros).toBeGreaterThanOrEqual(0);
  });

  it('reads NaN for a process that is gone, and for no processes at all', () => {
    expect(processCpuMicros(2 ** 22 + 12345)).toBeNaN();
    expect(cpuMeter([]).stop().serversMicros).toBeNaN();
  });

  it('reads how busy the whole machine was, between 0 and 1', () => {
    const meter = cpuMeter([]);
    const start = performance.now();
    while (performance.now() - start < 100); // this process keeps one core busy
    const { machineBusy } = meter.stop();
    expect(machineBusy).toBeGreaterThan(0);
    expect(machineBusy).toBeLessThanOrEqual(1);
    expect(machineTicks()).not.toBeNull();
  });
});

describe('machine busy share', () => {
  it('is busy time over all time between two readings, and NaN when unknown', () => {
    expect(busyBetween({ busy: 100, idle: 300 }, { busy: 250, idle: 350 })).toBe(0.75);
    expect(busyBetween(null, { busy: 1, idle: 1 })).toBeNaN();
    expect(busyBetween({ busy: 5, idle: 5 }, { busy: 5, idle: 5 })).toBeNaN();
  });
});

describe('CPU per operation', () => {
  it('rounds to whole microseconds, and is NaN (not Infinity) when nothing was answered', () => {
    expect(perOperation(1_000_000, 3)).toBe(333_333);
    expect(perOperation(1_000_000, 0)).toBeNaN();
    expect(perOperation(Number.NaN, 10)).toBeNaN();
  });
});
