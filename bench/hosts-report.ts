// The many-hosts benchmark's numbers -> its lines (bench/hosts.ts measures, this only reads).

/** The middle value; of an even count, the mean of the two middle ones. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)} ms`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** One round's samples (ms), each list as long as the number of rounds. */
export interface HostsMeasures {
  hosts: number;
  domains: number;
  rounds: number;
  /** where the UI thread's CPU time comes from (schedstat of the main thread, or the whole process) */
  cpuSource: string;
  /** every host refreshed at once, one session each */
  manyWall: number[];
  manyCpu: number[];
  /** one host refreshed `hosts` times in a row: the same domains through one session */
  oneWall: number[];
  oneCpu: number[];
  slowDelayS: number;
  slowRounds: number;
  /** domains of the slow host that only answers late */
  lateDomains: number;
  /** the fast hosts' refresh (until all of them are done): alone, beside the late one, beside the slow one of `domains` */
  fastAlone: number[];
  fastBesideLate: number[];
  fastBesideSlow: number[];
  /** the slow hosts' own refreshes meanwhile */
  lateOwn: number[];
  slowOwn: number[];
}

export function hostsLines(m: HostsMeasures): string[] {
  const manyWall = median(m.manyWall);
  const oneWall = median(m.oneWall);
  const manyCpu = median(m.manyCpu);
  const oneCpu = median(m.oneCpu);
  // the one session did the same refreshes as all the hosts together: its share per host is one refresh
  const perHostOne = oneCpu / m.hosts;
  const perHostMany = manyCpu / m.hosts;
  const fastAlone = median(m.fastAlone);
  const fastLate = median(m.fastBesideLate);
  const fastBeside = median(m.fastBesideSlow);
  const fast = m.hosts - 1;
  const lateLabel = `beside it, with ${m.lateDomains} domains (it only answers late):`;
  const slowLabel = `beside it, with ${m.domains} domains (its virsh and its parsing share this machine):`;
  const w2 = Math.max(lateLabel.length, slowLabel.length);
  const many = `${m.hosts} hosts refreshed at once, one virsh session each:`;
  const one = `the same ${m.hosts * m.domains} domains through one session (${m.hosts} refreshes in a row):`;
  const w = Math.max(many.length, one.length);
  return [
    `Many hosts: ${m.hosts} test-driver worlds of ${m.domains} domains (median of ${m.rounds} rounds after a warm-up; UI thread = ${m.cpuSource})`,
    `  ${many.padEnd(w)} ${ms(manyWall).padStart(9)} wall, UI thread ${ms(manyCpu).padStart(9)}`,
    `  ${one.padEnd(w)} ${ms(oneWall).padStart(9)} wall, UI thread ${ms(oneCpu).padStart(9)}`,
    `  wall time, ${m.hosts} sessions / 1 session: ${ratio(manyWall, oneWall)}`,
    `  UI work per host: ${ms(perHostOne)} with 1 host, ${ms(perHostMany)} with ${m.hosts} hosts: ${ratio(perHostMany, perHostOne)} (target <= 1.00x: grows linearly)`,
    `A slow host (every virsh answer ${m.slowDelayS} s late) beside ${fast} fast ones: their refresh alone ${ms(fastAlone)} (median of ${m.slowRounds} rounds per line)`,
    `  ${lateLabel.padEnd(w2)} ${ms(fastLate).padStart(9)}, ${ratio(fastLate, fastAlone)} (target ~1.00x); its own refresh ${ms(median(m.lateOwn))}`,
    `  ${slowLabel.padEnd(w2)} ${ms(fastBeside).padStart(9)}, ${ratio(fastBeside, fastAlone)}; its own refresh ${ms(median(m.slowOwn))}`,
  ];
}
