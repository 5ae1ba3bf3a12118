import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
  date: string;
  /** 1-minute load average when the run started and ended: how busy the machine was besides the bench. */
  loadAverage: { start: number; end?: number };
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${distribution() ?? os.type()} (${os.type()} ${os.release()}, ${os.arch()})`,
    date: new Date().toISOString(),
    loadAverage: { start: roundLoad(os.loadavg()[0]) },
  };
}

export function endLoad(machine: MachineInfo): MachineInfo {
  return { ...machine, loadAverage: { ...machine.loadAverage, end: roundLoad(os.loadavg()[0]) } };
}

function roundLoad(load: number | undefined): number {
  return Math.round((load ?? 0) * 100) / 100;
}

/** The Linux distribution's name, when the machine says. */
function distribution(): string | undefined {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(release)?.[1];
  } catch {
    return undefined;
  }
}
