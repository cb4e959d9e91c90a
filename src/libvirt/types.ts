// Typed records of what virsh tells about a domain.

export type DomainState =
  | 'running' | 'idle' | 'paused' | 'in shutdown' | 'shut off' | 'crashed' | 'pmsuspended'
  | 'blocked' | 'dying' | 'no state' | 'unknown';

export const DOMAIN_STATES: readonly DomainState[] = [
  'running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended', 'blocked', 'dying', 'no state',
];

/** virDomainState numbers as `domstats` prints them in state.state */
export const STATE_BY_NUMBER: Record<number, DomainState> = {
  0: 'no state', 1: 'running', 2: 'blocked', 3: 'paused', 4: 'in shutdown', 5: 'shut off', 6: 'crashed', 7: 'pmsuspended',
};

export interface Domain {
  name: string;
  /** numeric id while active, null when inactive */
  id: number | null;
  state: DomainState;
  uuid?: string;
  vcpus?: number;
  vcpusMax?: number;
  /** KiB */
  memory?: number;
  /** KiB */
  memoryMax?: number;
  /** seconds of CPU used (active domains) */
  cpuTime?: number;
  autostart: boolean;
  persistent: boolean;
  managedSave: boolean;
}

export interface DomInfo {
  id: number | null;
  name: string;
  uuid: string;
  osType: string;
  state: DomainState;
  vcpus: number | undefined;
  cpuTime: number | undefined;
  memoryMax: number | undefined;
  memory: number | undefined;
  persistent: boolean;
  autostart: boolean;
  managedSave: boolean;
  /** every "Key: value" line, in order, for the detail view */
  fields: Array<[string, string]>;
}

export interface DomStats {
  name: string;
  values: Map<string, string>;
}

export interface DiskInfo { target: string; device: string; type: string; source: string; bus: string; format: string; readonly: boolean }
export interface NicInfo { mac: string; type: string; source: string; model: string; target: string }
export interface GraphicsInfo { type: string; port: string; listen: string; autoport: boolean }

export interface DomainXmlInfo {
  name: string;
  uuid: string;
  title: string;
  description: string;
  type: string;
  arch: string;
  machine: string;
  osType: string;
  disks: DiskInfo[];
  nics: NicInfo[];
  graphics: GraphicsInfo[];
  consoles: number;
  hasNvram: boolean;
}
