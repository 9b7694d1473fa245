import os from 'node:os';

/** The machine a benchmark ran on, printed and stored beside its figures. */
export interface MachineDescription {
  cpuModel: string;
  cores: number;
  totalMemoryGiB: number;
  platform: string;
  node: string;
  /** 1, 5 and 15 minute load averages when described: other work on the machine skews the figures. */
  loadAverage: string;
  [extra: string]: string | number;
}

export function describeMachine(extra: Record<string, string | number> = {}): MachineDescription {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: loadAverage(),
    ...extra,
  };
}

export function formatMachine(machine: MachineDescription): string {
  return Object.entries(machine)
    .map(([key, value]) => `  ${key.padEnd(16)} ${value}`)
    .join('\n');
}

/** "1.52 / 1.80 / 1.95" (1, 5, 15 minutes), to print beside each run. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}
