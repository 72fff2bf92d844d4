/**
 * CPU time of processes, to count what one operation costs the whole machine: the servers'
 * processes (from `/proc/<pid>/stat`, user + system) and the load generator itself
 * (`process.cpuUsage`). On a machine whose cores are shared by the servers and the generator,
 * the sum per operation bounds the throughput: two cores give at most 2 s of CPU per second.
 * Linux only; elsewhere the servers' share reads as unknown (NaN).
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc` times (USER_HZ: 100 on every Linux this runs on). */
const USER_HZ = 100;

/** User + system CPU of `pid` so far, in microseconds; NaN when unreadable. */
export function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may hold spaces, hence the last ')').
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return (ticks * 1e6) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

/** All CPUs' time so far from `/proc/stat`, in ticks: busy (kernel included) and idle (with I/O wait); null when unreadable. */
export function machineTicks(): { busy: number; idle: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!;
    const [, ...fields] = line.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal (guest time is inside user already).
    const t = fields.slice(0, 8).map(Number);
    if (t.length < 8 || t.some((n) => !Number.isFinite(n))) return null;
    const idle = t[3]! + t[4]!;
    return { busy: t.reduce((a, b) => a + b, 0) - idle, idle };
  } catch {
    return null;
  }
}

/** The share of the machine's CPU time that was busy between two readings (0..1; NaN if unknown). */
export function busyBetween(
  from: { busy: number; idle: number } | null,
  to: { busy: number; idle: number } | null,
): number {
  if (from === null || to === null) return Number.NaN;
  const busy = to.busy - from.busy;
  const all = busy + to.idle - from.idle;
  return all > 0 ? busy / all : Number.NaN;
}

/**
 * CPU spent from this call to `stop()`: by the given processes together (NaN with none: a
 * system this process did not start), by this one, and the share of the whole machine's CPU
 * that was busy meanwhile (every process and the kernel: how much room the cores had left).
 */
export function cpuMeter(pids: readonly number[]): {
  stop(): { serversMicros: number; generatorMicros: number; machineBusy: number };
} {
  const machine0 = machineTicks();
  const servers0 = pids.reduce((sum, pid) => sum + processCpuMicros(pid), 0);
  const self0 = process.cpuUsage();
  const generator = () => {
    const self = process.cpuUsage(self0);
    return self.user + self.system;
  };
  return {
    stop() {
      const machineBusy = busyBetween(machine0, machineTicks());
      if (pids.length === 0) return { serversMicros: Number.NaN, generatorMicros: generator(), machineBusy };
      const servers1 = pids.reduce((sum, pid) => sum + processCpuMicros(pid), 0);
      return { serversMicros: servers1 - servers0, generatorMicros: generator(), machineBusy };
    },
  };
}

/** CPU per operation in µs, rounded (NaN with no operation): what the benchmarks print. */
export function perOperation(micros: number, ops: number): number {
  return ops > 0 ? Math.round(micros / ops) : Number.NaN;
}
